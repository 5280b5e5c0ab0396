"""Shared test set-up: hypothesis profiles and the fork server for many real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
FORK_SERVER = Path(__file__).parent / "helpers" / "fork_server.py"
PINNED_NOW = "2024-05-01T08:30:00+00:00"

# Fuzzing: a fixed, CI-sized number of examples in a fixed order; PLANNER_FUZZ_EXAMPLES=5000
# (and optionally PLANNER_FUZZ_SEED unset, for fresh random examples) runs more.
_examples = os.environ.get("PLANNER_FUZZ_EXAMPLES")
settings.register_profile(
    "planner",
    max_examples=int(_examples) if _examples else 60,
    derandomize=not _examples,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile("planner")


class ForkServer:
    """Client of tests/helpers/fork_server.py (one JSON request line, one answer line)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(FORK_SERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "PLANNER_NOW": PINNED_NOW, "NO_COLOR": "1"},
        )

    def send(self, request: dict) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()

    def answer(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the fork server died"
        return line.strip()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


@pytest.fixture(scope="session")
def fork_server() -> Iterator[ForkServer]:
    server = ForkServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(autouse=True, scope="session")
def _private_user_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every command in the tests keeps its URL copies and parsed programs in a temporary
    folder, never in the user's own cache directory."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
