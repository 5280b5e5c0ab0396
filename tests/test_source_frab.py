"""The frab / Pentabarf schedule.xml loader (planner/sources/frab.py) on small named fixtures."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from helpers.loading import FIXTURES, assert_one_error_line, fixture, run

from planner.errors import ProgramError
from planner.model import Program
from planner.sources import SourceContext, load, parse, sniff


def load_fixture(name: str, zone: str | None = None) -> Program:
    return load(fixture(name), zone=zone)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def timetable(
    program: Program,
) -> list[tuple[str, str, datetime | None, datetime | None, str | None]]:
    return [(item.id, item.title, item.start, item.end, item.room) for item in program.items]


# --- detection ---


@pytest.mark.parametrize(
    "name", ["frab_offsets.xml", "frab_no_declaration.xml", "frab_utc_date_local_start.xml"]
)
def test_detected_from_content(name: str) -> None:
    assert sniff((FIXTURES / name).read_bytes()) == "frab"


# --- instants ---


def test_dates_with_offsets_are_the_instants() -> None:
    program = load_fixture("frab_offsets.xml")
    assert (program.id, program.name, program.timezone) == (
        "pyconin2024",
        "PyCon India 2024",
        "Asia/Kolkata",
    )
    assert timetable(program) == [
        (
            "101",
            "Opening keynote",
            at("2024-11-14T09:30:00+05:30"),
            at("2024-11-14T10:15:00+05:30"),
            "Hall A",
        ),
        (
            "102",
            "Typed pipelines",
            at("2024-11-14T10:15:00+05:30"),
            at("2024-11-14T11:15:00+05:30"),  # duration written HH:MM:SS
            "Hall A",
        ),
        (
            "103",
            "Hands-on asyncio",
            at("2024-11-14T14:00:00+05:30"),
            at("2024-11-14T16:30:00+05:30"),
            "Hall B",
        ),
        (
            "104",
            "Panel: packaging in 2024",
            at("2024-11-15T17:00:00+05:30"),
            at("2024-11-15T17:50:00+05:30"),
            "Hall A",
        ),
    ]
    assert program.items[0].start == at("2024-11-14T04:00:00+00:00")
    assert program.items[0].guid == "a1c4e9f0-1111-4c1a-9d2e-000000000101"  # kept, accepted
    assert program.notes == []


def test_rooms_come_from_room_names_even_empty_ones() -> None:
    program = load_fixture("frab_offsets.xml")
    assert [room.name for room in program.rooms] == ["Hall A", "Hall B", "Hall C"]


def test_persons_types_and_urls() -> None:
    items = load_fixture("frab_offsets.xml").items
    assert [item.speakers for item in items] == [
        ["Asha Rao"],
        ["Vikram Shah", "Lena Okafor"],
        [],
        [],
    ]
    # Keynote -> keynote, lecture -> talk, Workshop -> tutorial, Podium discussion -> talk
    assert [item.kind for item in items] == ["keynote", "talk", "tutorial", "talk"]
    assert items[0].url == "https://in.pycon.org/2024/talk/101/"
    assert items[1].url is None
    assert items[0].abstract == "Welcome to the conference."


def test_local_starts_without_any_zone_ask_for_program_tz() -> None:
    with pytest.raises(ProgramError) as caught:
        load_fixture("frab_no_timezone.xml")
    message = str(caught.value)
    assert message.startswith(fixture("frab_no_timezone.xml") + ": event 1 'Night owls meet': ")
    assert "give --program-tz ZONE" in message


def test_program_tz_reads_local_starts_across_spring_forward() -> None:
    program = load_fixture("frab_no_timezone.xml", zone="Europe/Berlin")
    assert program.timezone == "Europe/Berlin"
    assert [(item.start, item.end, item.estimated) for item in program.items] == [
        # 02:30 does not exist on 31 March 2024 in Berlin: moved forward by the gap
        (at("2024-03-31T03:30:00+02:00"), at("2024-03-31T04:00:00+02:00"), True),
        (at("2024-03-31T10:00:00+02:00"), at("2024-03-31T10:45:00+02:00"), False),
        (at("2024-04-07T01:45:00+02:00"), at("2024-04-07T02:15:00+02:00"), False),
    ]
    gap_note = (
        "event 1 'Night owls meet': 2024-03-31 02:30 does not exist in Europe/Berlin "
        "(clocks went forward); read as 03:30+02:00"
    )
    assert program.notes == [gap_note]
    assert program.items[0].note == gap_note.split(": ", 1)[1]


def test_program_tz_reads_local_starts_across_lord_howe_half_hour_fall_back() -> None:
    program = load_fixture("frab_no_timezone.xml", zone="Australia/Lord_Howe")
    assert [(item.start, item.estimated) for item in program.items] == [
        (at("2024-03-31T02:30:00+11:00"), False),
        (at("2024-03-31T10:00:00+11:00"), False),
        # 01:45 happens twice on 7 April (clocks go back 30 minutes at 02:00): the first
        (at("2024-04-07T01:45:00+11:00"), True),
    ]
    assert program.notes == [
        "event 3 'Fall back session': 2024-04-07 01:45 occurs twice in Australia/Lord_Howe "
        "(clocks went back); read as the first, +11:00"
    ]


def test_days_past_midnight_put_small_hours_on_the_next_date() -> None:
    program = load_fixture("frab_day_change.xml")
    assert (program.id, program.timezone) == ("38c3", "Europe/Berlin")
    assert [(item.title, item.start, item.end) for item in program.items] == [
        ("Opening", at("2024-12-27T11:00:00+01:00"), at("2024-12-27T11:40:00+01:00")),
        ("Late night talk", at("2024-12-27T23:30:00+01:00"), at("2024-12-28T00:30:00+01:00")),
        ("Hacker jeopardy", at("2024-12-28T02:00:00+01:00"), at("2024-12-28T03:30:00+01:00")),
        ("Day two morning", at("2024-12-28T12:00:00+01:00"), at("2024-12-28T12:40:00+01:00")),
    ]
    assert program.notes == []


def test_a_day_whose_start_and_end_have_no_offset_still_runs_past_midnight() -> None:
    # <day start="2024-12-27T11:00:00" end="2024-12-28T04:00:00">: the conference's own clock.
    program = load_fixture("frab_day_bounds_without_offset.xml")
    assert [(item.title, item.start) for item in program.items] == [
        ("Evening", at("2024-12-27T23:00:00+01:00")),
        ("Night", at("2024-12-28T02:00:00+01:00")),
    ]


def test_dates_without_offsets_are_local_times_in_the_zone() -> None:
    program = load_fixture("frab_naive_dates.xml")
    assert [(item.title, item.start, item.end) for item in program.items] == [
        ("Local date and time", at("2024-12-27T23:30:00+01:00"), at("2024-12-28T00:30:00+01:00")),
        (
            "Calendar date and a start",
            at("2024-12-28T01:00:00+01:00"),
            at("2024-12-28T01:30:00+01:00"),
        ),
    ]
    assert program.notes == []


def test_pentabarf_day_change_and_numeric_ids() -> None:
    program = load_fixture("frab_pentabarf_day_change.xml", zone="Europe/Brussels")
    assert program.id == "frab_pentabarf_day_change"  # no acronym: the file name
    assert (program.name, program.venue) == ("FOSS Weekend", "ULB Solbosch")
    assert [(item.id, item.kind, item.start, item.speakers) for item in program.items] == [
        ("5001", "talk", at("2025-02-01T09:30:00+01:00"), ["Organiser Team"]),  # maintrack
        # before the 04:00 day change: the next calendar date
        ("5002", "social", at("2025-02-02T01:00:00+01:00"), []),
    ]


def test_utc_dates_with_local_starts_trust_the_date_and_say_so() -> None:
    program = load_fixture("frab_utc_date_local_start.xml")
    assert program.timezone == "Europe/Berlin"
    assert [(item.title, item.start, item.end) for item in program.items] == [
        ("Breakfast briefing", at("2024-07-20T10:00:00+02:00"), at("2024-07-20T10:30:00+02:00")),
        (
            "Soldering for beginners",
            at("2024-07-20T11:00:00+02:00"),
            at("2024-07-20T12:00:00+02:00"),
        ),
        ("Lightning talks", at("2024-07-20T14:00:00+02:00"), at("2024-07-20T14:30:00+02:00")),
    ]
    assert program.notes == [
        "date is written at another offset than the local start for 2 events, e.g. event 11 "
        "'Breakfast briefing': start 10:00, date 2024-07-20T08:00:00Z; used the instants in "
        "date (they agree with start in Europe/Berlin)",
        "start disagrees with date for 1 event, e.g. event 13 'Lightning talks': start 13:00, "
        "date 2024-07-20T12:00:00+00:00 is 14:00 in Europe/Berlin; used the instants in date",
    ]


def test_program_tz_overrides_the_declared_zone_for_display_only() -> None:
    program = load_fixture("frab_utc_date_local_start.xml", zone="America/New_York")
    assert program.timezone == "America/New_York"
    assert program.items[0].start == at("2024-07-20T08:00:00+00:00")
    assert "times shown in America/New_York as --program-tz asked (file says Europe/Berlin)" in (
        program.notes
    )


def test_dates_without_a_zone_name_estimate_the_display_zone() -> None:
    program = load_fixture("frab_offsets_no_zone.xml")
    assert (program.id, program.name) == ("frab_offsets_no_zone", "Winter Meetup")
    assert program.timezone == "Etc/GMT-1"  # UTC+01:00, from start minus the UTC date
    assert [item.start for item in program.items] == [
        at("2025-02-01T09:00:00+00:00"),
        at("2025-02-01T09:30:00+00:00"),
    ]
    assert program.notes[-1] == (
        "the file names no timezone (time_zone_name); estimated Etc/GMT-1 from the events' "
        "times; give --program-tz ZONE to name the conference's zone"
    )


# --- ids ---


def test_repeated_ids_get_a_stable_suffix_and_a_note() -> None:
    program = load_fixture("frab_repeated_ids.xml")
    assert [(item.id, item.guid, item.room) for item in program.items] == [
        ("1", "11111111-aaaa-4aaa-8aaa-111111111111", "Room A"),  # the event number: short
        ("2", "11111111-aaaa-4aaa-8aaa-111111111111-2", "Room A"),  # the GUID told apart
        # no guid or id: title and speaker, and where two share them, day and time
        ("office-hours-novak-thu-1100", None, "Room B"),
        ("office-hours-novak-thu-1600", None, "Room B"),
    ]
    assert program.notes == [
        "id '11111111-aaaa-4aaa-8aaa-111111111111' is repeated (event 2 'Intro to Rust "
        "(repeat)'); renamed it '11111111-aaaa-4aaa-8aaa-111111111111-2'",
        "id 'office-hours-novak' (made from a title) is shared by 2 events; told them apart as "
        "'office-hours-novak-thu-1100', 'office-hours-novak-thu-1600'",
    ]


def test_an_id_made_from_title_and_speakers_survives_a_move() -> None:
    data = (FIXTURES / "frab_repeated_ids.xml").read_bytes()
    # A title no other event has: its id is the bare slug, the same wherever the talk goes.
    head, _, tail = data.rpartition(b"<title>Office hours</title>")
    data = head + b"<title>Evening office hours</title>" + tail
    moved = data.replace(b"11:00:00+02:00", b"12:15:00+02:00").replace(b"Room B", b"Room C")
    program = parse(moved, SourceContext(label="moved.xml", stem="moved"))
    office_hours = [item for item in program.items if "office hours" in item.title.lower()]
    assert [(item.id, item.start, item.room) for item in office_hours] == [
        ("office-hours-novak", at("2024-09-12T12:15:00+02:00"), "Room C"),
        ("evening-office-hours-novak", at("2024-09-12T16:00:00+02:00"), "Room C"),
    ]


# --- text ---


def test_html_in_abstracts_becomes_plain_text() -> None:
    item = load_fixture("frab_html_abstract.xml").items[0]
    assert item.title == "Markup & meaning"
    assert item.abstract == (
        "Why <b> is not <strong>\n\nTags & entities: café\nsecond line\n\n- one\n- two"
    )
    assert item.start == at("2024-10-05T09:00:00-04:00")


def test_a_file_without_xml_declaration_loads() -> None:
    program = load_fixture("frab_no_declaration.xml")
    assert (program.id, program.timezone) == ("nodecl", "UTC")
    assert timetable(program) == [
        (
            "1",
            "Plain",
            at("2024-05-01T12:00:00+00:00"),
            at("2024-05-01T12:20:00+00:00"),
            "Hall",
        )
    ]


def test_blank_lines_before_the_xml_declaration_are_forgiven() -> None:
    data = b"\n\n  " + (FIXTURES / "frab_offsets.xml").read_bytes()
    program = parse(data, SourceContext(label="blank.xml", stem="blank"))
    assert (program.id, len(program.items)) == ("pyconin2024", 4)


def test_a_latin1_file_keeps_its_accents() -> None:
    program = load_fixture("frab_latin1.xml")
    assert [item.title for item in program.items] == ["Café crème"]
    assert program.notes == ["file is not UTF-8 (first bad byte at 393); read it as Latin-1"]


def test_a_utf16_file_loads() -> None:
    text = (FIXTURES / "frab_offsets.xml").read_text(encoding="utf-8")
    data = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    program = parse(data, SourceContext(label="wide.xml", stem="wide"))
    assert [item.title for item in program.items][:1] == ["Opening keynote"]


def test_a_doctype_naming_an_external_dtd_loads_without_fetching_it() -> None:
    # The DTD's address is a closed local port: fetching it would fail the load.
    program = load_fixture("frab_doctype_system.xml")
    assert [(item.title, item.start) for item in program.items] == [
        ("Plain", at("2024-05-01T12:00:00+00:00"))
    ]


# --- bad and hostile files ---


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("frab_bomb.xml", "'lol'"),
        ("frab_external_entity.xml", "'secret'"),
        ("frab_parameter_entity.xml", "'remote'"),
    ],
)
def test_entity_declarations_are_refused_before_anything_expands(name: str, entity: str) -> None:
    with pytest.raises(ProgramError) as caught:
        load_fixture(name)
    message = str(caught.value)
    assert message.startswith(f"{fixture(name)}: declares the XML entity {entity} (line 3)")
    assert "root:" not in message  # nothing of /etc/passwd was read


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("frab_truncated.xml", "not well-formed XML (unclosed token at line 18, column 31)"),
        ("frab_bad_date.xml", "event 102 'Typed pipelines': '2024-11-14T25:15:00+05:30' is not"),
        ("frab_missing_duration.xml", "event 103 'Hands-on asyncio': has no duration"),
        (
            "frab_unknown_timezone.xml",
            "unknown timezone 'Europe/Berln'; did you mean Europe/Berlin",
        ),
    ],
)
def test_bad_files_name_the_file_and_the_place(name: str, fragment: str) -> None:
    with pytest.raises(ProgramError) as caught:
        load_fixture(name)
    assert str(caught.value).startswith(fixture(name) + ": ")
    assert fragment in str(caught.value)


def test_program_tz_rescues_an_unknown_zone_name() -> None:
    program = load_fixture("frab_unknown_timezone.xml", zone="Europe/Berlin")
    assert program.timezone == "Europe/Berlin"
    assert program.items[2].start == at("2024-12-28T02:00:00+01:00")
    assert program.notes == [
        "time_zone_name 'Europe/Berln' is not a known timezone; used --program-tz Europe/Berlin"
    ]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "the file is empty"),
        (b"<!-- only a comment -->\n", "the file is empty or cut off at line 2"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (b"<html><body>no schedule</body></html>", "the root element is <html>, not <schedule>"),
        (b"<schedule><day/></schedule>", "no <conference> element"),
        (b"<schedule><conference><title>x</title></conference>", "cut off at line 1"),
    ],
)
def test_forced_frab_on_what_is_not_a_schedule(data: bytes, fragment: str) -> None:
    with pytest.raises(ProgramError) as caught:
        parse(data, SourceContext(label="odd.xml", stem="odd"), fmt="frab")
    assert str(caught.value).startswith("odd.xml: ")
    assert fragment in str(caught.value)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    data = b"<schedule>" + b"<a>" * 200_000 + b"</a>" * 200_000 + b"</schedule>"
    with pytest.raises(ProgramError) as caught:
        parse(data, SourceContext(label="deep.xml", stem="deep"))
    assert str(caught.value) == "deep.xml: no <conference> element; not a frab schedule.xml"


# --- command line ---


def test_cli_talks_lists_a_frab_file() -> None:
    result = run("--program", fixture("frab_day_change.xml"), "talks")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Friday 27 December 2024 (times in Europe/Berlin, UTC+01:00)"
    assert any("23:30-00:30+1" in line and "1002  Late night talk" in line for line in lines)
    assert "Saturday 28 December 2024 (times in Europe/Berlin, UTC+01:00)" in lines


def test_cli_program_tz_gives_the_zone_of_local_times() -> None:
    missing = run("--program", fixture("frab_no_timezone.xml"), "talks")
    assert_one_error_line(missing, fixture("frab_no_timezone.xml"), "give --program-tz ZONE")
    given = run(
        "--program", fixture("frab_no_timezone.xml"), "--program-tz", "Europe/Berlin", "talks"
    )
    assert given.exit_code == 0, given.output
    assert "Sunday 31 March 2024 (times in Europe/Berlin, UTC+02:00)" in given.output
    assert "03:30-04:00" in given.output


def test_cli_program_format_forces_frab_where_sniffing_cannot_see(tmp_path: Path) -> None:
    # A long comment pushes <schedule past the part of the file sniffing reads.
    body = (FIXTURES / "frab_no_declaration.xml").read_bytes()
    padded = tmp_path / "padded.xml"
    padded.write_bytes(b"<!-- " + b"x" * 70_000 + b" -->\n" + body)
    unknown = run("--program", str(padded), "talks")
    assert_one_error_line(unknown, str(padded), "not a program format planner knows")
    forced = run("--program", str(padded), "--program-format", "frab", "talks", "--json")
    assert forced.exit_code == 0, forced.output
    assert [item["title"] for item in json.loads(forced.output)] == ["Plain"]


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("frab_bomb.xml", "declares the XML entity 'lol'"),
        ("frab_truncated.xml", "not well-formed XML"),
        ("frab_empty.xml", "empty"),
        ("frab_unknown_timezone.xml", "unknown timezone 'Europe/Berln'"),
    ],
)
def test_cli_bad_files_exit_2_with_one_error_line(name: str, fragment: str) -> None:
    result = run("--program", fixture(name), "talks")
    assert_one_error_line(result, fixture(name), fragment)


def test_cli_check_lists_what_the_loader_repaired() -> None:
    result = run("--program", fixture("frab_repeated_ids.xml"), "check")
    assert result.exit_code == 0, result.output
    assert "renamed it '11111111-aaaa-4aaa-8aaa-111111111111-2'" in result.output
    assert "told them apart as 'office-hours-novak-thu-1100', 'office-hours-novak-thu-1600'" in (
        result.output
    )


def test_cli_pick_and_clashes_work_on_a_frab_program(tmp_path: Path) -> None:
    agenda = str(tmp_path / "agenda.json")
    program = fixture("frab_offsets.xml")
    keynote, next_talk = (
        "a1c4e9f0-1111-4c1a-9d2e-000000000101",
        "a1c4e9f0-1111-4c1a-9d2e-000000000102",
    )
    picked = run("--program", program, "--agenda", agenda, "pick", keynote, next_talk)
    assert picked.exit_code == 0, picked.output
    # Picked by GUID, shown by the conference's short event number.
    assert "added 101: Opening keynote (Thu 14 Nov 09:30-10:15, Hall A)" in picked.output
    clashes = run("--program", program, "--agenda", agenda, "clashes", "--json")
    assert clashes.exit_code == 0, clashes.output
    assert json.loads(clashes.output) == []  # 09:30-10:15 and 10:15-11:15 only touch
