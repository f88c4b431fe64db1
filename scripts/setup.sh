#!/usr/bin/env bash
# Create ./.venv and install everything offline-safe: torch from the local CPU wheel first (a bare
# `torch` would pull a multi-GB CUDA build), then the project with every extra, and Debian's
# Chromium for the browser test. Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip 2>/dev/null || true
.venv/bin/python -c "import torch" 2>/dev/null || .venv/bin/pip install -q torch==2.13.0
.venv/bin/pip install -q -e ".[dev,ray,bench,fast]"
if [ -x scripts/install-browser.sh ]; then scripts/install-browser.sh; fi
