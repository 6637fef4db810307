# fogofwar — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EVAL_STAMP := $(VENV)/.installed-eval
DATA   ?= ../shared/eval
RESULTS := build/evaluation

.PHONY: run analyze test lint bench eval evaluate setup clean lock

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)  ## ingest the bundled examples into ./fogofwar.db and summarise the corpus
	$(BIN)/fogofwar ingest examples/corpus.jsonl
	$(BIN)/fogofwar summary

analyze: $(STAMP)  ## analyse the bundled Bakhmut article and print its claims
	$(BIN)/fogofwar analyze examples/seed-bakhmut.txt --published 2023-05-12

test: $(EVAL_STAMP)  ## the whole test suite (evaluation scripts too), plus ruff
	$(BIN)/ruff check src tests benchmarks evaluation
	$(BIN)/python -m pytest -q

eval: $(STAMP)  ## score against the gold articles (GOLD=../shared/gold/dev)
	$(BIN)/fogofwar eval $(or $(GOLD),../shared/gold/dev)

$(EVAL_STAMP): $(STAMP) requirements-eval.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-eval.lock
	touch $(EVAL_STAMP)

evaluate: $(EVAL_STAMP)  ## external evaluation (DATA=../shared/eval) -> docs/evaluation.md
	rm -rf $(RESULTS)
	$(BIN)/python -m evaluation.polnear $(DATA)/polnear --results $(RESULTS)
	$(BIN)/python -m evaluation.case2021 $(DATA)/case2021_task2 --results $(RESULTS)
	$(BIN)/python -m evaluation.ucdp_headlines $(DATA)/ucdp_ukraine --results $(RESULTS)
	$(BIN)/python -m evaluation.geocoding --ucdp $(DATA)/ucdp_ukraine --cir $(DATA)/cir_events --baseline $(DATA)/gazetteer_ua --results $(RESULTS)
	$(BIN)/python -m evaluation.speed --polnear $(DATA)/polnear --repeat 2 --results $(RESULTS)
	$(BIN)/python -m evaluation.report $(RESULTS) --out docs/evaluation.md

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

lock:  ## regenerate requirements.lock (needs uv)
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml --extra dev --extra eval --generate-hashes --python-version 3.11 \
		-c requirements.lock -o requirements-eval.lock

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
