# The two commands of the README, and lint. Each creates the virtual environment on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint samples docs accuracy bench bench-desk clean-outputs tnef-fixture

# The product and, beside it, the test kit (samples, corpus, trials, benchmarks; not in the wheel).
# tesserocr is built against the system's Tesseract, so that OCR reads as the tesseract program.
$(BIN)/pipeline: pyproject.toml testkit/pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	PIP_NO_BINARY=tesserocr $(BIN)/pip install --quiet -e '.[dev]' -e ./testkit
	touch $(BIN)/pipeline

# A real TNEF writer (Aspose.Email for Python via .NET, proprietary, run unlicensed in evaluation
# mode) in a folder of its own: its `aspose` package would hide aspose-email-foss's. Run by hand
# only, to write the kept winmail.dat fixture again (testkit/samples/winmail.py); never in CI.
TNEF_WRITER := $(VENV)/tnef-writer
$(TNEF_WRITER)/.installed: | $(BIN)/pipeline
	$(BIN)/pip install --quiet --target $(TNEF_WRITER) 'aspose-email-for-python-via-net>=26.10,<27'
	touch $@

tnef-fixture: $(TNEF_WRITER)/.installed  ## write tests/fixtures/tnef/referral again (by hand, not in CI)
	$(BIN)/python -m testkit.samples.winmail tests/fixtures/tnef/referral

run: $(BIN)/pipeline          ## process inbox/ on the embedded defaults
	$(BIN)/pipeline run

test: lint                    ## lint, type-check, then the whole test suite
	$(BIN)/pytest

lint: $(BIN)/pipeline
	$(BIN)/ruff check .
	$(BIN)/mypy

samples: $(BIN)/pipeline      ## regenerate the sample emails shipped in inbox/
	$(BIN)/pipeline samples --out inbox --seed 2025 --clean 3 --defect missing_document \
	  --defect short_narrative --defect amount_mismatch --defect unknown_sender

docs: $(BIN)/pipeline         ## refresh docs/bundle-panel-*.png from a generated demo meeting, and docs/desk/*.png
	$(BIN)/python -m testkit.demo docs
	REFRESH_DOCS=1 $(BIN)/pytest tests/test_desk_browser.py

accuracy: $(BIN)/pipeline     ## the reading-accuracy table of the README
	$(BIN)/pipeline accuracy

bench: $(BIN)/pipeline        ## the benchmarks (about 25 minutes) -> benchmarks/results.md
	$(BIN)/pip install --quiet -e './testkit[bench]'
	$(BIN)/python -m testkit.benchmarks

bench-desk: $(BIN)/pipeline   ## the desk's queue and case pages with 2,000 submissions -> benchmarks/desk-results.md
	$(BIN)/python -m testkit.benchmarks.desk

clean-outputs:                ## forget everything processed (outbox/ and var/)
	rm -rf var outbox/submissions outbox/report.html outbox/tracker.xlsx
