"""The hand-built VTIMEZONE: POSIX rule strings, their RRULEs, and the check against zoneinfo."""

from __future__ import annotations

import io
import os
import re
import zoneinfo
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from helpers.zones import offset_changes

from planner.export.vtimezone import (
    BodyMismatch,
    DayRule,
    Vtimezone,
    YearlyRule,
    build_vtimezone,
    parse_posix,
    posix_string,
    yearly_rule,
    zone_data_version,
    zone_file,
    zone_rules,
)

UTC = timezone.utc


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


def zoneinfo_changes(zone: str, year: int) -> list[tuple[datetime, timedelta]]:
    """(naive UTC instant, new offset) wherever zoneinfo's offset changes in ``year``."""
    return [(moment.replace(tzinfo=None), offset) for moment, offset in offset_changes(zone, year)]


def body_lines(body: Vtimezone) -> list[str]:
    return body.component().to_ical().decode().replace("\r\n ", "").split("\r\n")


# --- one source of zone data -------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Pacific/Chatham", "America/Nuuk"])
def test_rule_string_comes_from_the_file_zoneinfo_reads(zone: str) -> None:
    where, data = zone_file(zone)
    folders = [folder for folder in zoneinfo.TZPATH if os.path.isfile(os.path.join(folder, zone))]
    if folders:
        assert where == os.path.join(folders[0], zone)
    else:
        assert where == f"tzdata package: {zone}"
    from_bytes = ZoneInfo.from_file(io.BytesIO(data), key=zone)
    named = ZoneInfo(zone)
    moment = datetime(1990, 1, 1, tzinfo=UTC)
    while moment.year < 2060:
        assert moment.astimezone(from_bytes).utcoffset() == moment.astimezone(named).utcoffset()
        moment += timedelta(days=13, hours=5)


def test_zone_data_version_names_an_iana_release() -> None:
    assert re.fullmatch(r"\d{4}[a-z]", zone_data_version("Europe/Berlin"))


def test_posix_strings_of_known_zones() -> None:
    assert posix_string("America/Los_Angeles") == "PST8PDT,M3.2.0,M11.1.0"
    assert posix_string("Asia/Kolkata") == "IST-5:30"


# --- the POSIX TZ string -----------------------------------------------------------------------


def test_parse_whole_hours_with_default_change_times() -> None:
    rule = parse_posix("PST8PDT,M3.2.0,M11.1.0")
    assert (rule.std_name, rule.std_offset, rule.dst_name, rule.dst_offset) == (
        "PST",
        hours(-8),
        "PDT",
        hours(-7),
    )
    assert rule.dst_start == DayRule(3, 2, 0, 2 * 3600)
    assert rule.dst_end == DayRule(11, 1, 0, 2 * 3600)


def test_parse_odd_offsets_and_times() -> None:
    chatham = parse_posix("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45")
    assert (chatham.std_name, chatham.std_offset, chatham.dst_offset) == (
        "+1245",
        hours(12.75),
        hours(13.75),
    )
    assert chatham.dst_start == DayRule(9, 5, 0, 2 * 3600 + 45 * 60)
    lord_howe = parse_posix("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0")
    assert lord_howe.dst_offset - lord_howe.std_offset == timedelta(minutes=30)
    nuuk = parse_posix("<-02>2<-01>,M3.5.0/-1,M10.5.0/0")
    assert nuuk.dst_start == DayRule(3, 5, 0, -3600)
    jerusalem = parse_posix("IST-2IDT,M3.4.4/26,M10.5.0")
    assert jerusalem.dst_start == DayRule(3, 4, 4, 26 * 3600)
    kolkata = parse_posix("IST-5:30")
    assert (kolkata.std_offset, kolkata.dst_start) == (hours(5.5), None)


@pytest.mark.parametrize("text", ["EST5EDT,J60,J300", "EST5EDT,59,299", "no rule here", "X1"])
def test_rules_planner_cannot_state_are_refused(text: str) -> None:
    with pytest.raises(BodyMismatch):
        parse_posix(text)


# --- RRULEs ------------------------------------------------------------------------------------


def test_change_on_a_later_day_becomes_bymonthday_set() -> None:
    # Jerusalem: M3.4.4/26 is 02:00 on the Friday after the fourth Thursday of March.
    friday = yearly_rule(DayRule(3, 4, 4, 26 * 3600))
    assert friday.as_recur() == {
        "FREQ": "YEARLY",
        "BYMONTH": 3,
        "BYMONTHDAY": [23, 24, 25, 26, 27, 28, 29],
        "BYDAY": "FR",
    }
    # Nuuk: M3.5.0/-1 is 23:00 on the Saturday before the last Sunday of March.
    saturday = yearly_rule(DayRule(3, 5, 0, -3600))
    assert saturday.as_recur()["BYMONTHDAY"] == [24, 25, 26, 27, 28, 29, 30]
    assert saturday.as_recur()["BYDAY"] == "SA"
    assert [day.isoformat() for day in saturday.dates(2026)] == ["2026-03-28"]


