"""`planner use` remembers the current program; `planner programs` lists those with an agenda."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planner.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
GUID = "11111111-aaaa-4aaa-8aaa-111111111111"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """planner in a fresh HOME with its own config and cache dirs, no program chosen."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("PLANNER_NOW", "2024-09-01T08:00:00+00:00")
    for name in ("PLANNER_PROGRAM", "PLANNER_AGENDA", "PLANNER_TZ", "PLANNER_PROGRAM_TZ"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_a_used_program_is_the_one_later_commands_see(run, tmp_path: Path) -> None:
    used = run("use", str(FIXTURES / "live_frab_v1.xml"))
    assert used.exit_code == 0
    assert used.output.splitlines()[:2] == [
        "Now using repeatcon: RepeatCon",
        "Program: repeatcon: RepeatCon (4 items, zone Europe/Vienna)",
    ]
    assert run("pick", GUID).exit_code == 0
    agenda = run("agenda")
    assert "RepeatCon: your agenda" in agenda.output and "Intro to Rust" in agenda.output
    shown = run("use").output.splitlines()
    assert shown[1] == f"Source: {FIXTURES / 'live_frab_v1.xml'}"
    assert shown[2] == f"Agenda: {tmp_path / 'config/planner/agendas/repeatcon.json'} (1 pick)"


def test_programs_lists_agendas_with_picks_and_marks_the_current(run) -> None:
    run("use", str(FIXTURES / "live_frab_v1.xml"))
    run("pick", GUID)
    run("use", "--bundled", "mlsys2022")
    run("pick", "quclassi")
    lines = run("programs").output.splitlines()
    assert lines == [
        "* mlsys2022     1 pick  bundled",
        f"  repeatcon     1 pick  {FIXTURES / 'live_frab_v1.xml'}",
    ]
    assert run("use", "repeatcon").output.startswith("Now using repeatcon")  # back by id
    assert "Intro to Rust" in run("agenda").output


def test_a_source_that_does_not_load_is_not_remembered(run, tmp_path: Path) -> None:
    bad = run("use", str(tmp_path / "nowhere.xml"))
    assert bad.exit_code == 2 and bad.output.startswith("Error: ")
    assert "MLSys 2022" in run("use").output  # still the bundled default


def test_no_agendas_yet(run) -> None:
    assert run("programs").output.startswith("No agendas yet")


def test_use_bundled_takes_only_a_bundled_name(run) -> None:
    wrong = run("use", "--bundled", str(FIXTURES / "live_frab_v1.xml"))
    assert wrong.exit_code == 2
    assert "no such bundled program (bundled: mlsys2022)" in wrong.output
    assert run("use", "--bundled", "mlsys2022").exit_code == 0
