# Two commands on a fresh machine with Python >= 3.11:
#   make demo   set up .venv and write a 1000-row finance-transactions CSV (offline, no key)
#   make test   set up .venv with the test tools and run the whole suite (tests/ and, with nbval, notebooks/)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint clean chromium notebooks constraints readme

# constraints.txt pins the versions the suite was last run with: the regression notebooks
# and determinism tests compare generated values, which follow Faker's data. Refresh it
# with `make constraints` after upgrading, then `make notebooks` and review the diff.
$(BIN)/synth: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

demo: $(BIN)/synth
	$(BIN)/synth "finance transactions" --rows 1000 --seed 42 -o transactions.csv

test: $(BIN)/synth chromium
	$(BIN)/python -m pytest

# The form's browser test drives Debian's chromium (tests/test_form_browser.py); install it
# when missing and we can (apt-get, as root or with password-less sudo). Without it the
# test is skipped, except in CI (CI=true), where it fails.
chromium:
	@if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else exit 0; fi; \
	  echo "installing chromium for the browser test"; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

# re-run the notebooks and save their outputs (review the diff: nbval compares against them)
notebooks: $(BIN)/synth
	PYTHONPATH=$(CURDIR) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.record_timing=False notebooks/quickstart.ipynb notebooks/regression/*.ipynb

constraints: $(BIN)/synth
	$(BIN)/python -m pip install --quiet --upgrade -e ".[dev]"
	{ echo "# Versions the test suite was last run with (make constraints); installs by \`make\` use them."; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^synth-magic'; } > constraints.txt

# rewrite the README's generated tables (types, options) from the catalogue and the options table
readme: $(BIN)/synth
	$(BIN)/python tools/readme.py

lint: $(BIN)/synth
	$(BIN)/ruff check synth_magic tests bench tools

clean:
	rm -rf $(VENV) .pytest_cache transactions.csv
