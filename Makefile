# Two commands do all set-up on a fresh machine with Python 3.11 (no conda):
#   make report   -> builds .venv if missing, runs the default scenario suite,
#                    prints the path of the report index
#   make test     -> builds .venv if missing, runs the whole test suite
# For the inner loop: make test-fast (everything without a kernel or a subprocess of the
# xiqu command, under a minute; make test runs those too).
# System packages (Debian): pango for the PDF reports (make report, make test) and
# LibreOffice (headless Writer) for the test that lays out a Word report; each is
# installed with apt-get when missing (as root; otherwise make says what to install).
PYTHON ?= python3.11
VENV   ?= .venv
STAMP  := $(VENV)/.installed
# what `make report`, `make explore` and `make lab` need: the package alone (no test or cluster extras)
RUN_STAMP := $(VENV)/.installed-run

.PHONY: report test test-fast bench clean-venv explore lab browser system-pdf system-office venv-run bytecode

# The explorer's browser test opens the Voilà page in Debian's headless Chromium, with a CJK font
# for the Chinese labels; installed here when missing (CI runs `make test` as root on a clean clone).
BROWSER_PACKAGES := chromium fonts-noto-cjk
# Where `make explore` and `make lab` listen (loopback only).
EXPLORE_PORT ?= 8866
LAB_PORT     ?= 8888

# apt-get install the packages named in $(1) unless the check $(2) succeeds
define apt_install
	@if ! $(2) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "make: installing $(1)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(1); \
	  else \
	    echo "make: missing system packages; install them: sudo apt-get install $(1)" >&2; exit 2; \
	  fi; \
	fi
endef

system-pdf:
	$(call apt_install,libpango-1.0-0 libpangoft2-1.0-0,sh -c 'ldconfig -p | grep -q libpango-1.0.so.0 && ldconfig -p | grep -q libpangoft2-1.0.so.0')

system-office:
	$(call apt_install,libreoffice-writer-nogui,command -v soffice)

# One install per stamp; the test stamp also satisfies the run stamp (its extras include the package).
# The packages are installed by uv (from PyPI, into the venv; pip installs uv first): it resolves as pip does
# and downloads and unpacks in parallel, a fraction of pip's time on a fresh machine (bench/README.md).
define uv_install
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/python -m uv pip install --quiet --compile-bytecode --python $(VENV)/bin/python
endef

# The package's own bytecode, written before anything runs: every process of a run or a test (the runner, its
# workers, kernel templates and kernels, each `xiqu` the tests start) then loads it instead of compiling the
# sources again, also where the environment forbids writing it (PYTHONDONTWRITEBYTECODE). Up to date: 0.1 s.
bytecode:
	@$(VENV)/bin/python -m compileall -q xiqu_analysis tests
TEST_REQUIREMENT := .[test,dask]
define venv_create
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 2; }
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
endef

$(STAMP): pyproject.toml
	$(venv_create)
	$(uv_install) -e '$(TEST_REQUIREMENT)'
	touch $(STAMP) $(RUN_STAMP)

$(RUN_STAMP): pyproject.toml
	@if [ -f $(STAMP) ] && [ ! $(STAMP) -ot pyproject.toml ]; then touch $(RUN_STAMP); else \
	  $(MAKE) --no-print-directory venv-run; fi

venv-run:
	$(venv_create)
	$(uv_install) -e .
	touch $(RUN_STAMP)

report: $(RUN_STAMP) system-pdf bytecode
	$(VENV)/bin/xiqu run

# Two xdist workers, each given whole test modules (a module's shared runs are made once), the long modules
# first (the order is tests/conftest.py's).
test: $(STAMP) browser system-pdf system-office bytecode
	$(VENV)/bin/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder -q

test-fast: $(STAMP) bytecode
	$(VENV)/bin/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder -q -m "not notebook and not process"

browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list :lang=zh family 2>/dev/null | grep -q .; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "make: installing $(BROWSER_PACKAGES) for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES) >/dev/null; \
	else echo "make: chromium or a CJK font is missing; install $(BROWSER_PACKAGES) (Debian) for the browser test" >&2; fi

# The scenario explorer as a web page for colleagues (no code shown): http://127.0.0.1:$(EXPLORE_PORT)/ ; Ctrl+C stops it.
explore: $(RUN_STAMP) bytecode
	$(VENV)/bin/python -m xiqu_analysis.reports.explorer.serve --port $(EXPLORE_PORT)

# JupyterLab on the project with the project's kernel (the .venv's python3); Ctrl+C stops it.
lab: $(RUN_STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) --ServerApp.root_dir=$(CURDIR) \
		$(if $(filter 0,$(shell id -u)),--ServerApp.allow_root=True)

bench: $(STAMP) bytecode
	$(VENV)/bin/python bench/run_all.py

clean-venv:
	rm -rf $(VENV)
