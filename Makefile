# Two commands for a fresh machine: `make run` and `make test`.
# Others: `make test-fast` (skips tests marked slow), `make lint` (ruff + mypy), `make wheel`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= $(or $(STREAMLIT_SERVER_PORT),8501)
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast lint wheel venv bench clean

venv: $(STAMP)

# the engine editable, with the app and the dev tools, at the exact versions of requirements.lock
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[app,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/cbmwater app --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow" -n 2 -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

wheel: $(STAMP)
	$(PY) -m build --wheel --no-isolation --outdir dist .

bench: $(STAMP)
	$(PY) benchmarks/characterise.py

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
