"""Headless Chromium for the browser tests, driven by playwright.

The browser is the Debian ``chromium`` package that ``scripts/install-browser.sh`` installs
(``.ci/run`` and ``scripts/test.sh`` call it); playwright never downloads one. With CI set
a missing browser fails the test; elsewhere it skips with a message.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launched_chromium() -> Iterator[Any]:
    """A launched browser (for a module-scoped fixture), or a skip / CI failure."""
    sync_api = _playwright_or_skip()
    executable = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if executable is None:
        missing("headless Chromium is not installed; run scripts/install-browser.sh")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _playwright_or_skip() -> Any:
    try:
        from playwright import sync_api
    except ImportError:
        missing("python playwright is not installed; pip install -e '.[test]'")
    return sync_api


def missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"CI is set: {reason}")
    pytest.skip(reason)
