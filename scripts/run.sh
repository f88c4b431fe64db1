#!/usr/bin/env bash
# The main job on the built-in sample corpus: set up, build the index, start the server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
INDEX=${IMR_INDEX_DIR:-var/index}
.venv/bin/imr ingest samples/letters --index "$INDEX" --rebuild
exec .venv/bin/imr serve --index "$INDEX" "$@"
