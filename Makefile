# A fresh machine needs Python 3.11 and make. Each target installs into .venv what it needs:
#   make run        question 1 (backprop_main.py); installs requirements-run.txt (numpy, matplotlib)
#   make test       the whole test suite; installs requirements.txt (adds PyTorch, SciPy, Jupyter, pytest),
#                   and requirements-py39.txt into .venv39 under Python 3.9 (pyenv's, where there is one;
#                   without one the Python 3.9 tests are skipped, and fail when CI is set)
#   make check NETWORK=PATH   the course-interface checks on the backprop_network.py at PATH (ours
#                   by default); installs requirements-check.txt (numpy, SciPy, pytest)
#   make tex-tools  TeX Live for the PDF and its tests (apt-get, as root on Debian); the only target
#                   that changes the system, and nothing else calls it
#   make pdf        build theory/solutions.pdf with latexmk (needs make tex-tools first)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUN_INSTALLED := $(VENV)/.installed-run
INSTALLED := $(VENV)/.installed
CHECK_INSTALLED := $(VENV)/.installed-check
# The hand-in's oldest supported versions: Python 3.9 with requirements-py39.txt.
PY39_PREFIX := $(shell pyenv prefix 3.9 2>/dev/null)
PYTHON39 ?= $(if $(PY39_PREFIX),$(PY39_PREFIX)/bin/python,python3.9)
PY39_INSTALLED := .venv39/.installed
PY39_FOUND := $(shell command -v $(PYTHON39))
TEX_PACKAGES := latexmk texlive-latex-extra texlive-fonts-recommended

.PHONY: run test check lint format pdf tex-tools bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# $(call check-pins,FILE): FILE holds a subset of requirements.txt's pins, line for line.
check-pins = @if sed '/^\#/d;/^$$/d' $(1) | grep -vxF -f requirements.txt; then \
	  echo "$(1): the pins above are not in requirements.txt" >&2; exit 1; fi

$(RUN_INSTALLED): requirements-run.txt requirements.txt | $(BIN)/python
	$(call check-pins,requirements-run.txt)
	$(BIN)/pip install -r requirements-run.txt
	touch $@

$(INSTALLED): requirements.txt requirements-run.txt | $(BIN)/python
	$(call check-pins,requirements-run.txt)
	$(BIN)/pip install -r requirements.txt
	touch $@

$(PY39_INSTALLED): requirements-py39.txt
	$(PYTHON39) -m venv .venv39
	.venv39/bin/pip install -r requirements-py39.txt
	touch $@

run: $(RUN_INSTALLED)
	$(BIN)/python backprop_main.py

# Never installs TeX Live: without latexmk the PDF tests skip (and fail when CI is set), and
# without Python 3.9 so do its tests; PYTHON39 tells them which interpreter was looked for.
test: $(INSTALLED) $(if $(PY39_FOUND),$(PY39_INSTALLED))
	PYTHON39="$(PYTHON39)" $(BIN)/python -m pytest

# tests/test_course_interface.py alone, on another backprop_network.py (ours by default).
NETWORK ?= backprop_network.py

$(CHECK_INSTALLED): requirements-check.txt requirements.txt | $(BIN)/python
	$(call check-pins,requirements-check.txt)
	$(BIN)/pip install -r requirements-check.txt
	touch $@

check: $(CHECK_INSTALLED)
	$(BIN)/python -m pytest --network="$(NETWORK)"

# The PDF needs TeX Live and matplotlib (it draws question 2's figure); its build files go to
# theory/build/.
pdf: $(RUN_INSTALLED)
	@command -v latexmk >/dev/null 2>&1 || { \
	  echo "make pdf: latexmk not found; install TeX Live first: make tex-tools (as root on Debian)" >&2; \
	  exit 1; }
	$(BIN)/python -m theory.build_pdf

tex-tools:
	@if command -v latexmk >/dev/null 2>&1; then \
	  echo "tex-tools: latexmk is already installed"; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "tex-tools: no apt-get here; install TeX Live with latexmk by hand" >&2; exit 1; \
	elif [ "$$(id -u)" != 0 ]; then \
	  echo "tex-tools: apt-get needs root: sudo make tex-tools" >&2; exit 1; \
	else \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(TEX_PACKAGES); \
	fi

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(INSTALLED)
	$(BIN)/python benchmarks/epoch_speed.py

clean:
	rm -rf $(VENV) .venv39 .pytest_cache
