# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= $(or $(STREAMLIT_SERVER_PORT),8501)
STAMP  := $(VENV)/.installed

.PHONY: run test venv bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/streamlit run app/Home.py --server.headless true --server.port $(PORT) \
		--browser.gatherUsageStats false

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

bench: $(STAMP)
	$(PY) benchmarks/characterise.py

clean:
	rm -rf $(VENV) .pytest_cache
