"""The use cases (planner.actions) that both faces call: same bytes, same messages, as data."""

from __future__ import annotations

import json
from datetime import datetime, time, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner import actions
from planner.agenda import read_agenda
from planner.cli import cli
from planner.errors import ExportError, PlannerError, ZoneError
from planner.export.markers import GENERATOR_TAG, PRODID, is_planner_export
from planner.model import Program
from planner.session import Session
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"
OVERLAPPING = FIXTURES / "overlapping_talks.json"
TINY = FIXTURES / "tiny_program.json"
NOW_TEXT = "2024-03-01T08:00:00+00:00"
NOW = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def overlapping() -> Program:
    return load(str(OVERLAPPING))


@pytest.fixture(scope="module")
def tiny() -> Program:
    return load(str(TINY))


def cli_run(program: Path, agenda_path: Path, *args: str):
    env = {"PLANNER_NOW": NOW_TEXT, "PLANNER_TZ": None, "PLANNER_PROGRAM": None}
    return CliRunner().invoke(
        cli, ["--program", str(program), "--agenda", str(agenda_path), *args], env=env
    )


# --- zones ---------------------------------------------------------------------------------


def test_the_display_zone_is_the_program_s_unless_asked(tiny: Program) -> None:
    assert actions.display_zone(tiny) == "Europe/Berlin"
    assert actions.display_zone(tiny, "asia/kolkata") == "Asia/Kolkata"
    with pytest.raises(ZoneError):
        actions.display_zone(tiny, "Mars/Olympus")


def test_the_export_zone_is_one_value_with_utc_a_flag(tiny: Program) -> None:
    assert actions.export_zone(tiny) == actions.ExportZone("Europe/Berlin", False, "Europe/Berlin")
    by_tz = actions.export_zone(tiny, display_tz="Asia/Kolkata", tz="pacific/chatham")
    assert by_tz == actions.ExportZone("Pacific/Chatham", False, "Pacific/Chatham")
    # In UTC the file says UTC, while clash warnings stay in the zone the attendee reads.
    in_utc = actions.export_zone(tiny, display_tz="Asia/Kolkata", utc=True)
    assert in_utc == actions.ExportZone("UTC", True, "Asia/Kolkata")


def test_a_pinned_clock_is_read_and_a_bad_one_named() -> None:
    assert actions.current_time(NOW_TEXT) == NOW
    assert actions.current_time(None).tzinfo is not None
    with pytest.raises(PlannerError, match="PLANNER_NOW='tomorrow' is not an ISO 8601 time"):
        actions.current_time("tomorrow")


def test_a_session_loads_the_program_once_and_finds_its_agenda(tmp_path: Path) -> None:
    session = Session(str(TINY), display_tz="utc", config_dir=tmp_path, pinned_now=NOW_TEXT)
    assert session.program is session.program
    assert session.zone == "UTC" and session.now() == NOW
    assert session.agenda_path == tmp_path / "agendas" / "tiny2024.json"
    chosen = Session(str(TINY), agenda_option=tmp_path / "mine.json", config_dir=tmp_path)
    assert chosen.agenda_path == tmp_path / "mine.json"
    assert chosen.zone == "Europe/Berlin"


# --- edits ---------------------------------------------------------------------------------


def test_pick_returns_its_sentences_and_the_clashes_it_created(
    overlapping: Program, tmp_path: Path
) -> None:
    path = tmp_path / "agenda.json"
    by_id = overlapping.item_map()
    first = actions.pick(overlapping, path, [by_id["outer"]], zone="Europe/Berlin", now=NOW)
    assert first.messages == ["added outer: Outer talk (Tue 14 May 11:00-12:00, Room A)"]
    assert first.clashes == []
    second = actions.pick(
        overlapping, path, [by_id["inner"], by_id["partial-a"]], zone="UTC", now=NOW
    )
    assert [o.id for o in second.outcomes] == ["inner", "partial-a"]
    # Worded in the zone the change was asked in; only clashes of what this change touched.
    assert [(c.kind, c.items) for c in second.clashes] == [("time", ("outer", "inner"))]
    assert "(09:15-09:45)" in second.clashes[0].message
    assert [p.id for p in read_agenda(path, overlapping.id).picks] == [
        "outer",
        "inner",
        "partial-a",
    ]


