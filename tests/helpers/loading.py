"""What the per-format loader tests share: fixture paths, the CLI runner, the one-line error check."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from planner.cli import cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_one_error_line(result: Result, path: str, *fragments: str) -> None:
    """Exit 2 and exactly one ``Error: <path>: ...`` line on stderr holding every fragment."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}: ")
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]
