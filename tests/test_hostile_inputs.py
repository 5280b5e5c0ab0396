"""Hostile input, round two (issue 16): one ``Error:`` line and exit 2, or the file loads.

Organised by case: instants at the ends of time, huge durations, wide CSV headers, huge XML
attributes, special files and symlinks as the agenda, deep JSON agendas, usage errors,
newer native versions, and the wording of two refusals. Fixtures are in tests/fixtures/bad/
(also listed in its MANIFEST.json, so tests/test_bad_inputs.py runs them in real processes);
big ones are generated here. Growth of the once-quadratic cases is measured in
bench/hostile_growth.py, never timed here.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from planner.cli import cli

BAD = Path(__file__).parent / "fixtures" / "bad"
FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny_program.json"
NOW = "2024-05-01T08:30:00+00:00"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner(env={"PLANNER_NOW": NOW}).invoke(cli, list(args), prog_name="planner")


def one_error_line(result, *fragments: str) -> str:  # type: ignore[no-untyped-def]
    """The single stderr line of a refusal (exit 2, nothing on stdout, no traceback)."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# --- usage errors: one line with the --help hint inside ---------------------------------


def test_an_agenda_that_is_a_folder_is_one_usage_line(tmp_path: Path) -> None:
    line = one_error_line(
        run("--program", str(TINY), "--agenda", str(tmp_path), "talks"), "is a directory"
    )
    assert line.endswith("(see 'planner --help')")


def test_an_unknown_option_is_one_usage_line() -> None:
    one_error_line(run("--bogus"), "No such option '--bogus'", "(see 'planner --help')")


def test_a_bad_option_of_a_command_points_at_that_commands_help() -> None:
    one_error_line(
        run("--program", str(TINY), "talks", "--kind", "lecture"),
        "'lecture' is not one of",
        "(see 'planner talks --help')",
    )