def test_the_cli_prints_exactly_what_the_use_case_returns(
    overlapping: Program, tmp_path: Path
) -> None:
    by_id = overlapping.item_map()
    ours = actions.pick(
        overlapping,
        tmp_path / "core.json",
        [by_id["partial-a"], by_id["partial-b"]],
        zone="Europe/Berlin",
        now=NOW,
    )
    shown = cli_run(OVERLAPPING, tmp_path / "cli.json", "pick", "partial-a", "partial-b")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines() == ours.messages
    assert shown.stderr.splitlines() == [f"Warning: {c.message}" for c in ours.clashes]
    assert (tmp_path / "core.json").read_bytes() == (tmp_path / "cli.json").read_bytes()


def test_ids_name_items_as_the_command_line_reads_them(overlapping: Program) -> None:
    from planner.errors import NotFoundError

    found = actions.find_items(overlapping, ["outer", "SESSION-TALK-1", "riv"])
    assert [item.id for item in found] == ["outer", "session-talk-1", "rival"]
    with pytest.raises(NotFoundError, match="ambiguous"):
        actions.find_items(overlapping, ["partial"])


def test_drop_reports_each_id(overlapping: Program, tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    by_id = overlapping.item_map()
    actions.pick(overlapping, path, [by_id["outer"]], zone="UTC", now=NOW)
    report = actions.drop(overlapping, path, ["out", "inner"])
    assert report.messages == [
        "dropped outer: Outer talk",
        "inner is not in your agenda: nothing changed",
    ]
    assert read_agenda(path, overlapping.id).picks == []


def test_add_reads_wall_clock_times_in_the_zone_and_says_how_a_skipped_one_was_read(
    tiny: Program, tmp_path: Path
) -> None:
    path = tmp_path / "agenda.json"
    when = (datetime(2024, 3, 31, 2, 30), time(4, 0))  # Berlin skips 02:00-03:00 that night
    report = actions.add_event(tiny, path, "Early run", when, "Hall A", zone="Europe/Berlin")
    assert report.notes == [
        "2024-03-31 02:30 does not exist in Europe/Berlin (clocks went forward); "
        "read as 03:30+02:00"
    ]
    [event] = read_agenda(path, tiny.id).events
    assert (event.start.isoformat(), event.end.isoformat()) == (
        "2024-03-31T03:30:00+02:00",
        "2024-03-31T04:00:00+02:00",
    )
    assert report.messages == [
        "added your event my-early-run: Early run (Sun 31 Mar 03:30-04:00, Hall A)"
    ]


def test_settings_change_and_read_back(tiny: Program, tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    assert actions.read_settings(tiny, path).walk_minutes == 5
    report = actions.change_settings(tiny, path, {"walk_minutes": 9, "alarm_minutes": None})
    assert report.messages == ["settings saved"]
    assert actions.read_settings(tiny, path).walk_minutes == 9
    with pytest.raises(PlannerError, match="unknown setting colour"):
        actions.change_settings(tiny, path, {"colour": 1})


# --- export --------------------------------------------------------------------------------


def test_export_gives_the_bytes_and_lines_the_cli_writes(tiny: Program, tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    by_id = tiny.item_map()
    actions.pick(tiny, path, [by_id["gamma"], by_id["later"]], zone="UTC", now=NOW)
    request = actions.ExportRequest("ics", actions.export_zone(tiny))
    done = actions.export(tiny, path, request, now=NOW)
    assert done.written_to is None and done.media_type == "text/calendar"
    assert done.summary == "1 event, zone Europe/Berlin"
    assert done.messages == ["Left out (time to be announced): later: Dinner, time to be announced"]
    shown = cli_run(TINY, path, "export", "-o", "-")
    assert shown.exit_code == 0
    assert shown.stdout_bytes == done.data
    assert shown.stderr.splitlines() == [
        f"Wrote the export to stdout: {done.summary}",
        *done.messages,
    ]


def test_an_html_export_is_the_page_the_cli_writes(tiny: Program, tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    actions.pick(tiny, path, [tiny.item_map()["alpha"]], zone="UTC", now=NOW)
    request = actions.ExportRequest("html", actions.export_zone(tiny, utc=True))
    target = tmp_path / "page.html"
    done = actions.export(tiny, path, request, now=NOW, target=target)
    assert done.written_to == target and target.read_bytes() == done.data
    assert done.summary == "zone UTC" and done.media_type == "text/html"
    shown = cli_run(TINY, path, "export", "--format", "html", "--utc", "-o", "-")
    assert shown.stdout_bytes == done.data


def test_an_export_that_raises_sequence_records_it_once(tiny: Program, tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    actions.pick(tiny, path, [tiny.item_map()["gamma"]], zone="UTC", now=NOW)
    data = json.loads(TINY.read_text())
    gamma = next(item for item in data["items"] if item["id"] == "gamma")
    gamma["start"], gamma["end"] = "2024-03-31T12:00:00+02:00", "2024-03-31T13:00:00+02:00"
    moved = Program.model_validate(data)
    request = actions.ExportRequest("ics", actions.export_zone(moved))
    first = actions.export(moved, path, request, now=NOW)
    assert b"SEQUENCE:1" in first.data
    [pick] = read_agenda(path, tiny.id).picks
    assert pick.sequence == 1 and pick.exported is not None
    again = actions.export(moved, path, request, now=NOW)
    assert again.data == first.data  # recorded: the next export does not raise it again
    assert read_agenda(path, tiny.id).picks == [pick]


def test_export_warns_of_every_clash_up_to_a_screenful(
    overlapping: Program, tmp_path: Path
) -> None:
    path = tmp_path / "agenda.json"
    by_id = overlapping.item_map()
    ids = ["partial-a", "partial-b", "outer", "inner"]
    actions.pick(overlapping, path, [by_id[i] for i in ids], zone="UTC", now=NOW)
    zone = actions.export_zone(overlapping, display_tz="UTC", utc=True)
    done = actions.export(overlapping, path, actions.ExportRequest("ics", zone), now=NOW)
    assert done.messages == [
        "Warning: partial-a and partial-b overlap by 20 minutes (07:40-08:00)",
        "Warning: outer and inner overlap by 30 minutes (09:15-09:45)",
    ]


def test_an_export_never_replaces_a_file_planner_did_not_write(
    tiny: Program, tmp_path: Path
) -> None:
    path = tmp_path / "agenda.json"
    actions.pick(tiny, path, [tiny.item_map()["gamma"]], zone="UTC", now=NOW)
    notes = tmp_path / "notes.ics"
    notes.write_text("my own notes")
    request = actions.ExportRequest("ics", actions.export_zone(tiny))
    with pytest.raises(ExportError, match="is not an earlier planner export"):
        actions.export(tiny, path, request, now=NOW, target=notes)
    assert notes.read_text() == "my own notes"
    actions.export(tiny, path, request, now=NOW, target=notes, force=True)
    earlier = actions.export(tiny, path, request, now=NOW, target=notes)  # now its own export
    assert notes.read_bytes() == earlier.data


def test_the_export_markers_are_the_ones_the_exports_write() -> None:
    assert is_planner_export(f"BEGIN:VCALENDAR\r\nPRODID:{PRODID}\r\n".encode())
    assert is_planner_export(f"<head>{GENERATOR_TAG}</head>".encode())
    assert is_planner_export(b"PRODID:-//planner//planner 0.1//EN")  # an older planner's
    assert not is_planner_export(b"PRODID:-//Example Corp//Schedule 1.0//EN")


def test_an_export_request_refuses_options_of_the_other_format(tiny: Program) -> None:
    zone = actions.export_zone(tiny)
    with pytest.raises(ExportError):
        actions.ExportRequest("html", zone, alarm_minutes=10)
    with pytest.raises(ExportError):
        actions.ExportRequest("ics", zone, show_all=True)
