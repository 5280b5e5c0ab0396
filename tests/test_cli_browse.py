"""Browsing from the command line: `talks`, `show`, and how bad input is reported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planner.cli import cli
from planner.sources import load

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Unset what a developer's shell may set, so the bundled program and its own zone apply.
CLEAN_ENV = {
    "PLANNER_PROGRAM": None,
    "PLANNER_PROGRAM_FORMAT": None,
    "PLANNER_PROGRAM_TZ": None,
    "PLANNER_TZ": None,
    "PLANNER_AGENDA": None,
}


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=CLEAN_ENV)


def assert_one_error_line(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in lines[0]


def test_talks_lists_the_whole_bundled_day() -> None:
    result = run("talks")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Tuesday 30 August 2022 (times in America/Los_Angeles")
    for item in load("mlsys2022").items:
        assert f" {item.id} " in result.stdout, item.id
    assert re.search(r"09:03-09:21~\s+Exhibit Hall A\s+virtualflow\s", result.stdout)
    assert "VirtualFlow: Decoupling Deep Learning Models" in result.stdout


def test_search_finds_the_gradient_compression_paper() -> None:
    result = run("talks", "--search", "GRADIENT", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [item["id"] for item in found] == ["gradient-compression"]
    assert found[0]["start"] == "2022-08-30T14:51:00-07:00"


def test_display_zone_moves_the_morning_session_to_berlin_evening() -> None:
    result = run("--tz", "Europe/Berlin", "talks", "--json")
    assert result.exit_code == 0, result.output
    by_id = {item["id"]: item for item in json.loads(result.stdout)}
    session = by_id["systems-for-ml-2"]
    assert session["start"] == "2022-08-30T17:45:00+02:00"
    assert session["end"] == "2022-08-30T19:15:00+02:00"
    assert set(session) >= {"id", "kind", "title", "speakers", "start", "end", "room"}
    assert set(session) >= {"parent", "estimated", "note"}


def test_every_global_option_has_an_environment_variable() -> None:
    env = {
        **CLEAN_ENV,
        "PLANNER_PROGRAM": str(FIXTURES / "csv_naive_times.csv"),
        "PLANNER_PROGRAM_FORMAT": "csv",
        "PLANNER_PROGRAM_TZ": "Europe/Berlin",
        "PLANNER_TZ": "Asia/Kolkata",
    }
    result = CliRunner().invoke(cli, ["talks"], env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Sunday 31 March 2024 (times in Asia/Kolkata, UTC+05:30)\n")
    assert "[env var: PLANNER_PROGRAM_TZ]" in run("--help").stdout


def test_show_by_id() -> None:
    result = run("show", "virtualflow")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "VirtualFlow: Decoupling Deep Learning Models from the Underlying Hardware"
    assert "  when:     Tue 30 Aug 2022 09:03-09:21 (America/Los_Angeles)" in lines
    assert "  room:     Exhibit Hall A" in lines
    assert "  speakers: Andrew Or, Haoyu Zhang, Michael J. Freedman" in lines


@pytest.mark.parametrize("prefix", ["virt", "VirtualF", "VIRTUALFLOW"])
def test_show_by_unique_prefix_any_case(prefix: str) -> None:
    result = run("show", prefix, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "virtualflow"


def test_show_ambiguous_prefix_lists_candidates() -> None:
    result = run("show", "sparsity-")
    assert_one_error_line(
        result,
        "ambiguous",
        "sparsity-24",
        "sparsity-break",
        "sparsity-opening",
        "sparsity-tutorial",
    )


def test_show_unknown_id() -> None:
    assert_one_error_line(run("show", "virtualfloe"), "no item 'virtualfloe'", "virtualflow")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--program", "no/such/program.json", "talks"], ["no/such/program.json", "no such"]),
        (["--program", "nosuchconf", "talks"], ["nosuchconf", "bundled: mlsys2022"]),
        (["--program", str(FIXTURES / "empty.json"), "talks"], ["empty.json", "empty"]),
        (
            ["--program", str(FIXTURES / "invalid_json.json"), "talks"],
            ["invalid_json.json", "Invalid JSON"],
        ),
        (
            ["--program", str(FIXTURES / "unknown_timezone.json"), "talks"],
            ["unknown_timezone.json", "unknown timezone 'Mars/Olympus_Mons'"],
        ),
        (["--tz", "Mars/Olympus", "talks"], ["unknown timezone 'Mars/Olympus'"]),
        (
            ["--program", str(FIXTURES / "end_before_start.json"), "talks"],
            ["end_before_start.json", "'time-travel'", "before it starts"],
        ),
        (
            ["--program", str(FIXTURES / "end_before_start.json"), "show", "fine"],
            ["end_before_start.json", "'time-travel'"],
        ),
    ],
    ids=[
        "missing-file",
        "unknown-bundled-name",
        "empty-file",
        "invalid-json",
        "unknown-zone-in-file",
        "unknown-zone-option",
        "end-before-start",
        "bad-program-while-resolving-an-id",
    ],
)
def test_bad_input_is_one_error_line(args: list[str], fragments: list[str]) -> None:
    assert_one_error_line(run(*args), *fragments)


def test_unknown_kind_is_a_usage_error_in_one_line() -> None:
    result = run("talks", "--kind", "lecture")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert "talks --help')" in result.stderr
    assert "'lecture' is not one of" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_output_that_cannot_be_written_is_one_error_line_not_a_traceback() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "planner", "talks"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr == "Error: cannot write the output (No space left on device)\n"
