"""Guessing a program's zone from UTC offsets alone (files that name no zone)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from planner import timezones
from planner.model import Program
from planner.sources import SourceContext, parse


@pytest.mark.parametrize(
    ("hours", "name"),
    [
        (0, "UTC"),
        (2, "Etc/GMT-2"),
        (-7, "Etc/GMT+7"),
        (14, "Etc/GMT-14"),  # Kiribati's Line Islands, the eastmost offset
        (-12, "Etc/GMT+12"),  # the westmost
        (-13, None),  # no Etc/GMT+13 exists
        (-14, None),
        (15, None),
    ],
)
def test_fixed_offset_zone_names_exist_for_every_offset_they_give(
    hours: int, name: str | None
) -> None:
    found = timezones.fixed_offset_zone_name(timedelta(hours=hours))
    assert found == name
    if found is not None:
        assert timezones.check_zone(found) == found
        moment = datetime(2024, 1, 1, 12, tzinfo=timezones.UTC)
        assert timezones.offset_at(moment, found) == timedelta(hours=hours)


def test_half_hour_offsets_have_no_fixed_offset_zone_but_a_place() -> None:
    assert timezones.fixed_offset_zone_name(timedelta(hours=5, minutes=30)) is None
    notes: list[str] = []
    moment = datetime.fromisoformat("2024-01-01T09:00:00+05:30")
    assert timezones.zone_from_offsets([moment], notes) == "Asia/Colombo"
    assert "the first zone with those offsets" in notes[0]


def test_a_file_at_minus_13_hours_loads_in_utc_with_a_note() -> None:
    data = b"title,start,end,room\nA,2024-01-01T09:00:00-13:00,2024-01-01T10:00:00-13:00,R\n"
    program = parse(data, SourceContext(label="far.csv", stem="far"), fmt="csv")
    assert program.timezone == "UTC"
    assert any("(-13:00) fit no single timezone; used UTC" in note for note in program.notes)


# --- a place for offset-only schedules (frab, c3voc) from the file's own clues ---

FIXTURES = Path(__file__).parent / "fixtures"


def load_frab(data: bytes) -> Program:
    return parse(data, SourceContext(label="schedule.xml", stem="schedule"))


def test_a_country_domain_whose_zones_fit_the_offsets_names_the_zone() -> None:
    data = (FIXTURES / "frab_offsets_country_domain.xml").read_bytes()
    program = load_frab(data)
    # Germany has Europe/Berlin and Europe/Busingen; both keep one set of rules in 2019.
    assert program.timezone == "Europe/Berlin"
    assert program.notes[-1] == (
        "the file names no timezone (time_zone_name); guessed Europe/Berlin from the country "
        "of its address (.de), the one zone there with the file's offsets (+01:00); give "
        "--program-tz ZONE to name the conference's zone"
    )
    # Only the display zone is guessed: every instant is the one the file gives.
    without_clue = load_frab(data.replace(b"ccc.de", b"ccc.org"))
    assert without_clue.timezone == "Etc/GMT-1"
    assert [i.start for i in program.items] == [i.start for i in without_clue.items]
    assert program.items[0].start == datetime.fromisoformat("2019-12-27T11:00:00+01:00")


def test_a_city_the_file_names_wins_when_its_zone_fits() -> None:
    data = (FIXTURES / "frab_offsets_country_domain.xml").read_bytes()
    vienna = data.replace(b"<start>2019-12-27</start>", b"<venue>Messe Vienna</venue>")
    assert load_frab(vienna).timezone == "Europe/Vienna"
    assert "from the city in the file's texts (Vienna)" in load_frab(vienna).notes[-1]
    # A city whose zone gives other offsets is no clue: back to the country's zone.
    tokyo = data.replace(b"<start>2019-12-27</start>", b"<venue>Tokyo Big Sight</venue>")
    assert load_frab(tokyo).timezone == "Europe/Berlin"


def test_a_country_whose_fitting_zones_differ_keeps_todays_behaviour() -> None:
    # -07:00 in July is Los Angeles (summer time) and Phoenix (no summer time): not one zone.
    data = (
        (FIXTURES / "frab_offsets_country_domain.xml")
        .read_bytes()
        .replace(b"ccc.de", b"conf.us")
        .replace(b"2019-12-2", b"2019-07-2")
        .replace(b"2019-12-3", b"2019-07-3")
        .replace(b"+01:00", b"-07:00")
    )
    program = load_frab(data)
    assert program.timezone == "Etc/GMT+7"
    assert "estimated Etc/GMT+7 from the events' times" in program.notes[-1]


def test_generic_country_domains_are_no_clue() -> None:
    moment = datetime.fromisoformat("2024-05-01T10:00:00+06:00")
    spans = timezones.offset_spans([(moment, timedelta(hours=6))])
    clues = timezones.ZoneClues(urls=("https://pretalx.io/event/",))  # .io: Chagos, +06:00
    assert timezones.guess_zone(spans, clues) is None
    assert timezones.guess_zone(spans, timezones.ZoneClues(urls=("https://x.kg/",))) == (
        "Asia/Bishkek",
        "the country of its address (.kg)",
    )


def test_a_c3voc_schedule_without_a_zone_name_takes_its_address_country_zone() -> None:
    import json

    event = {
        "id": 7,
        "guid": "c3c3c3c3-0000-4000-8000-000000000007",
        "date": "2024-11-16T10:00:00+01:00",
        "start": "10:00",
        "duration": "00:30",
        "title": "Opening",
        "room": "Saal 1",
    }
    schedule = {
        "schedule": {
            "version": "1",
            "conference": {
                "acronym": "privacyweek",
                "title": "Privacy Week",
                "url": "https://privacyweek.at/",
                "days": [{"date": "2024-11-16", "rooms": {"Saal 1": [event]}}],
            },
        }
    }
    program = parse(json.dumps(schedule).encode(), SourceContext(label="pw.json", stem="pw"))
    assert (program.timezone, program.items[0].id) == ("Europe/Vienna", "7")
    assert program.items[0].start == datetime.fromisoformat("2024-11-16T10:00:00+01:00")
