# Two commands on a fresh machine with Python >= 3.11:
#   make demo   set up .venv and write a 1000-row finance-transactions CSV (offline, no key)
#   make test   set up .venv with the test tools and run the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint clean

$(BIN)/synth: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(BIN)/synth
	$(BIN)/synth "finance transactions" --rows 1000 --seed 42 -o transactions.csv

test: $(BIN)/synth
	$(BIN)/python -m pytest

lint: $(BIN)/synth
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) .pytest_cache transactions.csv
