# Two commands for a fresh machine: `make run` and `make test`.
# Others: `make test-fast` (skips tests marked slow), `make lint` (ruff + mypy), `make wheel`,
# `make screenshots` (a PNG of every app page in both languages, docs/screenshots/).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= $(or $(STREAMLIT_SERVER_PORT),8501)
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast test-flagship lint wheel venv bench clean system screenshots

# Debian packages: Chromium for the real-browser tests and the screenshots, Noto CJK fonts for
# Chinese in the browser, in PDF reports and in figures, pango/harfbuzz for WeasyPrint (PDF).
APT_PACKAGES := chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

venv: $(STAMP)

# installs the missing Debian packages (root, or sudo); does nothing when all are present
system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# the engine editable, with the app and the dev tools, at the exact versions of requirements.lock
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[app,dev]'
	touch $(STAMP)

run: system $(STAMP)
	$(VENV)/bin/cbmwater app --port $(PORT)

test: system $(STAMP)
	$(PY) -m pytest -n 2 -q --durations=15

test-flagship: $(STAMP)
	$(PY) -m pytest -n 0 -q -m flagship

test-fast: system $(STAMP)
	$(PY) -m pytest -m "not slow" -n 2 -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

wheel: $(STAMP)
	$(PY) -m build --wheel --no-isolation --outdir dist .

# every app page in English and Chinese, shot in Debian's Chromium (tools/screenshots.py)
screenshots: system $(STAMP)
	$(PY) tools/screenshots.py --out docs/screenshots

bench: $(STAMP)
	$(PY) benchmarks/characterise.py

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
