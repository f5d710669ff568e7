# Two commands do all set-up on a fresh machine with Python 3.11 (no conda):
#   make report   -> builds .venv if missing, runs the default scenario suite,
#                    prints the path of the report index
#   make test     -> builds .venv if missing, runs the whole test suite
# For the inner loop: make test-fast (everything without a kernel, under a minute).
PYTHON ?= python3.11
VENV   ?= .venv
STAMP  := $(VENV)/.installed

.PHONY: report test test-fast bench clean-venv

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 2; }
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

report: $(STAMP)
	$(VENV)/bin/xiqu run

test: $(STAMP)
	$(VENV)/bin/python -m pytest -n 2 -q

test-fast: $(STAMP)
	$(VENV)/bin/python -m pytest -n 2 -q -m "not notebook"

bench: $(STAMP)
	$(VENV)/bin/python bench/run_all.py

clean-venv:
	rm -rf $(VENV)
