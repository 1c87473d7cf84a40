# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck bench images clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/asa-harness run scenarios/ --html reports/report.html --junitxml reports/junit.xml

test: $(STAMP)
	$(BIN)/python -m pytest tests -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check harness probes lab tests bench
	$(BIN)/ruff format --check harness probes lab tests bench
	$(BIN)/mypy

images: $(STAMP)
	$(BIN)/python -m lab.targets.images image

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) reports/*.html reports/*.xml reports/*.json
