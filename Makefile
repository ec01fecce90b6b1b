# The two commands a person needs (each does all set-up on first use):
#   make demo   build the lessons, grade a simulated class, print the report
#   make test   the full test suite (what CI runs through .ci/run)
#   make hub    a local JupyterHub with a demo class (as root; make hub-stop or Ctrl-C stops it)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.setup-done

.PHONY: setup demo test test-fast build check fmt bench envs lock clean hub hub-deps hub-stop

setup: $(STAMP)

$(STAMP): requirements.txt requirements-lock.txt pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt -c requirements-lock.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: setup
	$(PY) -m autograder demo

test: setup hub-deps
	$(PY) -m pytest -n 2 --dist loadgroup

# what tests/test_hub.py and `make hub` need: Node + npm, configurable-http-proxy, JupyterHub
hub-deps: setup
	bash hub/setup.sh

hub: hub-deps
	$(PY) hub/democlass.py start

hub-stop:
	$(PY) hub/democlass.py stop

test-fast: setup
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

envs:
	python3 scripts/gen_envs.py

lock: setup
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e ' > requirements-lock.txt

clean:
	rm -rf .grading demo_output benchmark_output
