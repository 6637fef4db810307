# fogofwar — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench eval setup clean lock

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)  ## analyse the bundled Bakhmut article and print its claims
	$(BIN)/fogofwar analyze examples/seed-bakhmut.txt --published 2023-05-12

test: $(STAMP)  ## the whole test suite, plus ruff
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

eval: $(STAMP)  ## score against the gold articles (GOLD=../shared/gold/dev)
	$(BIN)/fogofwar eval $(or $(GOLD),../shared/gold/dev)

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

lock:  ## regenerate requirements.lock (needs uv)
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
