# Two commands set up and use a fresh machine (Python 3.11 and make are all it needs):
#   make run    install into .venv on first use, then run backprop_main.py (question 1)
#   make test   install into .venv on first use, then run the whole test suite
#   make pdf    build theory/solutions.pdf (the written solution) with latexmk
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint format pdf tex-tools bench clean

$(INSTALLED): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -r requirements.txt
	touch $@

run: $(INSTALLED)
	$(BIN)/python backprop_main.py

test: $(INSTALLED) tex-tools
	$(BIN)/python -m pytest

# The PDF needs only python3 and TeX Live; the generated fragments go to theory/build/.
pdf: tex-tools
	$(PYTHON) -m theory.build_pdf

# TeX Live, when latexmk is missing and this is a Debian machine where we are root (as in CI);
# elsewhere nothing happens and the LaTeX tests skip (or fail, when CI is set).
tex-tools:
	@if ! command -v latexmk >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
	    && [ "$$(id -u)" = 0 ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    latexmk texlive-latex-extra texlive-fonts-recommended; \
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
	rm -rf $(VENV) .pytest_cache
