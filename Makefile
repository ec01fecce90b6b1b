# The two commands a person needs (each does all set-up on first use):
#   make demo   build the lessons, grade a simulated class, print the report
#   make test   the full test suite (what CI runs through .ci/run)
# make student-kit writes the student edition (no answers) to student-kit/ and student-kit.zip;
# LESSONS="01 02 03" publishes only those lessons.
#   make hub    a local JupyterHub with a demo class (as root; make hub-stop or Ctrl-C stops it)
SHELL := /bin/bash
# The first supported interpreter on PATH (the pins hold for Python 3.11.5 to 3.13); override with PYTHON=...
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13; do command -v $$p && break; done)
SUPPORTED_PYTHON := import sys; sys.exit(not (sys.version_info[:3] >= (3, 11, 5) and sys.version_info[:2] <= (3, 13)))
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.setup-done

.PHONY: setup demo test test-deps test-fast lint build check fmt bench envs lock clean student-kit hub hub-deps hub-stop

setup: $(STAMP)

$(STAMP): requirements.txt requirements-student.txt requirements-instructor.txt requirements-tests.txt \
          requirements-lock.txt pyproject.toml scripts/system-deps.sh
	@test -x $(PY) || { test -n "$(PYTHON)" && $(PYTHON) -c '$(SUPPORTED_PYTHON)'; } || { \
	  echo "error: no supported Python: install python3.11 (3.11.5 or later), python3.12 or python3.13" \
	       "(or run make PYTHON=/path/to/python3.12); found: $(or $(PYTHON),none)" >&2; exit 1; }
	bash scripts/system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt -c requirements-lock.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: setup
	$(PY) -m autograder demo

# Every system package the tests need, installed once before pytest starts (tests never install
# anything; under CI=true a test skipped for want of one is a failure, see tests/conftest.py).
TEST_SYSTEM_PACKAGES := postgresql chromium chromium-driver

test-deps: setup hub-deps
	bash scripts/system-deps.sh $(TEST_SYSTEM_PACKAGES)

lint: setup
	$(PY) -m ruff check

test: test-deps lint
	$(PY) -m pytest -n 2 --dist loadgroup --durations=20

# what tests/test_hub.py and `make hub` need: Node + npm, configurable-http-proxy, JupyterHub
hub-deps: setup
	bash hub/setup.sh

hub: hub-deps
	$(PY) hub/democlass.py start

hub-stop:
	$(PY) hub/democlass.py stop

# no kernel, no TensorFlow, no browser or database (tests/conftest.py enforces the first two)
test-fast: setup lint
	$(PY) -m pytest -m "not slow"

build: setup
	$(PY) -m autograder build

check: setup
	$(PY) -m autograder check

fmt: setup
	$(PY) -m autograder fmt

bench: setup
	$(PY) benchmarks/lessons.py
	$(PY) benchmarks/run.py
	$(PY) benchmarks/course.py
	$(PY) benchmarks/cluster.py

envs:
	python3 scripts/gen_envs.py

KIT ?= student-kit
student-kit: setup
	$(PY) -m autograder publish $(KIT) --zip $(KIT).zip $(if $(LESSONS),--lessons $(LESSONS))

lock: setup
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e ' > requirements-lock.txt

clean:
	rm -rf .grading demo_output benchmark_output
