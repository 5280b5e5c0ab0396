"""The .ics export: read back by icalendar (TZID by name) and vobject (the file's own VTIMEZONE).

Expected instants and wall-clock times are computed with zoneinfo, never with pytz (whose
tables stop in 2037).
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import pytz
import vobject
from helpers.zones import offset_changes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import __version__
from planner.agenda import Agenda, Pick, Settings, Snapshot
from planner.errors import ExportError
from planner.export.ics import IcsResult, plain_abstract, to_ics
from planner.model import Item, PersonalEvent, Program
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2022, 8, 1, 9, 30, tzinfo=timezone.utc)
UTC = timezone.utc
SEVEN_ZONES = [
    "America/Los_Angeles",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "UTC",
]
NAMED_ZONES = SEVEN_ZONES[:-1]
BUNDLED_PICKS = [
    "registration",
    "systems-for-ml-2",
    "virtualflow",  # covered by its session
    "invited-talk",
    "deeppool",
    "sparsity-tutorial",
    "tiled-spmm",  # covered by the tutorial
]
LUNCH = PersonalEvent(
    id="my-lunch-with-bob",
    title="Lunch with Bob",
    start=datetime(2022, 8, 30, 12, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
    end=datetime(2022, 8, 30, 13, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
    location="Food court",
)


# --- helpers -----------------------------------------------------------------------------------


def agenda_for(program: Program, ids: list[str], events: list[PersonalEvent] = ()) -> Agenda:
    by_id = program.item_map()
    picks = [Pick(id=item_id, snapshot=Snapshot.of(by_id[item_id])) for item_id in ids]
    return Agenda(program_id=program.id, picks=picks, events=list(events))


def export(program: Program, agenda: Agenda, zone: str, **options) -> IcsResult:
    options.setdefault("alarm_minutes", None)
    options.setdefault("name", None)
    return to_ics(program, agenda, zone=zone, now=NOW, **options)


def program_of(zone: str, times: list[tuple[datetime, datetime]], program_id: str = "t") -> Program:
    items = [
        Item(id=f"e{number}", title=f"Event {number}", start=start, end=end)
        for number, (start, end) in enumerate(times)
    ]
    return Program(id=program_id, name="Test", timezone=zone, items=items)


def all_picked(program: Program) -> Agenda:
    return agenda_for(program, [item.id for item in program.items])


def icalendar_events(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def vobject_times(data: bytes) -> dict[str, tuple[datetime, datetime, str]]:
    """UID -> (start, end, summary) as vobject reads them, with times from the file's VTIMEZONE."""
    # vobject keeps the first VTIMEZONE it ever saw for a TZID, for the whole process: forget
    # them, so that each file is read with its own body, as a client reading one file does.
    tzid_map = vars(vobject.icalendar)["__tzidMap"]
    tzid_map.clear()
    vobject.icalendar.registerTzid("UTC", vobject.icalendar.utc)
    calendar = vobject.readOne(data.decode("utf-8"))
    return {
        event.uid.value: (event.dtstart.value, event.dtend.value, event.summary.value)
        for event in calendar.vevent_list
    }


def expected_times(program: Program, agenda: Agenda) -> dict[str, tuple[datetime, datetime]]:
    from planner.agenda import exported_items

    times = {
        f"{item.id}@{program.id}.planner": (item.start, item.end)
        for item in exported_items(program, agenda)
        if item.start is not None
    }
    times.update({f"{e.id}@{program.id}.planner": (e.start, e.end) for e in agenda.events})
    return times


def assert_same_instants(data: bytes, expected: dict[str, tuple[datetime, datetime]]) -> None:
    by_icalendar = icalendar_events(data)
    by_vobject = vobject_times(data)
    assert set(by_icalendar) == set(expected) == set(by_vobject)
    for uid, (start, end) in expected.items():
        event = by_icalendar[uid]
        assert (event["DTSTART"].dt, event["DTEND"].dt) == (start, end), uid
        assert by_vobject[uid][:2] == (start, end), uid


def wall_clock(prop) -> tuple[str | None, datetime]:
    """(TZID parameter, the written date-time without zone) of a DTSTART/DTEND property."""
    return prop.params.get("TZID"), prop.dt.replace(tzinfo=None)


