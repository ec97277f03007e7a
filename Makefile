# Every target creates .venv on first use; nothing is installed outside the repo.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[station,ledger,dev,pg]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/counterbench demo --data-dir .demo

# Two pytest workers (pytest-xdist); `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= 2

test: $(STAMP)
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n $(TEST_WORKERS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench

lint: $(STAMP)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check app tests
	$(VENV)/bin/ruff format --check app tests
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .demo .pytest_cache

.PHONY: fuzz
# Schemathesis against a real tiny ledger on loopback, as a station, admin, order intake and nobody.
fuzz: $(STAMP)
	$(PY) -m tests.fuzz
