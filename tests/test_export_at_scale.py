"""The export at conference scale: the fast paths write what the slow ones did.

planner writes the calendar's bytes itself (planner/export/serialise.py), checks each distinct
instant once, and shows a long clash list as its first few lines and a count. These tests hold
the bytes to icalendar's own ``to_ical()`` and the shortcuts to the answers of the long way.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from click.testing import CliRunner, Result
from icalendar.parser import Contentline

from planner.agenda import Agenda, Pick, Settings, Snapshot
from planner.cli import cli
from planner.export import ics
from planner.export.serialise import fold_line, to_bytes
from planner.model import PersonalEvent, Program
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2022, 8, 1, 9, 30, tzinfo=timezone.utc)
ZONES = ["America/Los_Angeles", "Australia/Lord_Howe", "Pacific/Chatham", "UTC"]


def everything_picked(program: Program, alarm: int | None = None) -> Agenda:
    picks = [Pick(id=item.id, snapshot=Snapshot.of(item)) for item in program.items]
    return Agenda(program_id=program.id, picks=picks, settings=Settings(alarm_minutes=alarm))


@pytest.mark.parametrize(
    "line",
    [
        "SUMMARY:" + "a" * 66,  # exactly 74 octets: not folded
        "SUMMARY:" + "a" * 67,
        "DESCRIPTION:" + "x" * 61 + "\\n" + "y" * 200,  # an escape across the fold
        "DESCRIPTION:" + "x" * 62 + "\\;" + "y" * 100,
        "X-A:" + "^" * 200,
        "SUMMARY:" + "é" * 100,  # two-octet characters across every fold
        "SUMMARY:a" + "李" * 60 + "😀" * 40,
        "SUMMARY:" + "ab😀\\," * 50,
    ],
)
def test_folding_matches_icalendar(line: str) -> None:
    assert fold_line(line) == Contentline(line).to_ical()


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("fixture", ["hostile_titles.json", "fall_back_night.json"])
def test_the_file_is_what_icalendar_would_write(
    fixture: str, zone: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = load(str(FIXTURES / fixture))
    written: list[icalendar.Calendar] = []

    def keeping_the_calendar(calendar: icalendar.Calendar) -> bytes:
        written.append(calendar)
        return to_bytes(calendar)

    monkeypatch.setattr(ics, "to_bytes", keeping_the_calendar)
    agenda = everything_picked(program, alarm=15)
    result = ics.to_ics(program, agenda, zone=zone, now=NOW, alarm_minutes=None, name=None)
    (calendar,) = written
    assert result.data == calendar.to_ical()


def test_two_times_alike_on_the_clock_but_an_hour_apart_are_checked_apart() -> None:
    # Both read 01:30 in Los Angeles on its fall-back night (the first and the second time);
    # exported in Denver only the first falls on a repeated hour (01:30 MST), so only it goes
    # in UTC, although the export looks each distinct time up once.
    los_angeles = ZoneInfo("America/Los_Angeles")
    first = datetime(2023, 11, 5, 1, 30, tzinfo=los_angeles, fold=0)
    second = datetime(2023, 11, 5, 1, 30, tzinfo=los_angeles, fold=1)
    events = [
        PersonalEvent(id="my-first", title="First", start=first, end=first + timedelta(minutes=5)),
        PersonalEvent(
            id="my-second", title="Second", start=second, end=second + timedelta(hours=1)
        ),
    ]
    program = Program(id="p", name="P", timezone="America/Los_Angeles", items=[])
    agenda = Agenda(program_id="p", events=events)
    result = ics.to_ics(
        program, agenda, zone="America/Denver", now=NOW, alarm_minutes=None, name=None
    )
    lines = result.data.decode("utf-8").split("\r\n")
    assert "DTSTART:20231105T083000Z" in lines  # the first, in UTC
    assert "DTSTART;TZID=America/Denver:20231105T023000" in lines  # the second, 09:30 UTC
    assert result.warnings and "my-first" in result.warnings[0]
    assert "my-second" not in result.warnings[0]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    env = {
        "PLANNER_AGENDA": str(tmp_path / "agenda.json"),
        "PLANNER_NOW": "2024-05-01T09:30:00+00:00",
        "PLANNER_PROGRAM": str(FIXTURES / "six_parallel_talks.json"),
        "PLANNER_TZ": None,
    }

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)

    return invoke


def test_an_export_counts_the_clashes_in_one_line(run) -> None:
    picked = run("pick", "talk-1", "talk-2", "talk-3", "talk-4", "talk-5", "talk-6")
    assert picked.exit_code == 0
    # The pick named each clash it created, once (not again for pairs already warned of).
    warned = picked.stderr.splitlines()
    assert len(warned) == 15 == len(set(warned))
    assert warned[0] == (
        "Warning: Parallel talk 1 (talk-1) and Parallel talk 2 (talk-2) overlap by 60 minutes "
        "(09:00-10:00)"
    )
    result = run("export", "-o", "-")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "Wrote the export to stdout: 6 events, zone Europe/Berlin",
        "Warning: 15 clashes (planner clashes)",
    ]
    assert len(json.loads(run("clashes", "--json").stdout)) == 15
    assert result.stdout.count("BEGIN:VEVENT") == 6  # the clashes never block the export
