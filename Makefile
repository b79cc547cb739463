# Signposting assistant: `make run` to start it, `make test` to check it. `make help` lists targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
MODEL     := models/signpost.tar.gz
SPACY_DIR := build/spacy_signpost
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0

TRAINING_INPUTS := config.yml $(wildcard bot/domain/*.yml) $(wildcard bot/data/*/*.yml) \
	$(wildcard nlu_data/*.yml) $(wildcard bot/nlu/*.py) $(wildcard bot/nlu/*.yml) \
	directory/data/places.yml


.PHONY: help install spacy train run run-production chat actions validate test bench directory browser redis haproxy purge clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/lock.txt
	@PY=$$(scripts/find-python.sh) && echo "Using $$PY" && \
	  { [ -x $(BIN)/python ] || $$PY -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.0"
	$(BIN)/python -m pip install --quiet -c requirements/lock.txt -e ".[dev]"
	$(BIN)/python -m pip check
	$(BIN)/rasa telemetry disable >/dev/null 2>&1 || true
	touch $@

install: $(STAMP) ## Create .venv and install the project (pinned)

$(SPACY_DIR)/meta.json: $(STAMP) directory/data/places.yml bot/spacy_pipeline.py directory/gazetteer.py
	$(BIN)/signpost build-spacy --output $(SPACY_DIR)

spacy: $(SPACY_DIR)/meta.json ## Build the project's spaCy pipeline (places + postcodes)

$(MODEL): $(STAMP) $(SPACY_DIR)/meta.json $(TRAINING_INPUTS)
	$(BIN)/rasa train --config config.yml --domain bot/domain --data nlu_data bot/data \
	  --out models --fixed-model-name signpost
	touch $@

train: $(MODEL) ## Train the model if models/ has none newer than the training data

validate: $(STAMP) $(SPACY_DIR)/meta.json ## rasa data validate (domain, stories, rules, NLU)
	$(BIN)/rasa data validate --config config.yml --domain bot/domain --data nlu_data bot/data --fail-on-warnings

directory: $(STAMP) ## Create, migrate and seed the directory (SQLite, or DATABASE_URL); safe to repeat
	$(BIN)/signpost directory seed

run: $(MODEL) ## Install, train if needed, seed the directory, start the assistant (Ctrl-C stops)
	scripts/run.sh

run-production: $(MODEL) redis haproxy ## Production profile: PostgreSQL, Redis, two Rasa servers behind HAProxy (:5000), actions, web
	$(BIN)/signpost production

purge: $(STAMP) ## Delete conversation data older than RETENTION_DAYS (default 30) from DATABASE_URL
	$(BIN)/signpost purge

chat: $(MODEL) directory ## Chat with the assistant in this terminal (starts the action server too)
	@export ACTIONS_TOKEN=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))'); \
	  $(BIN)/python -m ops.action_server --actions actions --port 5055 >/tmp/signpost-actions.log 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT; \
	  $(BIN)/rasa shell --model models --endpoints endpoints.yml --interface 127.0.0.1

browser: ## Install Debian's Chromium for the browser tests where it is missing
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium (Debian package) for the browser tests"; \
	  apt-get install -y chromium >/dev/null 2>&1 || \
	  { apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1; } || \
	  echo "Chromium could not be installed here; the browser tests will skip and say why"; }

redis: ## Install redis-server (Debian package) where it is missing
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "Installing redis-server (Debian package) for the production profile and its tests"; \
	  apt-get install -y redis-server >/dev/null 2>&1 || \
	  { apt-get update >/dev/null 2>&1 && apt-get install -y redis-server >/dev/null 2>&1; } || \
	  echo "redis-server could not be installed here; the Redis tests will skip and say why"; }

haproxy: ## Install HAProxy (Debian package) for the production profile's load balancer
	@command -v haproxy >/dev/null 2>&1 || test -x /usr/sbin/haproxy || { \
	  echo "Installing haproxy (Debian package) for the production profile and its tests"; \
	  apt-get install -y haproxy >/dev/null 2>&1 || \
	  { apt-get update >/dev/null 2>&1 && apt-get install -y haproxy >/dev/null 2>&1; } || \
	  echo "haproxy could not be installed here; the load balancer tests will skip and say why"; }

test: validate $(MODEL) browser redis haproxy ## Install, train if needed, validate data, run the whole test suite
	$(BIN)/python -m pytest -q

bench: $(MODEL) redis haproxy ## Run the benchmarks; they print figures and write bench/results/report.md
	$(BIN)/python bench/nlu.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/report.py

clean: ## Remove build output (venv kept)
	rm -rf build models results .pytest_cache
