#!/usr/bin/env bash
# Installs the system Chromium (and a font) that tests/test_export_html_browser.py drives
# through playwright. Idempotent: does nothing when chromium is already on PATH.
# Never `playwright install`: the test uses the distribution's browser, not a downloaded one.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