def unfolded_lines(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def zone_changes(zone: str, year: int) -> list[datetime]:
    return [moment for moment, _ in offset_changes(zone, year)]


@pytest.fixture(scope="module")
def bundled() -> Program:
    return load("mlsys2022")


# --- the seven zones ---------------------------------------------------------------------------


@pytest.mark.parametrize("zone", SEVEN_ZONES)
def test_bundled_picks_land_at_the_same_instant_and_wall_clock(bundled: Program, zone: str) -> None:
    agenda = agenda_for(bundled, BUNDLED_PICKS, [LUNCH])
    result = export(bundled, agenda, zone)
    expected = expected_times(bundled, agenda)
    assert result.events == len(expected) == 6  # two talks covered by their session/tutorial
    assert_same_instants(result.data, expected)
    for uid, event in icalendar_events(result.data).items():
        for prop, instant in zip(("DTSTART", "DTEND"), expected[uid], strict=True):
            tzid, written = wall_clock(event[prop])
            if zone == "UTC":
                assert tzid is None and event[prop].dt.utcoffset() == timedelta(0)
                assert f"{prop}:{instant.astimezone(UTC):%Y%m%dT%H%M%S}Z" in unfolded_lines(
                    result.data
                )
            else:
                assert tzid == zone
                assert written == instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def test_wall_clock_examples_in_odd_offsets(bundled: Program) -> None:
    agenda = agenda_for(bundled, ["deeppool"])  # 15:09-15:27 PDT = 22:09 UTC
    expected = {
        "Asia/Kolkata": "20220831T033900",  # +05:30
        "Pacific/Chatham": "20220831T105400",  # +12:45 (southern winter)
        "Australia/Lord_Howe": "20220831T083900",  # +10:30
        "America/St_Johns": "20220830T193900",  # -02:30 (summer)
    }
    for zone, clock in expected.items():
        lines = unfolded_lines(export(bundled, agenda, zone).data)
        assert f"DTSTART;TZID={zone}:{clock}" in lines


# --- calendar and event properties -------------------------------------------------------------


def test_calendar_header(bundled: Program) -> None:
    result = export(bundled, agenda_for(bundled, ["deeppool"]), "Europe/Berlin")
    calendar = icalendar.Calendar.from_ical(result.data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == f"-//planner//planner {__version__}//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "MLSys 2022 - my agenda"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Berlin"
    named = export(bundled, agenda_for(bundled, ["deeppool"]), "UTC", name="My, own; name")
    calendar = vobject.readOne(named.data.decode("utf-8"))  # X- values are TEXT: escaped
    assert calendar.x_wr_calname.value == "My, own; name"
    assert calendar.x_wr_timezone.value == "UTC"


def test_event_properties(bundled: Program) -> None:
    agenda = agenda_for(bundled, ["deeppool", "invited-talk"])
    events = icalendar_events(export(bundled, agenda, "America/Los_Angeles").data)
    paper = events["deeppool@mlsys2022.planner"]
    assert str(paper["SUMMARY"]) == bundled.item_map()["deeppool"].title
    assert paper["DTSTAMP"].dt == NOW
    assert int(paper["SEQUENCE"]) == 0
    assert str(paper["LOCATION"]) == (
        "Exhibit Hall A, Santa Clara Convention Center, Santa Clara, California"
    )
    assert str(paper["URL"]) == "https://mlsys.org/virtual/2022/oral/2172"
    assert [str(c) for c in paper["CATEGORIES"].cats] == ["paper", "Hardware Efficient ML"]
    description = str(paper["DESCRIPTION"])
    assert description.startswith("Speakers: Seo Jin Park, Joshua Fried, Sunghyun Kim")
    assert "\n\nSession: Hardware Efficient ML\n\n" in description
    assert description.endswith("\n\nhttps://mlsys.org/virtual/2022/oral/2172")
    assert "STATUS" not in paper
    keynote = events["invited-talk@mlsys2022.planner"]
    assert str(keynote["STATUS"]) == "TENTATIVE"
    assert "The time is estimated: time and room not published" in str(keynote["DESCRIPTION"])


def test_session_event_lists_its_talks_with_times(bundled: Program) -> None:
    agenda = agenda_for(bundled, ["systems-for-ml-2", "virtualflow"])
    result = export(bundled, agenda, "Europe/Berlin")
    events = icalendar_events(result.data)
    assert list(events) == ["systems-for-ml-2@mlsys2022.planner"]  # virtualflow: not twice
    description = str(events["systems-for-ml-2@mlsys2022.planner"]["DESCRIPTION"])
    assert "Talks (times in Europe/Berlin):\n" in description
    assert "  18:03-18:21 VirtualFlow: Decoupling Deep Learning Models" in description
    assert description.count("\n  ") == 5


def test_talks_in_the_description_that_cross_midnight_say_so(bundled: Program) -> None:
    agenda = agenda_for(bundled, ["sparsity-tutorial"])
    events = icalendar_events(export(bundled, agenda, "Europe/Berlin").data)
    description = str(events["sparsity-tutorial@mlsys2022.planner"]["DESCRIPTION"])
    assert "  23:45-00:45+1 Sparse deep neural network inference on FPGAs (Sitao" in description
    assert "  00:45-01:00 Coffee break\n" in description


def test_sequence_comes_from_the_pick(bundled: Program) -> None:
    item = bundled.item_map()["deeppool"]
    stale = Snapshot(
        title=item.title, start=item.start - timedelta(hours=1), end=item.end, room=item.room
    )
    agenda = Agenda(
        program_id=bundled.id,
        picks=[
            Pick(id="deeppool", snapshot=Snapshot.of(item), sequence=3),
            Pick(id="naas", snapshot=stale, sequence=1),  # moved since: one more
        ],
    )
    events = icalendar_events(export(bundled, agenda, "UTC").data)
    assert int(events["deeppool@mlsys2022.planner"]["SEQUENCE"]) == 3
    assert int(events["naas@mlsys2022.planner"]["SEQUENCE"]) == 2


def test_alarm_option_and_agenda_default(bundled: Program) -> None:
    agenda = agenda_for(bundled, ["deeppool"], [LUNCH])
    plain = export(bundled, agenda, "UTC")
    assert b"BEGIN:VALARM" not in plain.data
    with_option = export(bundled, agenda, "UTC", alarm_minutes=90)
    assert with_option.data.count(b"TRIGGER:-PT90M\r\n") == 2
    default = agenda.model_copy(update={"settings": Settings(alarm_minutes=10)})
    for event in icalendar_events(export(bundled, default, "UTC").data).values():
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm["TRIGGER"].dt == timedelta(minutes=-10)
        assert str(alarm["DESCRIPTION"]) == f"Reminder: {event['SUMMARY']}"


def test_time_to_be_announced_items_are_left_out() -> None:
    tiny = load(str(FIXTURES / "tiny_program.json"))
    result = export(tiny, agenda_for(tiny, ["alpha", "later"]), "Europe/Berlin")
    assert [item.id for item in result.left_out] == ["later"]
    assert list(icalendar_events(result.data)) == ["alpha@tiny2024.planner"]


def test_empty_agenda_is_an_error_saying_how_to_pick(bundled: Program) -> None:
    with pytest.raises(ExportError, match=r"nothing picked yet; pick talks with `planner pick ID`"):
        export(bundled, Agenda(program_id=bundled.id), "UTC")
    tiny = load(str(FIXTURES / "tiny_program.json"))
    with pytest.raises(ExportError, match="still to be announced"):
        export(tiny, agenda_for(tiny, ["later"]), "UTC")


def test_output_is_deterministic_given_now(bundled: Program) -> None:
    agenda = agenda_for(bundled, BUNDLED_PICKS, [LUNCH])
    shuffled = agenda.model_copy(update={"picks": list(reversed(agenda.picks))})
    assert (
        export(bundled, agenda, "Europe/Berlin").data
        == export(bundled, shuffled, "Europe/Berlin").data
    )


# --- UIDs --------------------------------------------------------------------------------------


def test_re_export_after_one_more_pick_keeps_every_uid(bundled: Program) -> None:
    before = agenda_for(bundled, ["deeppool", "invited-talk"], [LUNCH])
    after = agenda_for(bundled, ["deeppool", "invited-talk", "sesr"], [LUNCH])
    first = set(icalendar_events(export(bundled, before, "Europe/Berlin").data))
    second = set(icalendar_events(export(bundled, after, "Asia/Kolkata").data))
    assert first == {
        "deeppool@mlsys2022.planner",
        "invited-talk@mlsys2022.planner",
        "my-lunch-with-bob@mlsys2022.planner",
    }
    assert second == first | {"sesr@mlsys2022.planner"}


# --- text --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile() -> Program:
    return load(str(FIXTURES / "hostile_titles.json"))


def test_hostile_titles_round_trip_exactly(hostile: Program) -> None:
    ids = ["commas", "backslashes", "emoji", "scripts", "angles", "long"]
    result = export(hostile, agenda_for(hostile, ids), "Europe/Berlin")
    by_icalendar = icalendar_events(result.data)
    by_vobject = vobject_times(result.data)
    titles = {item.id: item.title for item in hostile.items}
    assert len(titles["long"]) == 500
    for item_id in ids:
        uid = f"{item_id}@hostile2024.planner"
        assert str(by_icalendar[uid]["SUMMARY"]) == titles[item_id]
        assert by_vobject[uid][2] == titles[item_id]
    location = str(by_icalendar["commas@hostile2024.planner"]["LOCATION"])
    assert location == 'Room, A; "1", Hall; Building, Floor 2'


def test_html_abstract_comes_back_as_documented_text(hostile: Program) -> None:
    result = export(hostile, agenda_for(hostile, ["html-abstract"]), "Europe/Berlin")
    (event,) = icalendar_events(result.data).values()
    text = (
        "First paragraph with bold & entities <ok>.\n\n- one\n- two, three; four\n\n"
        "Bell and escape[0m gone"
    )
    assert plain_abstract(hostile.item_map()["html-abstract"].abstract) == text
    assert str(event["DESCRIPTION"]) == (
        f"Speakers: Zoë Ångström, 李 雷\n\n{text}\n\nhttps://example.org/talks/html?x=1&y=2"
    )
    vevent = vobject.readOne(result.data.decode("utf-8")).vevent
    assert vevent.description.value == str(event["DESCRIPTION"])


def test_control_characters_are_removed(hostile: Program) -> None:
    result = export(hostile, agenda_for(hostile, ["control-title"]), "UTC")
    (event,) = icalendar_events(result.data).values()
    assert str(event["SUMMARY"]) == "Control chars in title and a line break"
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", result.data)


def test_lines_are_crlf_and_folded_at_75_octets_between_characters(hostile: Program) -> None:
    result = export(hostile, all_picked(hostile), "Europe/Berlin", alarm_minutes=5)
    assert result.data.endswith(b"\r\n")
    assert b"\n" not in result.data.replace(b"\r\n", b"")
    lines = result.data.split(b"\r\n")[:-1]
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded
    for line in lines:
        assert len(line) <= 75
        line.decode("utf-8")  # a fold never splits a UTF-8 character


# --- VTIMEZONE form ----------------------------------------------------------------------------


def assert_one_rrule_pair(data: bytes, zone: str) -> None:
    (body,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    assert str(body["TZID"]) == zone
    kinds = sorted(block.name for block in body.subcomponents)
    assert kinds in (["STANDARD"], ["DAYLIGHT", "STANDARD"])
    for block in body.subcomponents:
        assert "RDATE" not in block and "COMMENT" not in block
        assert ("RRULE" in block) == (kinds != ["STANDARD"])
    assert b"RDATE" not in data


@pytest.mark.parametrize("zone", NAMED_ZONES)
def test_days_around_each_2023_change_land_right_in_tzid_form(zone: str) -> None:
    changes = zone_changes(zone, 2023)
    assert len(changes) == (0 if zone == "Asia/Kolkata" else 2)
    starts = [change + timedelta(days=shift, hours=2) for change in changes for shift in (-1, 1)]
    starts.append(datetime(2023, 6, 15, 9, 0, tzinfo=ZoneInfo(zone)))
    program = program_of(zone, [(start, start + timedelta(minutes=50)) for start in starts])
    result = export(program, all_picked(program), zone)
    assert not result.utc and not result.warnings
    assert_one_rrule_pair(result.data, zone)
    assert_same_instants(result.data, expected_times(program, all_picked(program)))
    lines = unfolded_lines(result.data)
    assert sum(line.startswith(f"DTSTART;TZID={zone}:") for line in lines) == len(starts)


def test_dtstart_of_the_rules_is_in_the_year_before_the_first_event() -> None:
    start = datetime(2023, 1, 10, 9, tzinfo=ZoneInfo("Europe/Berlin"))
    program = program_of("Europe/Berlin", [(start, start + timedelta(hours=1))])
    lines = unfolded_lines(export(program, all_picked(program), "Europe/Berlin").data)
    assert "DTSTART:20221030T030000" in lines  # STANDARD, last Sunday of October 2022
    assert "DTSTART:20220327T020000" in lines  # DAYLIGHT, last Sunday of March 2022


def test_los_angeles_summer_2040_is_minus_seven_hours() -> None:
    start = datetime(2040, 7, 15, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert start.utcoffset() == timedelta(hours=-7)  # zoneinfo; pytz would say -8
    program = program_of("America/Los_Angeles", [(start, start + timedelta(hours=1))])
    result = export(program, all_picked(program), "America/Los_Angeles")
    assert "DTSTART;TZID=America/Los_Angeles:20400715T100000" in unfolded_lines(result.data)
    assert_same_instants(result.data, expected_times(program, all_picked(program)))


@pytest.mark.parametrize("zone", ["Australia/Lord_Howe", "Pacific/Chatham"])
def test_personal_event_in_southern_summer(zone: str, bundled: Program) -> None:
    start = datetime(2023, 1, 16, 12, 30, tzinfo=ZoneInfo(zone))
    lunch = PersonalEvent(
        id="my-summer-lunch", title="Summer lunch", start=start, end=start + timedelta(hours=1)
    )
    agenda = Agenda(program_id=bundled.id, events=[lunch])
    result = export(bundled, agenda, zone)
    assert f"DTSTART;TZID={zone}:20230116T123000" in unfolded_lines(result.data)
    assert_same_instants(result.data, expected_times(bundled, agenda))
    expected_offset = {"Australia/Lord_Howe": 11, "Pacific/Chatham": 13.75}[zone]
    assert start.utcoffset() == timedelta(hours=expected_offset)


def test_repeated_local_times_are_written_in_utc() -> None:
    program = load(str(FIXTURES / "fall_back_night.json"))
    agenda = all_picked(program)
    result = export(program, agenda, "America/Los_Angeles")
    lines = unfolded_lines(result.data)
    # 00:30-01:15 ends at the first 01:15 and 01:30-02:15 starts at the second 01:30.
    assert "DTSTART:20231105T073000Z" in lines and "DTEND:20231105T081500Z" in lines
    assert "DTSTART:20231105T093000Z" in lines and "DTEND:20231105T101500Z" in lines
    assert "DTSTART;TZID=America/Los_Angeles:20231105T100000" in lines
    assert "DTSTART;TZID=America/Los_Angeles:20231104T100000" in lines
    assert_same_instants(result.data, expected_times(program, agenda))
    assert not result.utc
    assert result.warnings == [
        "written in UTC because a time of theirs happens twice in America/Los_Angeles (clocks go "
        "back), and without X-WR-TIMEZONE, which makes some tools re-read them as local times: "
        "late-talk, second-hour"
    ]
    assert not any(line.startswith("X-WR-TIMEZONE") for line in lines)


@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC", "Zulu"])
def test_utc_is_written_in_z_form_without_vtimezone(bundled: Program, zone: str) -> None:
    agenda = agenda_for(bundled, ["deeppool"])
    result = export(bundled, agenda, zone)
    assert b"VTIMEZONE" not in result.data and b"TZID" not in result.data
    assert "DTSTART:20220830T220900Z" in unfolded_lines(result.data)
    assert result.utc and not result.warnings


def test_zone_whose_rules_changed_is_written_in_utc_with_a_warning() -> None:
    zone = "America/Mexico_City"  # dropped DST in October 2022
    start = datetime(2022, 6, 15, 10, tzinfo=ZoneInfo(zone))
    program = program_of(zone, [(start, start + timedelta(hours=1))])
    result = export(program, all_picked(program), zone)
    assert result.utc and b"VTIMEZONE" not in result.data
    assert result.warnings == [
        "times written in UTC (the calendar still shows them at the right moment): the current "
        "rule of America/Mexico_City (CST6) does not give its offset -05:00 on 2022-06-15 10:00"
    ]
    assert_same_instants(result.data, expected_times(program, all_picked(program)))
    later = program_of(
        zone, [(start.replace(year=2026), start.replace(year=2026) + timedelta(hours=1))]
    )
    assert not export(later, all_picked(later), zone).utc


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        ("us/pacific", "US/Pacific"),  # a common name: as given
        ("Europe/Bratislava", "Europe/Bratislava"),  # merged into Europe/Prague: still as given
        ("Chile/Continental", "America/Santiago"),  # deprecated: the zone it links to
        ("America/Godthab", "America/Nuuk"),
    ],
)
def test_common_names_are_written_as_given_and_deprecated_ones_as_their_zone(
    asked: str, written: str
) -> None:
    # KCalendarCore does not know Chile/Continental, reads the VTIMEZONE instead and puts a
    # talk on the evening of a midnight change an hour early; it knows America/Santiago.
    start = datetime(2026, 4, 5, 20, tzinfo=ZoneInfo(written))
    program = program_of(written, [(start, start + timedelta(hours=1))])
    result = export(program, all_picked(program), asked)
    lines = unfolded_lines(result.data)
    assert f"DTSTART;TZID={written}:20260405T200000" in lines
    assert f"TZID:{written}" in lines and f"X-WR-TIMEZONE:{written}" in lines
    assert_same_instants(result.data, expected_times(program, all_picked(program)))


# --- every common zone -------------------------------------------------------------------------


def fifteenths(zone: str, year: int) -> list[tuple[datetime, datetime]]:
    tz = ZoneInfo(zone)
    return [
        (datetime(year, month, 15, 10, tzinfo=tz), datetime(year, month, 15, 11, tzinfo=tz))
        for month in range(1, 13)
    ]


@pytest.mark.parametrize("year", [2022, 2026])
def test_every_common_zone_uses_tzid_form_unless_its_rules_changed(year: int) -> None:
    from planner.export.vtimezone import zone_data_version

    in_utc: list[str] = []
    for zone in pytz.common_timezones:
        program = program_of(zone, fifteenths(zone, year))
        result = export(program, all_picked(program), zone)
        assert_same_instants(result.data, expected_times(program, all_picked(program)))
        if zone == "UTC":
            continue
        if result.utc:
            in_utc.append(zone)
            assert b"VTIMEZONE" not in result.data and result.warnings, zone
        else:
            assert_one_rrule_pair(result.data, zone)
            written = sum(f"DTSTART;TZID={zone}:" in line for line in unfolded_lines(result.data))
            assert written == 12, zone
    print(
        f"\n{year}: {len(in_utc)} of {len(pytz.common_timezones)} common zones written in UTC "
        f"(zone data {zone_data_version()}): {' '.join(in_utc)}"
    )
    assert "Africa/Cairo" in in_utc  # its October change can fall on 1 November
    assert ("America/Mexico_City" in in_utc) == (year == 2022)
    assert not {"Europe/Berlin", "America/Los_Angeles", "Pacific/Chatham"} & set(in_utc)


# --- property: any common zone, both sides of its changes ---------------------------------------


@st.composite
def events_around_changes(draw) -> tuple[str, list[tuple[datetime, datetime]]]:
    zone = draw(st.sampled_from(pytz.common_timezones))
    year = draw(st.integers(min_value=2021, max_value=2042))
    changes = zone_changes(zone, year) or [datetime(year, 6, 1, tzinfo=UTC)]
    events = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        change = draw(st.sampled_from(changes))
        start = change + timedelta(
            minutes=draw(st.integers(min_value=-3 * 1440, max_value=3 * 1440))
        )
        length = timedelta(minutes=draw(st.integers(min_value=5, max_value=6 * 60)))
        events.append((start, start + length))
    return zone, events


@settings(
    max_examples=int(os.environ.get("PLANNER_PROPERTY_EXAMPLES", "60")),
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(events_around_changes())
def test_property_exported_instants_equal_program_instants(case) -> None:
    zone, times = case
    program = program_of(zone, times)
    agenda = all_picked(program)
    result = export(program, agenda, zone)
    assert_same_instants(result.data, expected_times(program, agenda))
