# Two commands on a fresh machine (python3, pip, make):
#   make audit   set everything up and audit the sample report in corpus/
#   make test    set everything up and run the tests
PYTHON     ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
PIP        := $(PY) -m pip --disable-pip-version-check -q
MODEL_DIR  := $(VENV)/share/checker/pkuseg/default
STAMP      := $(VENV)/.installed
AUDIT_FILE ?= corpus/sample-county-2023.txt
BENCH_REPORTS ?= 10000

.PHONY: all setup model bytecode audit test bench score clean distclean install-check

all: test

setup: $(STAMP) $(MODEL_DIR)/mapped/manifest.json bytecode

# the package's own modules compiled to bytecode, as pip does for an installed wheel: an
# editable install never writes it where PYTHONDONTWRITEBYTECODE is set (as on CI machines),
# and every run then compiled ~40 modules from source (~0.12 s of a 0.34 s cold audit).
# Incremental: only changed modules are compiled again.
bytecode: $(STAMP)
	$(PY) -m compileall -q checker > /dev/null

# numpy, Cython and wheel go in first: the pkuseg sdist that carries the model
# can only be prepared with them present and --no-build-isolation.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -c constraints.txt numpy cython wheel setuptools
	$(PIP) install -c constraints.txt -e '.[test]'
	touch $@

model: $(MODEL_DIR)/mapped/manifest.json

# the originals (features.pkl, weights.npz) and their memory-mapped form (mapped/)
$(MODEL_DIR)/mapped/manifest.json: $(STAMP) checker/modelfetch.py checker/pkumap.py
	$(PY) -m checker.modelfetch --dest $(MODEL_DIR)
	touch $@

audit: setup
	$(VENV)/bin/checker audit $(AUDIT_FILE)

test: setup
	$(PY) -m pytest -q

# pip install of the built wheel into a fresh venv outside the repository, then
# `checker setup` and `checker audit` (downloads the dependencies from PyPI).
install-check: setup
	CHECKER_INSTALL_TEST=1 $(PY) -m pytest -q tests/test_install.py -k fresh_venv

bench: setup
	$(PY) bench/run.py --issue13 $(BENCH_REPORTS)
	$(PY) bench/run.py

score: setup
	$(PY) ../shared/eval/score.py

clean:
	rm -rf .pytest_cache tests/artifacts build *.egg-info
	find . -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) .cache
