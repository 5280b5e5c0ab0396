"""Guessing a program's zone from UTC offsets alone (files that name no zone)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from planner import timezones
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
