# Two commands set up and use a fresh machine (Python 3.11 and make are all it needs):
#   make run    install into .venv on first use, then run backprop_main.py (question 1)
#   make test   install into .venv on first use, then run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint format pdf bench clean

$(INSTALLED): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -r requirements.txt
	touch $@

run: $(INSTALLED)
	$(BIN)/python backprop_main.py

test: $(INSTALLED)
	$(BIN)/python -m pytest

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
