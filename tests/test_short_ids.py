"""Ids a person can type: the conference's short id where the file's own is a long GUID."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.errors import NotFoundError
from planner.model import Program
from planner.query import resolve_id
from planner.sources import SourceContext, parse

FIXTURES = Path(__file__).parent / "fixtures"
OPENING = "354e7355-86b0-4dd4-9243-940ee6035c3c"


def frab(data: bytes) -> Program:
    return parse(data, SourceContext(label="schedule.xml", stem="schedule"))


def congress() -> Program:
    return frab((FIXTURES / "frab_offsets_country_domain.xml").read_bytes())


def test_frab_events_get_their_number_and_keep_their_guid() -> None:
    program = congress()
    assert (program.items[0].id, program.items[0].guid) == ("10496", OPENING)


@pytest.mark.parametrize("typed", [OPENING, OPENING.upper(), "354e7355", "10496", "1049"])
def test_the_guid_its_start_and_the_short_id_all_find_the_item(typed: str) -> None:
    assert resolve_id(congress(), typed).id == "10496"


def test_an_ambiguous_start_names_the_short_ids() -> None:
    with pytest.raises(NotFoundError, match="ambiguous in 36c3: it could be 10496, 10565, 11223"):
        resolve_id(congress(), "1")


TWO_TALKS_ONE_TITLE = b"""<?xml version="1.0" encoding="utf-8"?>
<schedule><conference><acronym>twin</acronym><time_zone_name>Europe/Berlin</time_zone_name>
</conference><day index="1" date="2024-06-01">
<room name="A"><event guid="%(first)s"><date>2024-06-01T10:00:00+02:00</date>
<start>10:00</start><duration>00:30</duration><title>Lightning talks</title></event></room>
<room name="B"><event guid="%(second)s"><date>2024-06-01T16:00:00+02:00</date>
<start>16:00</start><duration>00:30</duration><title>Lightning talks</title></event></room>
</day></schedule>"""
EARLY = "aaaaaaaa-0000-4000-8000-000000000001"
LATE = "bbbbbbbb-0000-4000-8000-000000000002"


def test_title_ids_are_told_apart_by_guid_not_by_file_order() -> None:
    program = frab(TWO_TALKS_ONE_TITLE % {b"first": EARLY.encode(), b"second": LATE.encode()})
    swapped = frab(TWO_TALKS_ONE_TITLE % {b"first": LATE.encode(), b"second": EARLY.encode()})
    ids = {item.guid: item.id for item in program.items}
    assert ids == {EARLY: "lightning-talks", LATE: "lightning-talks-2"}
    assert {item.guid: item.id for item in swapped.items} == ids  # a refresh that swaps them


def test_pretalx_code_is_the_short_id_when_the_file_gives_one() -> None:
    document = json.loads((FIXTURES / "pretalx_democon.schedule.json").read_bytes())
    first = document["schedule"]["conference"]["days"][0]["rooms"]["Gray Room"][0]
    first["code"] = "G9JGWY"
    program = parse(json.dumps(document).encode(), SourceContext(label="d.json", stem="d"))
    assert (program.items[0].id, program.items[0].guid) == ("G9JGWY", first["guid"])
    assert program.items[1].id == "26"  # no code: the number pretalx gives