def test_change_pushed_into_the_next_month_is_refused() -> None:
    # Cairo: M10.5.4/24 is the Friday after the last Thursday of October: 1 November in 2024.
    assert DayRule(10, 5, 4, 24 * 3600).date_in(2024).isoformat() == "2024-11-01"
    with pytest.raises(BodyMismatch, match=r"M10\.5\.4/24"):
        yearly_rule(DayRule(10, 5, 4, 24 * 3600))
    with pytest.raises(BodyMismatch, match=r"current rule of Africa/Cairo"):
        zone_rules("Africa/Cairo")


def test_nth_weekday_rules() -> None:
    assert YearlyRule(6, 3, nth=2).dates(2023)[0].isoformat() == "2023-03-12"
    assert YearlyRule(6, 10, nth=-1).dates(2023)[0].isoformat() == "2023-10-29"


@pytest.mark.parametrize(
    "zone",
    [
        "America/Los_Angeles",
        "Europe/Berlin",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
        "America/St_Johns",
        "Asia/Jerusalem",
        "America/Nuuk",
        "America/Santiago",
        "Europe/Dublin",
    ],
)
def test_body_changes_are_zoneinfos_changes(zone: str) -> None:
    body = Vtimezone(zone, zone_rules(zone), 2026)
    for year in range(2027, 2041):
        assert body.changes_in(year) == zoneinfo_changes(zone, year), year


def test_dublin_winter_time_is_the_standard_block() -> None:
    # Its POSIX rule calls IST (+01:00, summer) standard and GMT its "daylight" time.
    observances = {observance.kind: observance for observance in zone_rules("Europe/Dublin")}
    assert observances["DAYLIGHT"].offset_to == hours(1)
    assert observances["STANDARD"].offset_to == hours(0)


# --- the checked body --------------------------------------------------------------------------


def test_read_local_finds_gaps_and_repeats() -> None:
    body = Vtimezone("Europe/Berlin", zone_rules("Europe/Berlin"), 2022)
    assert body.read_local(datetime(2023, 7, 1, 12)) == {hours(2)}
    assert body.read_local(datetime(2023, 10, 29, 2, 30)) == {hours(1), hours(2)}  # twice
    assert body.read_local(datetime(2023, 3, 26, 2, 30)) == set()  # skipped


def test_component_of_chatham() -> None:
    start = datetime(2023, 1, 16, 12, tzinfo=ZoneInfo("Pacific/Chatham"))
    body = build_vtimezone("Pacific/Chatham", [start, start + hours(1)])
    assert body.first_year == 2022
    lines = body_lines(body)
    assert lines[:2] == ["BEGIN:VTIMEZONE", "TZID:Pacific/Chatham"]
    daylight = lines[lines.index("BEGIN:DAYLIGHT") : lines.index("END:DAYLIGHT")]
    assert daylight[1:] == [
        "DTSTART:20220925T024500",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=9",
        "TZNAME:+1345",
        "TZOFFSETFROM:+1245",
        "TZOFFSETTO:+1345",
    ]
    assert "DTSTART:20220403T034500" in lines and "TZOFFSETTO:+1245" in lines


def test_component_of_jerusalem_and_kolkata() -> None:
    start = datetime(2024, 3, 29, 12, tzinfo=ZoneInfo("Asia/Jerusalem"))  # the day DST begins
    lines = body_lines(build_vtimezone("Asia/Jerusalem", [start]))
    assert "RRULE:FREQ=YEARLY;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29;BYMONTH=3" in lines
    assert "DTSTART:20230324T020000" in lines
    start = datetime(2023, 5, 1, 9, tzinfo=ZoneInfo("Asia/Kolkata"))
    lines = body_lines(build_vtimezone("Asia/Kolkata", [start]))
    assert lines.count("BEGIN:STANDARD") == 1 and "BEGIN:DAYLIGHT" not in lines
    assert "TZOFFSETTO:+0530" in lines and not any(line.startswith("RRULE") for line in lines)


def test_changed_rules_are_caught() -> None:
    summer_2022 = datetime(2022, 6, 15, 10, tzinfo=ZoneInfo("America/Mexico_City"))
    with pytest.raises(BodyMismatch, match=r"does not give its offset -05:00 on 2022-06-15 10:00"):
        build_vtimezone("America/Mexico_City", [summer_2022])
    body = build_vtimezone("America/Mexico_City", [summer_2022.replace(year=2026)])
    assert [observance.kind for observance in body.observances] == ["STANDARD"]
