#!/usr/bin/env sh
# Install Debian's chromium for the browser tests (tests/browser/).
# Idempotent: exits 0 at once when /usr/bin/chromium is already there.
# Playwright drives this binary; never run `playwright install` (it downloads from the internet).
set -eu

if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core

/usr/bin/chromium --version
