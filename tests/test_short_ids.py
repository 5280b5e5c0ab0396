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
    assert ids == {EARLY: "lightning-talks-aaaaaa", LATE: "lightning-talks-bbbbbb"}
    assert {item.guid: item.id for item in swapped.items} == ids  # a refresh that swaps them


def test_pretalx_code_is_the_short_id_when_the_file_gives_one() -> None:
    document = json.loads((FIXTURES / "pretalx_democon.schedule.json").read_bytes())
    first = document["schedule"]["conference"]["days"][0]["rooms"]["Gray Room"][0]
    first["code"] = "G9JGWY"
    program = parse(json.dumps(document).encode(), SourceContext(label="d.json", stem="d"))
    assert (program.items[0].id, program.items[0].guid) == ("G9JGWY", first["guid"])
    assert program.items[1].id == "26"  # no code: the number pretalx gives


def test_talks_of_one_title_without_guids_are_told_apart_by_day_and_time() -> None:
    program = repeatcon()
    assert [item.id for item in program.items][2:] == [
        "office-hours-novak-thu-1100",
        "office-hours-novak-thu-1600",
    ]
    parallel = (FIXTURES / "live_frab_v1.xml").read_bytes().replace(b"16:00", b"11:00")
    parallel = parallel.replace(b'<room name="Room B">', b'<room name="Room B/C">')
    again = parse(parallel, SourceContext("p.xml", "p"))
    assert [item.id for item in again.items][2:] == [
        "office-hours-novak-thu-1100-room-b-c",
        "office-hours-novak-thu-1100-room-b-c-2",  # same title, time and room: numbered
    ]


def without_the_first_office_hours(data: bytes) -> bytes:
    start = data.index(b"<event>")
    return data[:start] + data[data.index(b"</event>", start) + len(b"</event>") :]


def test_cancelling_one_of_two_talks_of_one_title_never_moves_a_pick(tmp_path: Path) -> None:
    before = repeatcon()
    early, late = before.items[2:]
    path = tmp_path / "repeatcon.json"
    agenda.update_agenda(path, before, lambda now: agenda.pick(now, before, [early, late]))
    after = parse(without_the_first_office_hours(LIVE_V1.read_bytes()), SourceContext("v", "v"))
    [left] = [item for item in after.items if item.title == "Office hours"]
    assert (left.id, left.start) == ("office-hours-novak", late.start)  # a title nobody shares
    picks = agenda.read_agenda(path, after).picks
    # The later talk's pick stays on it; the cancelled one's pick is not handed the bare id.
    assert [(pick.id, pick.snapshot.start) for pick in picks] == [
        ("office-hours-novak-thu-1100", early.start),
        ("office-hours-novak", late.start),
    ]
    assert agenda.changes(after, agenda.read_agenda(path, after)) == [
        agenda.Change("office-hours-novak-thu-1100", "vanished", "no longer in the program")
    ]
    # Saved so, then the conference restores the cancelled talk: each pick finds its own again.
    agenda.write_agenda(path, agenda.read_agenda(path, after))
    restored = agenda.read_agenda(path, before)
    assert [pick.id for pick in restored.picks] == [early.id, late.id]


# --- agendas made before short ids (picks keyed by GUID) ---

OLD_AGENDA = FIXTURES / "guid_keyed_v3.agenda.json"
INTRO = "11111111-aaaa-4aaa-8aaa-111111111111"


@pytest.fixture
def old_agenda(tmp_path: Path) -> Path:
    path = tmp_path / "repeatcon.json"
    path.write_bytes(OLD_AGENDA.read_bytes())
    return path


LIVE_V1 = FIXTURES / "live_frab_v1.xml"


def repeatcon() -> Program:
    return parse(LIVE_V1.read_bytes(), SourceContext("v1.xml", "v1"))


def test_picks_keyed_by_guid_are_read_under_the_short_ids(old_agenda: Path) -> None:
    current = agenda.read_agenda(old_agenda, repeatcon())
    assert [(p.id, p.guid, p.sequence) for p in current.picks] == [
        ("1", INTRO, 1),
        ("2", f"{INTRO}-2", 0),
        ("office-hours-novak-thu-1100", None, 0),  # its title now shared: found at its time
        ("99999999-dead-4bee-8f00-000000000000", None, 0),  # vanished: kept as it was
    ]
    assert old_agenda.read_bytes() == OLD_AGENDA.read_bytes()  # reading writes nothing


def test_the_first_save_writes_the_short_ids_and_keeps_the_old_file(old_agenda: Path) -> None:
    program = repeatcon()
    [office] = [item for item in program.items if item.id == "office-hours-novak-thu-1600"]
    agenda.update_agenda(old_agenda, program, lambda now: agenda.pick(now, program, [office]))
    saved = json.loads(old_agenda.read_text())
    assert saved["version"] == agenda.AGENDA_VERSION
    assert [pick["id"] for pick in saved["picks"]] == [
        "1",
        "2",
        "office-hours-novak-thu-1100",
        "99999999-dead-4bee-8f00-000000000000",
        "office-hours-novak-thu-1600",
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
        "UID:office-hours-novak-thu-1100@repeatcon.planner",  # no GUID: the UID is the id
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
