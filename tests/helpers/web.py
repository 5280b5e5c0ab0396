"""Shared by the web tests: an app under the framework's test client, and a real server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from planner.sources import load
from planner.timezones import parse_aware

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NOW = "2022-08-29T18:00:00-07:00"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
SAME_ORIGIN = {"Origin": BASE}
URL_LINE = re.compile(r"at (http://\S+)")


def client(agenda: Path, program: str = "mlsys2022", *, host: str = "127.0.0.1", token=None):
    from starlette.testclient import TestClient

    from planner.web.app import create_app
    from planner.web.core import Served
    from planner.web.security import Guard

    loaded = load(program)
    served = Served(loaded, agenda, loaded.timezone, lambda: parse_aware(NOW))
    app = create_app(served, Guard.for_bind(host, PORT, token))
    return TestClient(app, base_url=f"http://{host}:{PORT}")


def planner_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PLANNER_")}
    env["PLANNER_NOW"] = NOW
    return env


def planner(*args: str, agenda: Path, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--agenda", str(agenda), *args],
        capture_output=True,
        env=planner_env(),
        timeout=120,
    )
    if check:
        assert done.returncode == 0, done.stderr.decode()
    return done


@contextmanager
def running_server(
    agenda: Path, *args: str, program: str = "mlsys2022"
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`planner serve --port 0` as a real process on 127.0.0.1; yields its printed URL."""
    command = ["--program", program, "--agenda", str(agenda), "serve", "--port", "0", *args]
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=planner_env(),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = URL_LINE.search(line)
        assert found, f"no URL printed: {line!r} {process.stderr.read() if process.poll() else ''}"
        yield found.group(1), process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def stamp_of(agenda: Path) -> datetime:
    from datetime import timezone

    return datetime.fromtimestamp(int(agenda.stat().st_mtime), timezone.utc)
