"""Loading iCalendar feeds (.ics): zones, recurrence, all-day events, ids, line ends, bad files."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from helpers.loading import FIXTURES, fixture, run

from planner.errors import ProgramError
from planner.model import Program
from planner.sources import SourceContext, load, parse, sniff
from planner.sources.ics.recurrence import MAX_OCCURRENCES

UTC = timezone.utc


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def summary(
    program: Program,
) -> list[tuple[str, str, datetime | None, datetime | None, str | None]]:
    """(id, title, start, end, room), instants in UTC."""
    return [
        (
            item.id,
            item.title,
            item.start.astimezone(UTC) if item.start else None,
            item.end.astimezone(UTC) if item.end else None,
            item.room,
        )
        for item in program.items
    ]


# --- zones ---


def test_the_iana_rules_win_over_a_vtimezone_that_disagrees_and_the_note_says_so() -> None:
    program = load(fixture("ics_vtimezone_wrong_offsets.ics"))
    assert program.id == "pycon-au-2024"
    assert program.name == "PyCon AU 2024"
    assert program.timezone == "Australia/Adelaide"
    assert summary(program) == [
        # Adelaide is +10:30 in November (daylight time), not the file's +09:00.
        (
            "pyconau-2024-KX7Q",
            "Packaging without tears",
            utc("2024-11-21T23:30"),
            utc("2024-11-22T00:00"),
            "Hall A",
        ),
        # ... and +09:30 in July.
        (
            "pyconau-2024-MB2D",
            "Async all the way down",
            utc("2024-07-05T04:30"),
            utc("2024-07-05T05:15"),
            "Hall B",
        ),
    ]
    assert program.notes == [
        "the file's VTIMEZONE 'Australia/Adelaide' says UTC+09:00 at 2024-11-22 10:00 but the "
        "IANA rules for Australia/Adelaide say UTC+10:30; used the IANA rules"
    ]


def test_a_tzid_without_vtimezone_is_read_as_the_iana_zone_of_that_name() -> None:
    program = load(fixture("ics_tzid_without_vtimezone.ics"))
    assert program.id == "nepal-data-days"
    assert program.timezone == "Asia/Kathmandu"  # both TZIDs used once: the first one wins
    assert summary(program) == [
        (
            "indico-event-88",
            "Opening",
            utc("2024-03-05T03:15"),
            utc("2024-03-05T03:45"),
            "Main Hall",
        ),
        # Lord Howe is on daylight time (+11:00) in March.
        (
            "indico-event-89",
            "Remote keynote from Lord Howe",
            utc("2024-03-06T04:00"),
            utc("2024-03-06T05:00"),
            "Main Hall",
        ),
    ]
    assert program.notes == []


def test_utc_times_load_and_the_missing_zone_is_noted() -> None:
    program = load(fixture("ics_utc.ics"))
    assert program.id == "ics_utc"  # no X-WR-CALNAME: the file name, never PRODID
    assert program.timezone == "UTC"
    assert summary(program) == [
        ("talk-1", "Time in UTC", utc("2024-06-10T08:00"), utc("2024-06-10T08:45"), "Room 1"),
        ("talk-2", "Second talk", utc("2024-06-10T09:00"), utc("2024-06-10T09:30"), "Room 2"),
    ]
    assert program.notes == [
        "the feed names no timezone (no X-WR-TIMEZONE, no TZID); showing times in UTC; "
        "give --program-tz ZONE for the conference's own zone"
    ]


def test_program_tz_sets_the_zone_of_a_feed_in_utc_without_moving_its_instants() -> None:
    program = load(fixture("ics_utc.ics"), zone="Europe/Lisbon")
    assert program.timezone == "Europe/Lisbon"
    assert summary(program)[0][2] == utc("2024-06-10T08:00")
    assert program.notes == []


def test_windows_and_custom_tzids_are_mapped_or_read_from_the_files_vtimezone() -> None:
    program = load(fixture("ics_windows_tzid.ics"))
    assert program.timezone == "Europe/Berlin"
    assert summary(program) == [
        (
            "040000008200E00074C5B7101A82E0080000000010",
            "Windows zone talk",
            utc("2024-06-12T12:00"),
            utc("2024-06-12T13:00"),
            "Raum 1",
        ),
        (
            "040000008200E00074C5B7101A82E0080000000011",
            "Custom zone talk",
            utc("2024-06-12T14:00"),
            utc("2024-06-12T14:30"),
            "Raum 2",
        ),
    ]
    assert program.notes == [
        "TZID 'W. Europe Standard Time' is a Windows zone name; read it as Europe/Berlin",
        "TZID 'Conference Local Time' is not an IANA zone name; read its times by the file's "
        "VTIMEZONE",
    ]


def test_floating_times_need_a_zone_and_take_program_tz() -> None:
    with pytest.raises(ProgramError) as error:
        load(fixture("ics_floating_times.ics"))
    assert str(error.value) == (
        f"{fixture('ics_floating_times.ics')}: event at line 4 (UID floating-1): "
        "2024-10-20 09:30 has no timezone and the feed names none; give --program-tz ZONE"
    )
    program = load(fixture("ics_floating_times.ics"), zone="Europe/Madrid")
    assert summary(program) == [
        (
            "floating-1",
            "Wherever you are",
            utc("2024-10-20T07:30"),
            utc("2024-10-20T08:15"),
            "Room 5",
        )
    ]


# --- recurrence ---


def test_a_recurring_event_expands_with_exdate_and_a_changed_occurrence() -> None:
    program = load(fixture("ics_recurring.ics"))
    assert program.timezone == "Europe/Berlin"
    assert summary(program) == [
        ("day-one", "Opening keynote", utc("2024-03-29T08:00"), utc("2024-03-29T09:00"), "Saal 1"),
        ("last-talk", "Closing", utc("2024-04-02T14:00"), utc("2024-04-02T15:00"), "Saal 1"),
        # 08:30 Berlin time every day, before and after the DST change of 31 March ...
        (
            "coffee-20240329",
            "Morning coffee",
            utc("2024-03-29T07:30"),
            utc("2024-03-29T08:00"),
            "Foyer",
        ),
        (
            "coffee-20240330",
            "Morning coffee",
            utc("2024-03-30T07:30"),
            utc("2024-03-30T08:00"),
            "Foyer",
        ),
        # ... 31 March is an EXDATE, 1 April was moved (RECURRENCE-ID) to 09:30 ...
        (
            "coffee-20240401",
            "Morning coffee (late start)",
            utc("2024-04-01T07:30"),
            utc("2024-04-01T08:00"),
            "Foyer",
        ),
        (
            "coffee-20240402",
            "Morning coffee",
            utc("2024-04-02T06:30"),
            utc("2024-04-02T07:00"),
            "Foyer",
        ),
        # ... and a UTC series with UNTIL.
        (
            "standup-20240329",
            "Organisers' stand-up",
            utc("2024-03-29T07:00"),
            utc("2024-03-29T07:15"),
            "Backstage",
        ),
        (
            "standup-20240330",
            "Organisers' stand-up",
            utc("2024-03-30T07:00"),
            utc("2024-03-30T07:15"),
            "Backstage",
        ),
    ]
    assert program.notes == []


def test_unbounded_rules_stop_at_the_programs_last_day_and_the_occurrence_cap() -> None:
    program = load(fixture("ics_unbounded_rrule.ics"))
    by_series: dict[str, list[str]] = {}
    for item in program.items:
        by_series.setdefault(item.id.split("-")[0], []).append(item.id)
    assert by_series["talk"] == ["talk"]
    # Daily at 08:00 New York time up to the last day of the program (the one talk's day).
    assert by_series["opening"] == [
        "opening-20240308",
        "opening-20240309",
        "opening-20240310",
        "opening-20240311",
    ]
    opening = {item.id: item.start for item in program.items if item.id.startswith("opening")}
    assert opening["opening-20240310"].astimezone(UTC) == utc("2024-03-10T12:00")  # EDT from here
    # "Every February 30th" never happens: only its DTSTART, and it does not hang.
    assert by_series["never"] == ["never-20240308"]
    # Every second, forever: cut at the cap (shared with the 3 daily repeats), DTSTART kept.
    assert len(by_series["ticker"]) == MAX_OCCURRENCES - 3 + 1
    assert by_series["ticker"][:2] == ["ticker-20240308T000000", "ticker-20240308T000001"]
    assert program.notes == [
        "event at line 11 (UID opening@forever.example): repeats without end; expanded it up to "
        "the program's last day (2024-03-11)",
        "event at line 18 (UID ticker@forever.example): repeats without end; expanded it up to "
        "the program's last day (2024-03-11)",
        "event at line 25 (UID never@forever.example): repeats without end; expanded it up to "
        "the program's last day (2024-03-11)",
        "stopped expanding recurring events at 10000 occurrences (from the event at line 18 "
        "(UID ticker@forever.example) on)",
    ]


def test_rules_with_an_end_are_cut_at_the_programs_last_day_and_a_year_and_say_so(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "bounded.ics"
    feed.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:UTC\n"
        "BEGIN:VEVENT\nUID:talk\nSUMMARY:Talk\nDTSTART:20240305T090000Z\nDURATION:PT1H\n"
        "END:VEVENT\n"
        "BEGIN:VEVENT\nUID:coffee\nSUMMARY:Coffee\nDTSTART:20240303T080000Z\nDURATION:PT1H\n"
        "RRULE:FREQ=DAILY;COUNT=10\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:inside\nSUMMARY:Inside\nDTSTART:20240304T080000Z\nDURATION:PT1H\n"
        "RRULE:FREQ=DAILY;UNTIL=20240305T235959Z\nEND:VEVENT\n"
        "END:VCALENDAR\n"
    )
    program = load(str(feed))
    assert [item.id for item in program.items if item.id.startswith("coffee")] == [
        "coffee-20240303",
        "coffee-20240304",
        "coffee-20240305",
    ]
    assert len([item for item in program.items if item.id.startswith("inside")]) == 2
    assert program.notes[:1] == [
        "event at line 10 (UID coffee): repeats past the program's last day "
        "(2024-03-05); expanded it up to that day"
    ]
    assert not any("inside" in note for note in program.notes)  # it ends within the program

    after = tmp_path / "after.ics"
    after.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:UTC\n"
        "BEGIN:VEVENT\nUID:talk\nSUMMARY:Talk\nDTSTART:20240513T090000Z\nDURATION:PT1H\n"
        "END:VEVENT\n"
        "BEGIN:VEVENT\nUID:workshop\nSUMMARY:Workshop\nDTSTART:20240514T090000Z\n"
        "DURATION:PT1H\nRRULE:FREQ=DAILY;COUNT=3\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    exdated = tmp_path / "exdate.ics"
    exdated.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:UTC\n"
        "BEGIN:VEVENT\nUID:talk\nSUMMARY:Talk\nDTSTART:20240513T090000Z\nDURATION:PT1H\n"
        "END:VEVENT\n"
        "BEGIN:VEVENT\nUID:daily\nSUMMARY:Daily\nDTSTART:20240512T080000Z\nDURATION:PT1H\n"
        "RRULE:FREQ=DAILY;COUNT=5\nEXDATE:20240514T080000Z\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    cut = load(str(exdated))  # the day after the program is excluded; the 15th is still cut
    assert [i.id for i in cut.items if i.id.startswith("daily")] == [
        "daily-20240512",
        "daily-20240513",
    ]
    assert any("UID daily" in note and "repeats past" in note for note in cut.notes)

    twice = tmp_path / "two-rules.ics"  # each rule repeats the excluded days once more
    twice.write_text(
        exdated.read_text().replace(
            "EXDATE:20240514T080000Z",
            "RRULE:FREQ=DAILY;COUNT=6\nEXDATE:20240514T080000Z,20240515T080000Z",
        )
    )
    assert any("repeats past" in note for note in load(str(twice)).notes)

    workshop = load(str(after))  # starts after the last single event: its own COUNT holds
    assert len([item for item in workshop.items if item.id.startswith("workshop")]) == 3
    assert not any("workshop" in note for note in workshop.notes)

    yearly = tmp_path / "weekly.ics"
    yearly.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:UTC\n"
        "BEGIN:VEVENT\nUID:weekly\nSUMMARY:Weekly\nDTSTART:20240301T090000Z\nDURATION:PT1H\n"
        "RRULE:FREQ=WEEKLY;UNTIL=20261231T000000Z\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    weekly = load(str(yearly))
    assert len(weekly.items) == 53
    assert "repeats for more than a year; expanded its first year only" in weekly.notes[0]


def test_a_rule_that_never_matches_in_a_feed_without_single_events_ends(tmp_path: Path) -> None:
    feed = tmp_path / "never.ics"
    feed.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:UTC\n"
        "BEGIN:VEVENT\nUID:never\nSUMMARY:Never\nDTSTART:19700308T120000Z\nDURATION:PT1H\n"
        "RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:sixth\nSUMMARY:Sixth Monday\nDTSTART:19700302T120000Z\n"
        "RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6\nEND:VEVENT\n"
        "END:VCALENDAR\n"
    )
    program = load(str(feed))
    assert [item.id for item in program.items] == ["never-19700308", "sixth-19700302"]


# --- all-day events, text, ids ---


def test_all_day_events_span_whole_days_in_the_program_zone() -> None:
    program = load(fixture("ics_all_day.ics"))
    assert program.timezone == "Pacific/Chatham"
    assert summary(program) == [
        # Chatham is +13:45 until 7 April 2024, then +12:45.
        ("sprints", "Sprints", utc("2024-04-05T10:15"), utc("2024-04-07T11:15"), None),
        (
            "registration",
            "Registration open",
            utc("2024-04-04T10:15"),
            utc("2024-04-05T10:15"),
            "Lobby",
        ),
    ]
    assert [(item.kind, item.note) for item in program.items] == [
        ("other", "all-day event"),
        ("registration", "all-day event"),
    ]


def test_html_in_the_description_becomes_text() -> None:
    program = load(fixture("ics_html_description.ics"))
    [item] = program.items
    assert item.id == "democon-ABCDEF"
    assert item.title == "Rendering <HTML> safely"  # SUMMARY is plain text: kept as written
    assert item.abstract == "Why escaping matters & how to do it.\n\n- templates\n- sanitisers"
    assert item.url == "https://talks.example.org/democon/talk/ABCDEF/"
    assert item.start.astimezone(UTC) == utc("2024-01-15T06:00")


def test_repeated_uids_get_a_stable_suffix_and_a_note() -> None:
    program = load(fixture("ics_repeated_uid.ics"))
    assert [(item.id, item.title, item.room) for item in program.items] == [
        ("slot-1", "First use of the UID", "Room A"),
        ("slot-1-2", "Second use of the UID", "Room B"),
        ("no-uid-at-all", "No UID at all", "Room A"),
    ]
    assert program.notes == [
        "id 'slot-1' is repeated (event at line 13 (UID slot-1@repeat.example)); "
        "renamed it 'slot-1-2'"
    ]
    assert [item.id for item in load(fixture("ics_repeated_uid.ics")).items] == [
        "slot-1",
        "slot-1-2",
        "no-uid-at-all",
    ]


@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r\r\n"])
def test_crlf_lf_and_broken_cr_cr_lf_line_ends_all_load(tmp_path: Path, line_end: str) -> None:
    text = (FIXTURES / "ics_html_description.ics").read_text()
    feed = tmp_path / "feed.ics"
    feed.write_bytes(text.replace("\n", line_end).encode())
    program = load(str(feed))
    assert [(item.id, item.title) for item in program.items] == [
        ("democon-ABCDEF", "Rendering <HTML> safely")
    ]
    assert program.items[0].abstract.endswith("- sanitisers")  # the folded line unfolded


def test_the_cr_cr_lf_fixture_unfolds_its_folded_title() -> None:
    program = load(fixture("ics_line_endings_crcrlf.ics"))
    assert program.id == "line-ends"
    assert summary(program) == [
        (
            "crcrlf-1",
            "A title folded over two lines",
            utc("2024-01-15T04:30"),
            utc("2024-01-15T05:00"),
            "Room 7",
        )
    ]


def test_a_feed_is_sniffed_from_its_content() -> None:
    assert sniff((FIXTURES / "ics_utc.ics").read_bytes()) == "ics"
    assert sniff(b"\n\nbegin:vcalendar\nEND:VCALENDAR\n") == "ics"


# --- bad files ---


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title,start\n", "no BEGIN:VCALENDAR; not an iCalendar file"),
        (
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\n",
            "BEGIN:VEVENT at line 2 is never closed; the file is cut short",
        ),
        (
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\nEND:VCALENDAR\n",
            "line 5: END:VCALENDAR without its BEGIN (BEGIN:VEVENT from line 2 is still open)",
        ),
        (
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:2024-13-45\nEND:VEVENT\nEND:VCALENDAR\n",
            "event at line 2 (UID x): DTSTART '2024-13-45' is not an iCalendar date or date-time",
        ),
        (
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nSUMMARY:No start\nEND:VEVENT\nEND:VCALENDAR\n",
            "event at line 2 (UID x): no DTSTART; every event needs a start",
        ),
        (
            b"BEGIN:VCALENDAR\nthis is not ical\nBEGIN:VEVENT\nUID:x\nEND:VEVENT\nEND:VCALENDAR\n",
            "line 2: not an iCalendar content line: 'this is not ical'",
        ),
        (
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\n"
            b"DTEND:20240101T090000Z\nEND:VEVENT\nEND:VCALENDAR\n",
            "event at line 2 (UID x): ends (2024-01-01T09:00:00+00:00) before it starts "
            "(2024-01-01T10:00:00+00:00)",
        ),
        (
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\n"
            b"RRULE:FREQ=FORTNIGHTLY\nEND:VEVENT\nEND:VCALENDAR\n",
            "event at line 2 (UID x): RRULE 'FREQ=FORTNIGHTLY' is not a recurrence rule "
            "(FREQ=DAILY;COUNT=3 is one)",
        ),
        (
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\n"
            b"RRULE:COUNT=3\nEND:VEVENT\nEND:VCALENDAR\n",
            "event at line 2 (UID x): RRULE has no FREQ; it cannot repeat",
        ),
    ],
)
def test_bad_feeds_raise_one_program_error_naming_the_line(content: bytes, message: str) -> None:
    with pytest.raises(ProgramError) as error:
        parse(content, SourceContext(label="feed.ics", stem="feed"), fmt="ics")
    assert str(error.value) == f"feed.ics: {message}"


def test_an_unknown_tzid_names_the_event_and_suggests_names() -> None:
    with pytest.raises(ProgramError) as error:
        load(fixture("ics_unknown_tzid.ics"))
    assert str(error.value) == (
        f"{fixture('ics_unknown_tzid.ics')}: event at line 4 (UID mars-1) DTSTART: unknown "
        "timezone 'Mars/Olympus_Mons' and no usable VTIMEZONE for it in the file; use an IANA name "
        "such as Europe/Berlin"
    )


# --- command line ---


def test_cli_lists_an_ics_program() -> None:
    result = run("--program", fixture("ics_recurring.ics"), "talks", "--day", "2024-04-01")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Monday 01 April 2024 (times in Europe/Berlin, UTC+02:00)",
        "  09:30-10:00   Foyer            coffee-20240401  Morning coffee (late start)",
    ]


def test_cli_program_format_forces_ics_and_program_tz_reads_floating_times() -> None:
    result = run(
        "--program",
        fixture("ics_floating_times.ics"),
        "--program-format",
        "ics",
        "--program-tz",
        "Asia/Kolkata",
        "talks",
        "--json",
    )
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.output)
    assert (item["id"], item["start"], item["room"]) == (
        "floating-1",
        "2024-10-20T09:30:00+05:30",
        "Room 5",
    )


def test_cli_pick_and_check_work_on_an_ics_program(tmp_path: Path) -> None:
    agenda = str(tmp_path / "agenda.json")
    base = ["--program", fixture("ics_vtimezone_wrong_offsets.ics"), "--agenda", agenda]
    picked = run(*base, "pick", "pyconau-2024-KX7Q")
    assert picked.exit_code == 0, picked.output
    checked = run(*base, "check")
    assert "VTIMEZONE 'Australia/Adelaide'" in checked.output


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("ics_truncated.ics", "BEGIN:VEVENT at line 11 is never closed"),
        ("ics_unknown_tzid.ics", "unknown timezone 'Mars/Olympus_Mons'"),
        ("ics_floating_times.ics", "give --program-tz ZONE"),
    ],
)
def test_cli_bad_feeds_exit_2_with_one_error_line_naming_the_file(name: str, fragment: str) -> None:
    result = run("--program", fixture(name), "talks")
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith(f"Error: {fixture(name)}: ")
    assert fragment in line


def test_a_malformed_vtimezone_is_ignored_and_noted_when_its_name_is_an_iana_zone(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "feed.ics"
    feed.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\n"
        "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
        "TZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\n"
        "BEGIN:VEVENT\nUID:one\nSUMMARY:One\nDTSTART;TZID=Europe/Berlin:20240610T120000\n"
        "DURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    program = load(str(feed))
    assert [(item.id, item.start.astimezone(UTC)) for item in program.items] == [
        ("one", utc("2024-06-10T10:00"))
    ]
    assert program.notes == ["VTIMEZONE 'Europe/Berlin' in the file is malformed; ignored it"]


def test_an_all_day_series_keeps_its_length_in_days_across_a_dst_change(tmp_path: Path) -> None:
    feed = tmp_path / "weekend.ics"
    feed.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nX-WR-TIMEZONE:Europe/Berlin\nBEGIN:VEVENT\nUID:weekend\n"
        "SUMMARY:Weekend sprint\nDTSTART;VALUE=DATE:20240330\nDTEND;VALUE=DATE:20240401\n"
        "RRULE:FREQ=WEEKLY;COUNT=2\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    program = load(str(feed))
    assert summary(program) == [
        # 30-31 March has the spring-forward night: 47 hours, still two days.
        (
            "weekend-20240330",
            "Weekend sprint",
            utc("2024-03-29T23:00"),
            utc("2024-03-31T22:00"),
            None,
        ),
        (
            "weekend-20240406",
            "Weekend sprint",
            utc("2024-04-05T22:00"),
            utc("2024-04-07T22:00"),
            None,
        ),
    ]
