# newsfold: every set-up step lives here, so a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo/demo.db
DEMO_REPORT ?= demo/report

.PHONY: demo test lint bench chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,spark]'
	touch $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	rm -rf $(DEMO_REPORT)
	$(BIN)/newsfold run demo/corpus --db $(DEMO_DB) --out $(DEMO_REPORT)
	$(BIN)/newsfold stats --db $(DEMO_DB)
	$(BIN)/newsfold links --db $(DEMO_DB)
	$(BIN)/newsfold stories --db $(DEMO_DB)
	@echo
	@echo "The report: $(DEMO_REPORT)/index.html (open it in a browser; also index.md, report.json)"
	@echo "Stored in $(DEMO_DB). Next, try:"
	@echo "  $(BIN)/newsfold serve --db $(DEMO_DB)      (the web app: open http://127.0.0.1:8765/)"
	@echo "  $(BIN)/newsfold search \"Valmora warehouse\" --db $(DEMO_DB)"
	@echo "  $(BIN)/newsfold show ID --db $(DEMO_DB)        (an id from the list above)"
	@echo "  $(BIN)/newsfold compare ID1 ID2 --db $(DEMO_DB) (two ids of one tree above)"
	@echo "  $(BIN)/newsfold story SID --db $(DEMO_DB)      (a story id from the table above)"
	@echo "  $(BIN)/newsfold facts SID --db $(DEMO_DB)      (its numbers and quotes compared)"
	@echo "  $(BIN)/newsfold report --db $(DEMO_DB) --out DIR --format md (render again)"
	@echo "  $(BIN)/newsfold export --db $(DEMO_DB) --out demo.jsonl"

test: $(STAMP) chromium
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: $(STAMP) chromium
	$(BIN)/python -m bench

# Debian's Chromium for the browser tests and the report screenshots; skipped where apt is not usable.
chromium:
	@test -x /usr/bin/chromium || (command -v apt-get >/dev/null && \
		apt-get install -y --no-install-recommends chromium >/dev/null) || \
		echo "chromium not installed: browser tests and screenshots are skipped"

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
