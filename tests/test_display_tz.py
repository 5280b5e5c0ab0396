"""--tz: the agenda shown, and personal events read, in the attendee's own zone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.agenda import read_agenda
from planner.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
PACIFIC = FIXTURES / "pacific_program.json"
DST = FIXTURES / "dst_change_program.json"


def run(program: Path, agenda_path: Path, *args: str):
    return CliRunner().invoke(
        cli,
        ["--program", str(program), "--agenda", str(agenda_path), *args],
        catch_exceptions=False,
    )


@pytest.fixture
def pacific_agenda(tmp_path: Path) -> Path:
    path = tmp_path / "a.json"
    assert (
        run(PACIFIC, path, "pick", "morning-session", "midnight-talk", "late-talk").exit_code == 0
    )
    return path


def test_berlin_sees_the_0845_pacific_session_at_1745(pacific_agenda: Path) -> None:
    text = run(PACIFIC, pacific_agenda, "--tz", "Europe/Berlin", "agenda").stdout.splitlines()
    assert text[2] == "Tuesday 30 August 2022 (times in Europe/Berlin, UTC+02:00)"
    assert text[3].startswith("17:45-19:15    Exhibit Hall A  Morning session")


def test_the_global_option_and_the_environment_both_choose_the_zone(
    pacific_agenda: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = ["--program", str(PACIFIC), "--agenda", str(pacific_agenda)]
    by_option = CliRunner().invoke(cli, [*before, "--tz", "Europe/Berlin", "agenda", "--json"])
    by_env = CliRunner().invoke(
        cli, [*before, "agenda", "--json"], env={"PLANNER_TZ": "Europe/Berlin"}
    )
    assert by_option.stdout == by_env.stdout
    first = json.loads(by_option.stdout)["items"][0]
    assert (first["start"], first["end"]) == (
        "2022-08-30T17:45:00+02:00",
        "2022-08-30T19:15:00+02:00",
    )


def test_without_tz_the_programs_own_zone_is_used(pacific_agenda: Path) -> None:
    text = run(PACIFIC, pacific_agenda, "agenda").stdout.splitlines()
    assert text[2] == "Tuesday 30 August 2022 (times in America/Los_Angeles, UTC-07:00)"
    assert text[3].startswith("08:45-10:15")


def test_across_midnight_a_pick_lands_on_the_next_day(pacific_agenda: Path) -> None:
    text = run(PACIFIC, pacific_agenda, "--tz", "Europe/Berlin", "agenda").stdout
    tuesday, wednesday = text.split(
        "Wednesday 31 August 2022 (times in Europe/Berlin, UTC+02:00)\n"
    )
    assert "23:30-00:30+1  Room 204        Crosses midnight in Berlin" in tuesday
    assert wednesday.startswith("01:00-02:30    Exhibit Hall A  Next day in Berlin")
    data = json.loads(
        run(PACIFIC, pacific_agenda, "--tz", "Europe/Berlin", "agenda", "--json").stdout
    )
    assert [item["start"] for item in data["items"]] == [
        "2022-08-30T17:45:00+02:00",
        "2022-08-30T23:30:00+02:00",
        "2022-08-31T01:00:00+02:00",
    ]


def test_across_the_spring_dst_changes_the_difference_moves(tmp_path: Path) -> None:
    # 9:00 in Los Angeles: 18:00 in Berlin, 17:00 between the US (13 March) and EU (27 March)
    # changes, 18:00 again after both.
    path = tmp_path / "a.json"
    run(DST, path, "pick", "before-us-dst", "between-changes", "after-eu-dst")
    lines = run(DST, path, "--tz", "Europe/Berlin", "agenda").stdout.splitlines()
    days = [(line, lines[n + 1][:11]) for n, line in enumerate(lines) if "(times in" in line]
    assert days == [
        ("Saturday 12 March 2022 (times in Europe/Berlin, UTC+01:00)", "18:00-19:00"),
        ("Monday 14 March 2022 (times in Europe/Berlin, UTC+01:00)", "17:00-18:00"),
        ("Monday 28 March 2022 (times in Europe/Berlin, UTC+02:00)", "18:00-19:00"),
    ]


def test_clash_messages_use_the_display_zone(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    run(PACIFIC, path, "pick", "morning-session")
    added = run(
        PACIFIC,
        path,
        "--tz",
        "Europe/Berlin",
        "add",
        "Dinner",
        "--start",
        "2022-08-30 19:00",
        "--end",
        "21:00",
    )
    assert added.stdout == "added your event my-dinner: Dinner (Tue 30 Aug 19:00-21:00)\n"
    assert (
        added.stderr
        == "Warning: Morning session (morning-session) and Dinner (my-dinner) overlap by "
        "15 minutes (19:00-19:15)\n"
    )


def test_personal_event_times_are_read_in_the_display_zone(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    result = run(
        PACIFIC,
        path,
        "--tz",
        "Asia/Kolkata",
        "add",
        "Call",
        "--start",
        "2022-08-30 21:15",
        "--end",
        "22:00",
    )
    assert result.exit_code == 0
    [event] = read_agenda(path, "pacific").events
    assert event.start.isoformat() == "2022-08-30T21:15:00+05:30"
    in_pacific = run(PACIFIC, path, "agenda").stdout
    assert "08:45-09:30    -" in in_pacific  # the same instant, shown in the program's zone


def test_a_time_skipped_by_the_clocks_is_moved_forward_and_said(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    result = run(
        PACIFIC,
        path,
        "--tz",
        "Europe/Berlin",
        "add",
        "Early",
        "--start",
        "2022-03-27 02:30",
        "--end",
        "04:00",
    )
    assert result.exit_code == 0
    assert result.stderr == (
        "Note: 2022-03-27 02:30 does not exist in Europe/Berlin (clocks went forward); "
        "read as 03:30+02:00\n"
    )
    [event] = read_agenda(path, "pacific").events
    assert event.start.isoformat() == "2022-03-27T03:30:00+02:00"


def test_a_time_that_happens_twice_means_the_first_and_is_said(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    result = run(
        PACIFIC,
        path,
        "--tz",
        "Europe/Berlin",
        "add",
        "Late",
        "--start",
        "2022-10-30 02:30",
        "--end",
        "03:30",
    )
    assert result.exit_code == 0
    assert (
        "occurs twice in Europe/Berlin (clocks went back); read as the first, +02:00"
        in result.stderr
    )
    [event] = read_agenda(path, "pacific").events
    assert event.start.isoformat() == "2022-10-30T02:30:00+02:00"
    assert event.end.isoformat() == "2022-10-30T03:30:00+01:00"


def test_an_unknown_zone_is_one_clear_error(pacific_agenda: Path) -> None:
    result = run(PACIFIC, pacific_agenda, "--tz", "Europe/Berln", "agenda")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: unknown timezone 'Europe/Berln'; did you mean Europe/Berlin"
    )


def test_talks_across_midnight_keep_the_room_column_apart(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--tz", "Asia/Tokyo", "talks"], env={"PLANNER_PROGRAM": None, "PLANNER_TZ": None}
    )
    rows = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    # "22:30-00:00+1~" (estimated, into the next day) widens the time column for every row.
    assert rows[0].startswith("  22:30-00:00+1~ -                registration ")
    assert rows[1].startswith("  00:00-02:15    Room 204         telemetry-tutorial ")


@pytest.mark.parametrize(
    "args", [["--tz", "", "talks"], ["export", "--tz", "", "-o", "-"]], ids=["global", "export"]
)
def test_an_empty_zone_name_is_an_error_not_the_default(args: list[str], tmp_path: Path) -> None:
    result = run(PACIFIC, tmp_path / "a.json", *args)
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown timezone ''; use an IANA name such as Europe/Berlin\n"
