# Two commands on a fresh machine with Python >= 3.11:
#   make demo   set up .venv and write a 1000-row finance-transactions CSV (offline, no key)
#   make test   set up .venv with the test tools and run the whole suite (tests/ and, with nbval, notebooks/)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint clean notebooks

$(BIN)/synth: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(BIN)/synth
	$(BIN)/synth "finance transactions" --rows 1000 --seed 42 -o transactions.csv

test: $(BIN)/synth
	$(BIN)/python -m pytest

# re-run the notebooks and save their outputs (review the diff: nbval compares against them)
notebooks: $(BIN)/synth
	PYTHONPATH=$(CURDIR)/src $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.record_timing=False notebooks/*.ipynb notebooks/regression/*.ipynb

lint: $(BIN)/synth
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) .pytest_cache transactions.csv
