"""`planner refresh` against a program server the test starts on 127.0.0.1, and short ids in use."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers.program_server import Served, program_server

from planner.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
V1, V2 = FIXTURES / "live_frab_v1.xml", FIXTURES / "live_frab_v2.xml"
INTRO = "11111111-aaaa-4aaa-8aaa-111111111111"


@pytest.fixture
def server() -> Iterator[tuple[str, Served]]:
    with program_server() as running:
        yield running


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """planner in a fresh HOME with its own config and cache dirs, no program chosen."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("PLANNER_NOW", "2024-09-01T08:00:00+00:00")
    monkeypatch.chdir(tmp_path)
    for name in ("PLANNER_PROGRAM", "PLANNER_AGENDA", "PLANNER_TZ", "PLANNER_PROGRAM_TZ"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def vevent(ics: str, uid: str) -> list[str]:
    events = ics.replace("\r\n ", "").split("BEGIN:VEVENT")
    [found] = [event.splitlines() for event in events if f"UID:{uid}" in event.splitlines()]
    return found


def test_an_update_that_moves_one_pick_and_removes_another(run, server) -> None:
    base, served = server
    url = f"{base}/schedule.xml"
    assert run("use", url).exit_code == 0
    assert run("pick", "1", "2", "office-hours-novak-thu-1100").exit_code == 0
    assert "SEQUENCE:1" not in run("export", "-o", "-").stdout
    first = run("refresh")
    assert first.output.splitlines()[:2] == [
        f"Refreshed repeatcon from {url}: the server says it has not changed.",
        "Program: 0 added, 0 removed since the last refresh (4 items)",  # since `use`
    ]
    served.body, served.etag = V2.read_bytes(), '"v2"'
    asked = len(served.requests)
    report = run("refresh")
    assert len(served.requests) == asked + 1  # asked now, though --max-age (15 min) has not passed
    assert report.exit_code == 0
    assert report.output.splitlines() == [
        f"Refreshed repeatcon from {url}: fetched a new copy.",
        "Program: 1 added, 1 removed since the last refresh (4 items)",
        "Your picks: 2 changed since you last confirmed them",
        "  Intro to Rust (1): moved from 10:00 to 11:15",
        "  Intro to Rust (repeat) (2): no longer in the program",
        "Pick a changed talk again to confirm it; drop a vanished one to remove it (until then "
        "the export marks it cancelled).",
        "New clashes since the last refresh:",
        "  Office hours (office-hours-novak-thu-1100) and Intro to Rust (1) overlap by 30 minutes "
        "(11:15-11:45)",
    ]
    assert run("refresh", "--strict").exit_code == 1
    # The agenda keeps both picks: the moved one and the one no longer in the program.
    shown = json.loads(run("agenda", "--json").output)
    assert sorted(item["id"] for item in shown["items"]) == [
        "1",
        "2",
        "office-hours-novak-thu-1100",
    ]
    # The export raises the moved talk's SEQUENCE and cancels the removed one.
    ics = run("export", "-o", "-").stdout
    moved = vevent(ics, f"{INTRO}@repeatcon.planner")
    assert "SEQUENCE:1" in moved and "STATUS:CANCELLED" not in moved
    removed = vevent(ics, f"{INTRO}-2@repeatcon.planner")
    assert "SEQUENCE:1" in removed and "STATUS:CANCELLED" in removed
    # Refreshed again with nothing new: the picks' changes stay until confirmed, no new clash.
    again = json.loads(run("refresh", "--json").output)
    assert (again["how"], again["added"], again["removed"]) == ("not-modified", [], [])
    assert [change["kind"] for change in again["changes"]] == ["moved", "vanished"]
    assert again["new_clashes"] == []
    assert run("pick", "1").exit_code == 0 and run("drop", "2").exit_code == 0
    assert json.loads(run("refresh", "--json").output)["changes"] == []


def test_a_used_frab_file_picked_by_short_id_survives_a_refresh_that_renumbers(
    run, tmp_path: Path
) -> None:
    program = tmp_path / "schedule.xml"
    program.write_bytes(V1.read_bytes())
    assert run("use", str(program)).exit_code == 0
    picked = run("pick", "1", "office-hours-novak-thu-1600")
    assert (
        picked.output.splitlines()[0] == "added 1: Intro to Rust (Thu 12 Sep 10:00-10:30, Room A)"
    )
    assert run("pick", f"{INTRO}-2").output.startswith("added 2: ")  # the GUID still works
    agenda = run("agenda")  # no --program: the program chosen with `use`
    assert "RepeatCon: your agenda" in agenda.output and "Intro to Rust" in agenda.output
    assert run("refresh").exit_code == 0
    # The conference renumbers its events; the GUIDs stay: every pick is kept and found.
    program.write_bytes(
        V1.read_bytes().replace(b'id="1"', b'id="101"').replace(b'id="2"', b'id="102"')
    )
    report = run("refresh", "--strict")
    assert report.exit_code == 0, report.output
    assert "Program: 0 added, 0 removed since the last refresh (4 items)" in report.output
    assert "Your picks: no changes" in report.output
    shown = json.loads(run("agenda", "--json").output)
    assert sorted(item["id"] for item in shown["items"]) == [
        "101",
        "102",
        "office-hours-novak-thu-1600",
    ]
    assert shown["changes"] == []


def test_the_first_refresh_of_a_used_file_compares_with_the_program_as_used(
    run, tmp_path: Path
) -> None:
    program = tmp_path / "p.xml"
    shutil.copy(V1, program)
    assert run("use", str(program)).exit_code == 0
    assert run("pick", "1", "2").exit_code == 0
    shutil.copy(V2, program)
    # Using it again keeps the program as first used: changes since then are not hidden.
    assert run("use", str(program)).exit_code == 0
    report = run("refresh")
    assert report.exit_code == 0, report.output
    lines = report.output.splitlines()
    assert lines[:2] == [
        f"Refreshed repeatcon from {program}: read it again.",
        "Program: 1 added, 1 removed since the last refresh (4 items)",
    ]
    assert "  Intro to Rust (repeat) (2): no longer in the program" in lines
    # That refresh is the new baseline: nothing more was added or removed since.
    again = json.loads(run("refresh", "--json").output)
    assert (again["how"], again["added"], again["removed"]) == ("read", [], [])


def test_a_refresh_with_nothing_kept_keeps_the_program_for_the_next(run, tmp_path: Path) -> None:
    program = tmp_path / "p.xml"
    shutil.copy(V1, program)
    first = run("--program", str(program), "refresh")
    assert (
        first.output.splitlines()[1]
        == "Program: 4 items (the first refresh: nothing to compare with)"
    )
    shutil.copy(V2, program)
    report = json.loads(run("--program", str(program), "refresh", "--json").output)
    assert (report["added"], report["removed"]) == (["3"], ["2"])


def test_a_first_refresh_compares_with_the_copy_the_cache_held(run, server) -> None:
    base, served = server
    assert run("use", f"{base}/schedule.xml").exit_code == 0
    served.body, served.etag = V2.read_bytes(), '"v2"'
    report = json.loads(run("refresh", "--json").output)
    assert (report["how"], report["added"], report["removed"]) == ("fetched", ["3"], ["2"])


def test_refresh_with_the_server_gone_uses_the_copy_and_says_so(run, server) -> None:
    base, served = server
    assert run("use", f"{base}/schedule.xml").exit_code == 0
    served.status = 500
    report = run("refresh")
    assert report.exit_code == 0
    assert report.stderr.startswith(f"Warning: {base}/schedule.xml: the server answered 500")
    assert report.stdout.splitlines()[0].endswith(
        "the server could not be reached: the copy kept is used."
    )
