#!/usr/bin/env bash
# The whole test suite: set up (idempotent), lint, format check, then pytest with the real model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
