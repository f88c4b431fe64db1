#!/usr/bin/env sh
# Install Debian's Chromium for tests/test_web.py (Playwright drives it via executable_path).
# Idempotent: does nothing when /usr/bin/chromium already runs. We never run `playwright install`:
# it downloads a browser build from the network, which CI does not allow.
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ] && "$CHROMIUM" --version >/dev/null 2>&1; then
    echo "chromium present: $("$CHROMIUM" --version)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
echo "installed: $("$CHROMIUM" --version)"
