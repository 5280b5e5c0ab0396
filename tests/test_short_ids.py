"""Ids a person can type: the conference's short id where the file's own is a long GUID."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from planner import agenda
from planner.errors import NotFoundError
from planner.model import Program
from planner.query import resolve_id
from planner.sources import SourceContext, parse

FIXTURES = Path(__file__).parent / "fixtures"
OPENING = "354e7355-86b0-4dd4-9243-940ee6035c3c"
NOW = datetime(2024, 9, 10, 8, 0, tzinfo=timezone.utc)


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


# --- agendas made before short ids (picks keyed by GUID) ---

OLD_AGENDA = FIXTURES / "guid_keyed_v3.agenda.json"
INTRO = "11111111-aaaa-4aaa-8aaa-111111111111"


@pytest.fixture
def old_agenda(tmp_path: Path) -> Path:
    path = tmp_path / "repeatcon.json"
    path.write_bytes(OLD_AGENDA.read_bytes())
    return path


def repeatcon() -> Program:
    return parse((FIXTURES / "live_frab_v1.xml").read_bytes(), SourceContext("v1.xml", "v1"))


def test_picks_keyed_by_guid_are_read_under_the_short_ids(old_agenda: Path) -> None:
    current = agenda.read_agenda(old_agenda, repeatcon())
    assert [(p.id, p.guid, p.sequence) for p in current.picks] == [
        ("1", INTRO, 1),
        ("2", f"{INTRO}-2", 0),
        ("office-hours-novak", None, 0),
        ("99999999-dead-4bee-8f00-000000000000", None, 0),  # vanished: kept as it was
    ]
    assert old_agenda.read_bytes() == OLD_AGENDA.read_bytes()  # reading writes nothing


def test_the_first_save_writes_the_short_ids_and_keeps_the_old_file(old_agenda: Path) -> None:
    program = repeatcon()
    [office] = [item for item in program.items if item.id == "office-hours-novak-2"]
    agenda.update_agenda(old_agenda, program, lambda now: agenda.pick(now, program, [office]))
    saved = json.loads(old_agenda.read_text())
    assert saved["version"] == agenda.AGENDA_VERSION
    assert [pick["id"] for pick in saved["picks"]] == [
        "1",
        "2",
        "office-hours-novak",
        "99999999-dead-4bee-8f00-000000000000",
        "office-hours-novak-2",
    ]
    backup = old_agenda.with_name("repeatcon.json.v3.bak")
    assert backup.read_bytes() == OLD_AGENDA.read_bytes()


def test_the_calendar_uids_stay_those_of_the_guid_ids(old_agenda: Path) -> None:
    from planner.export.ics import to_ics

    current = agenda.read_agenda(old_agenda, repeatcon())
    text = to_ics(repeatcon(), current, zone="UTC", now=NOW, alarm_minutes=None, name=None)
    uids = [line for line in text.data.decode().splitlines() if line.startswith("UID:")]
    assert uids == [
        "UID:99999999-dead-4bee-8f00-000000000000@repeatcon.planner",  # cancelled, 09:00
        f"UID:{INTRO}@repeatcon.planner",
        "UID:office-hours-novak@repeatcon.planner",
        f"UID:{INTRO}-2@repeatcon.planner",
    ]


def test_a_renumbered_item_is_found_again_by_its_guid(old_agenda: Path) -> None:
    renumbered = (FIXTURES / "live_frab_v1.xml").read_bytes().replace(b'id="1"', b'id="71"')
    program = parse(renumbered, SourceContext("v2.xml", "v2"))
    current = agenda.read_agenda(old_agenda, repeatcon())
    agenda.write_agenda(old_agenda, current)
    again = agenda.read_agenda(old_agenda, program)
    assert [p.id for p in again.picks][:2] == ["71", "2"]
    assert agenda.changes(program, again) == [
        agenda.Change(
            "99999999-dead-4bee-8f00-000000000000", "vanished", "no longer in the program"
        )
    ]


def test_show_names_the_guid_beside_the_short_id() -> None:
    from click.testing import CliRunner

    from planner.cli import cli

    program = str(FIXTURES / "frab_offsets_country_domain.xml")
    shown = CliRunner().invoke(cli, ["--program", program, "show", OPENING])
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[1:3] == [
        "  id:       10496 (talk)",
        f"  guid:     {OPENING}",
    ]


def test_an_agenda_with_a_vanished_pick_is_saved_without_a_backup_each_time(tmp_path: Path) -> None:
    program = repeatcon()
    path = tmp_path / "repeatcon.json"
    gone = agenda.Pick(
        id="gone", snapshot=agenda.Snapshot(title="Gone"), guid="99999999-0000-4000-8000-0"
    )
    agenda.write_agenda(path, agenda.Agenda(program_id="repeatcon", picks=[gone]))
    assert agenda.adopt_ids(agenda.read_agenda(path, program), program).picks == [gone]
    for item_id in ("1", "2"):
        item = program.item_map()[item_id]
        agenda.update_agenda(
            path, program, lambda now, item=item: agenda.pick(now, program, [item])
        )
    assert not list(tmp_path.glob("*.bak"))


def test_a_vanished_pick_can_be_dropped_by_its_guid(old_agenda: Path) -> None:
    program = repeatcon()
    agenda.update_agenda(old_agenda, program, lambda now: agenda.pick(now, program, []))
    gone = program.model_copy(update={"items": [i for i in program.items if i.id != "2"]})
    result = agenda.update_agenda(
        old_agenda, gone, lambda now: agenda.drop(now, gone, [f"{INTRO}-2"])
    )
    assert [outcome.message for outcome in result.outcomes] == ["dropped 2: Intro to Rust (repeat)"]
