# Hearth: the two commands a user needs are `make run` and `make test`.
# Both create .venv and install everything on first use; a stamp keyed on pyproject.toml and the llama.cpp build
# script makes a second run skip installation when nothing changed. llama.cpp is compiled for a stated CPU
# baseline (x86-64: AVX2/FMA/F16C, no AVX-512 or AMX), never for this machine's CPU: packaging/portable_llama.py.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HASH   := $(shell cat pyproject.toml packaging/portable_llama.py | sha256sum | cut -c1-16)
STAMP  := $(VENV)/.installed-$(HASH)
CACHE  := .cache/models
TEST_MODELS := $(CACHE)/SmolLM2-135M-Instruct.Q4_1.gguf $(CACHE)/gemma-3-270m-q4_k_m.gguf
PYTEST_ARGS ?=

.PHONY: run test setup models bench screenshots package package-test clean system-deps i18n i18n-update

$(STAMP): pyproject.toml packaging/portable_llama.py packaging/isa_scan.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip wheel
	@echo "Installing Hearth and its dependencies (the first time, llama.cpp compiles: ~10 min on 2 cores)"
	$(PY) packaging/portable_llama.py
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) packaging/portable_llama.py --check
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

$(TEST_MODELS) &: $(STAMP) app/starter.py
	$(PY) -m app.starter --cache $(CACHE) --all --wheels .cache/wheels
	@touch $(TEST_MODELS)

models: $(TEST_MODELS)

# Translations: i18n/hearth_<lang>.ts (kept in git, edited with Qt Linguist or by hand) compiled into
# resources/i18n/*.qm (build output). `make i18n-update` finds new and changed strings in app/ (pyside6-lupdate;
# strings that vanished are dropped, new ones come in "unfinished" and tests/test_translations.py fails until they
# are translated). A new language: add its code to LANGUAGES in app/ui/common/i18n.py and run
# `make i18n-update LANG_TS=i18n/hearth_<code>.ts`.
I18N_TS := $(wildcard i18n/*.ts)
I18N_QM := $(patsubst i18n/%.ts,resources/i18n/%.qm,$(I18N_TS))
LANG_TS ?= $(I18N_TS)

resources/i18n/%.qm: i18n/%.ts $(STAMP)
	@mkdir -p resources/i18n
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

i18n: $(I18N_QM)

i18n-update: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -no-obsolete -locations none $$(find app -name '*.py' | sort) -ts $(LANG_TS)

run: $(STAMP) i18n
	@$(PY) -m app.starter --install --optional --wheels .cache/wheels
	$(PY) main.py

# System packages the tests need: strace (the OS-level no-network proof, tests/privacy). Installed with apt when
# running as root; otherwise those tests fail and say how to install it.
system-deps:
	@command -v strace >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing strace (apt-get)"; \
	    apt-get install -y -q strace >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q strace >/dev/null; } \
	      || echo "note: could not install strace; tests/privacy will fail until it is installed"; \
	  else \
	    echo "note: strace is missing; tests/privacy will fail until you run: sudo apt-get install -y strace"; \
	  fi; }

test: system-deps $(STAMP) $(TEST_MODELS) i18n
	QT_QPA_PLATFORM=offscreen HEARTH_TEST_MODELS=$(CURDIR)/$(CACHE) $(PY) -m pytest $(PYTEST_ARGS)

# Every page at 1366x768, 1100x700 and 900x600 into docs/screenshots/ (the layout test checks and writes them)
screenshots: $(STAMP) $(TEST_MODELS)
	HEARTH_SCREENSHOTS=1 QT_QPA_PLATFORM=offscreen HEARTH_TEST_MODELS=$(CURDIR)/$(CACHE) $(PY) -m pytest -q tests/ui/test_layout_sizes.py

bench: $(STAMP) $(TEST_MODELS)
	QT_QPA_PLATFORM=offscreen HEARTH_TEST_MODELS=$(CURDIR)/$(CACHE) $(PY) -m benchmarks

# The double-click bundle (packaging/README.md): PyInstaller comes from the `package` extra, installed here so
# that `make test`'s set-up stays as it is. The build is skipped when nothing it depends on changed.
PKG_STAMP := $(VENV)/.package-$(HASH)

$(PKG_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[package]'
	@rm -f $(VENV)/.package-*
	@touch $@

package: $(PKG_STAMP) i18n
	@sh packaging/linux/build-deps.sh
	$(PY) packaging/build.py

# Builds (or reuses the fresh) bundle, then runs it for real: tests marked `package`. `make test` deselects them.
package-test: package $(TEST_MODELS)
	QT_QPA_PLATFORM=offscreen HEARTH_TEST_MODELS=$(CURDIR)/$(CACHE) $(PY) -m pytest tests/packaging -m package $(PYTEST_ARGS)

clean:
	rm -rf build dist .pytest_cache
