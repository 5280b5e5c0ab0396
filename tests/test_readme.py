"""The README's examples are real: every ```console block is run and its output compared.

In a ```console block, a line starting with "$ planner" is a command and the lines after it,
up to the next command, are its exact output (stdout and stderr, as a terminal shows them).
A block opened as ```<lang> file=NAME is written to NAME first, so the README's example files
are the ones the commands read. All blocks share one temporary folder and one agenda, in order.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"^```(\w*)(?:[ \t]+file=(\S+))?[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
NOW = "2022-08-29T18:00:00-07:00"


def blocks() -> list[tuple[str, str | None, str]]:
    return [(m.group(1), m.group(2), m.group(3)) for m in FENCE.finditer(README.read_text("utf-8"))]


def console_steps(body: str) -> list[tuple[str, str]]:
    steps: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return [(command, "\n".join(output).rstrip("\n")) for command, output in steps]


def run(command: str, folder: Path) -> str:
    argv = shlex.split(command)
    assert argv[0] == "planner", f"README examples run planner only, not {argv[0]!r}"
    env = {
        **os.environ,
        "HOME": str(folder),
        "XDG_CONFIG_HOME": str(folder / ".config"),
        "PLANNER_AGENDA": str(folder / "agenda.json"),
        "PLANNER_NOW": NOW,
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }
    for name in ("PLANNER_PROGRAM", "PLANNER_TZ"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "planner", *argv[1:]],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout.rstrip("\n")


def test_the_readme_opens_with_the_two_commands() -> None:
    lang, _, body = blocks()[0]
    lines = [line for line in body.splitlines() if line.strip()]
    assert lang == "sh"
    assert lines[0].startswith("pip install") and lines[0].endswith("planner talks")
    assert lines[1] == "bash scripts/test.sh"


def test_ci_runs_the_readme_test_command() -> None:
    ci = (README.parent / ".ci" / "run").read_text("utf-8")
    test_command = blocks()[0][2].splitlines()[1]
    assert test_command in ci.splitlines()


def test_the_test_command_installs_the_browser_and_runs_pytest() -> None:
    script = (README.parent / "scripts" / "test.sh").read_text("utf-8")
    assert 'pip install -q -e ".[test]"' in script
    assert "bash scripts/install-browser.sh" in script
    assert "pytest" in script


def test_every_console_example_prints_what_the_readme_says(tmp_path: Path) -> None:
    checked = 0
    for lang, file_name, body in blocks():
        if file_name:
            (tmp_path / file_name).write_text(body, encoding="utf-8")
        if lang != "console":
            continue
        for command, expected in console_steps(body):
            assert run(command, tmp_path) == expected, (
                f"README example `{command}` printed otherwise"
            )
            checked += 1
    if checked == 0:
        pytest.fail("README.md has no console examples")
