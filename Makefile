# Two set-up commands for a fresh machine (see README): `make quickstart` and `make test`.
# Both create or reuse the virtualenv in $(VENV) and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# CPU wheel on CPU-only machines (this one has it on disk); see README for the CUDA install line.
TORCH_SPEC ?= torch==2.13.0
STAMP := $(VENV)/.medqa-installed

.PHONY: install quickstart readme-figures test lint system-deps clean

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

quickstart: $(STAMP)
	$(BIN)/medqa quickstart

# The README's quickstart figures from a fresh run (README.md, README.zh-CN.md, benchmarks/quickstart_figures.json).
# MACHINE (and MACHINE_ZH for the Chinese README) describe where it ran, e.g. MACHINE="a 2-core VM".
readme-figures: $(STAMP)
	$(BIN)/medqa quickstart --fresh --grpo
	$(BIN)/python -m medqa.readme_figures --run runs/quickstart $(if $(MACHINE),--machine "$(MACHINE)") \
	  $(if $(MACHINE_ZH),--machine-zh "$(MACHINE_ZH)")

# Headless Chromium for the demo's browser test (Debian package; playwright drives it by path),
# with CJK and emoji fonts so its screenshots are legible.
system-deps:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wqy; } || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei fonts-noto-color-emoji >/dev/null; }

test: $(STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf runs .pytest_cache .ruff_cache
