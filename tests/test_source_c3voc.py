"""The c3voc schedule.json loader (planner/sources/c3voc.py) on the real pretalx export and fixtures."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from helpers.loading import FIXTURES, assert_one_error_line, fixture, run

from planner.errors import ProgramError
from planner.model import Program
from planner.sources import SourceContext, load, parse, sniff

DEMOCON = FIXTURES / "pretalx_democon.schedule.json"


def load_fixture(name: str, zone: str | None = None) -> Program:
    return load(fixture(name), zone=zone)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def democon() -> Program:
    return load(str(DEMOCON))


# --- the real pretalx export ---


def test_democon_is_detected_as_c3voc() -> None:
    assert sniff(DEMOCON.read_bytes()) == "c3voc"


def test_democon_identity_and_shape(democon: Program) -> None:
    assert (democon.id, democon.name, democon.timezone) == ("democon", "DemoCon", "UTC")
    assert len(democon.items) == 36
    assert [room.name for room in democon.rooms] == ["Gray Room", "Tan Room"]
    assert Counter(item.room for item in democon.items) == {"Gray Room": 27, "Tan Room": 9}
    assert Counter(item.kind for item in democon.items) == {"talk": 27, "tutorial": 9}
    assert len({item.id for item in democon.items}) == 36


def test_democon_instants_come_from_the_offsets(democon: Program) -> None:
    find = democon.tree.find  # by GUID: the ids are pretalx's short ones (first.id == "25")
    first = find("8079583e-8321-506c-95af-fd2903a5f075")
    assert (first.id, first.guid) == ("25", "8079583e-8321-506c-95af-fd2903a5f075")
    assert (first.title, first.start, first.end, first.room) == (
        "Focused 5thgeneration hardware",
        at("2020-12-14T09:00:00+01:00"),
        at("2020-12-14T09:30:00+01:00"),
        "Gray Room",
    )
    assert first.start == at("2020-12-14T08:00:00+00:00")
    workshop = find("3a74bb53-ef1a-57ce-9ba7-904d27e9eb5f")
    assert (workshop.title, workshop.kind, workshop.start, workshop.end, workshop.room) == (
        "Managed stable function",
        "tutorial",
        at("2020-12-14T09:00:00+01:00"),
        at("2020-12-14T10:30:00+01:00"),
        "Tan Room",
    )
    last = find("2b2f1972-ee1f-536d-a364-f36561b3ecce")
    assert (last.title, last.start, last.end) == (
        "Proactive leadingedge Graphical User Interface",
        at("2020-12-16T14:00:00+01:00"),
        at("2020-12-16T15:30:00+01:00"),
    )


def test_democon_speakers_and_text(democon: Program) -> None:
    three = democon.tree.find("8def099f-0871-5d9f-95b8-de50f694e747")
    assert three.speakers == ["Stephanie Hudson", "Mariah Estrada", "Kathy Wallace"]
    first = democon.item_map()["25"]
    assert first.url == "http://localhost/democon/talk/G9JGWY/"
    assert first.abstract.startswith("Brand back-end models!\n\nStation provide certain mean.")


def test_democon_zone_disagreement_is_a_note(democon: Program) -> None:
    assert democon.notes == [
        "time_zone_name UTC disagrees with the offsets in date for 36 events (start is local "
        "time at the event's own offset, not in UTC), e.g. event 25 'Focused 5thgeneration "
        "hardware': start 09:00, date 2020-12-14T09:00:00+01:00; used the instants in date; "
        "times are shown in UTC (give --program-tz ZONE to show them in another zone)"
    ]


def test_program_tz_overrides_the_display_zone_not_the_instants() -> None:
    program = load(str(DEMOCON), zone="Europe/Berlin")
    assert program.timezone == "Europe/Berlin"
    assert program.items[0].start == at("2020-12-14T08:00:00+00:00")
    assert program.notes == ["times shown in Europe/Berlin as --program-tz asked (file says UTC)"]


# --- fixtures ---


def test_declared_zone_stays_for_display_while_offsets_give_instants() -> None:
    program = load_fixture("c3voc_tz_disagrees.json")
    assert (program.id, program.name, program.timezone) == (
        "fogcon24",
        "FogCon 2024",
        "Europe/London",
    )
    assert [(item.id, item.title, item.start, item.end, item.room) for item in program.items] == [
        (
            "301",
            "Welcome to FogCon",
            at("2024-12-05T08:00:00+00:00"),
            at("2024-12-05T08:45:00+00:00"),
            "Lecture Theatre",
        ),
        (
            "302",
            "Mist modelling",
            at("2024-12-05T09:00:00+00:00"),
            at("2024-12-05T10:30:00+00:00"),
            "Lecture Theatre",
        ),
    ]
    assert program.items[1].speakers == ["Tom Haze", "Ana Cloud"]
    assert program.items[1].abstract == "Hands on."
    assert len(program.notes) == 1
    assert program.notes[0].startswith(
        "time_zone_name Europe/London disagrees with the offsets in date for 2 events"
    )


def test_ids_from_id_where_the_guid_is_long_then_slug_then_title_and_speakers() -> None:
    program = load_fixture("c3voc_persons_ids.json")
    assert [(item.id, item.speakers, item.kind) for item in program.items] == [
        ("1", ["Joana Silva", "Pedro Souza"], "talk"),
        ("2", ["Joana Silva"], "talk"),
        ("3", ["Rita Lopes"], "talk"),
        ("idcon-oficina", [], "tutorial"),
        ("cafe-conversa-org", ["Equipe Org"], "break"),
    ]
    assert program.items[4].start == at("2024-08-10T14:00:00-03:00")
    # The GUIDs stay beside the short ids; a repeated one is told apart as before.
    assert [item.guid for item in program.items[:3]] == [
        "1d000000-0000-4000-8000-000000000001",
        "1d000000-0000-4000-8000-000000000001-2",
        None,
    ]
    assert program.notes == [
        "id '1d000000-0000-4000-8000-000000000001' is repeated (event 2 'Abertura (bis)'); "
        "renamed it '1d000000-0000-4000-8000-000000000001-2'"
    ]


def test_local_starts_past_midnight_and_across_fall_back() -> None:
    program = load_fixture("c3voc_day_change.json")
    assert program.timezone == "Europe/Amsterdam"
    assert [(item.title, item.start, item.end, item.estimated) for item in program.items] == [
        ("Evening set", at("2024-10-26T22:00:00+02:00"), at("2024-10-26T23:00:00+02:00"), False),
        # 02:30 on the day that ends at 04:00 is the next date, which has 02:30 twice
        ("Late set", at("2024-10-27T02:30:00+02:00"), at("2024-10-27T03:30:00+01:00"), True),
    ]
    assert program.items[1].minutes == 120
    assert program.notes == [
        "event 'Late set' (schedule.conference.days[0].rooms['Club'][1]): 2024-10-27 02:30 "
        "occurs twice in Europe/Amsterdam (clocks went back); read as the first, +02:00"
    ]


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("c3voc_wrong_shape.json", "schedule.conference.days: expected a list, found an object"),
        ("c3voc_missing_title.json", "event 302: has no title"),
        ("c3voc_bad_date.json", "event 302 'Mist modelling': '2024-12-05 at ten' is not an ISO"),
        ("c3voc_truncated.json", "not valid JSON (Expecting property name enclosed in double"),
        ("c3voc_unknown_timezone.json", "time_zone_name: unknown timezone 'Mars/Olympus_Mons'"),
    ],
)
def test_bad_files_name_the_file_and_the_place(name: str, fragment: str) -> None:
    with pytest.raises(ProgramError) as caught:
        load_fixture(name)
    assert str(caught.value).startswith(fixture(name) + ": ")
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ([], "the file: expected an object, found a list"),
        ({"schedule": {"version": "1"}}, "schedule has no 'conference'"),
        (
            {"schedule": {"conference": {"days": ["x"]}}},
            "days[0]: expected a day object, found text",
        ),
        (
            {"schedule": {"conference": {"days": [{"date": "2024-01-01", "rooms": {"A": {}}}]}}},
            "rooms['A']: expected a list of events, found an object",
        ),
        (
            {"schedule": {"conference": {"days": [{"rooms": {"A": [7]}}]}}},
            "rooms['A'][0]: expected an event object, found a number",
        ),
        (
            {"schedule": {"conference": {"title": ["x"], "days": []}}},
            "schedule.conference: title should be text, found a list",
        ),
        (
            {
                "schedule": {
                    "conference": {
                        "time_zone_name": "UTC",
                        "days": [{"rooms": {"A": [{"id": 4, "title": "T", "persons": "Ann"}]}}],
                    }
                }
            },
            "event 4 'T': persons should be a list, found text",
        ),
    ],
)
def test_json_of_the_wrong_shape(document: object, fragment: str) -> None:
    data = json.dumps(document).encode()
    with pytest.raises(ProgramError) as caught:
        parse(data, SourceContext(label="odd.json", stem="odd"), fmt="c3voc")
    assert str(caught.value).startswith("odd.json: ")
    assert fragment in str(caught.value)


def test_conference_without_acronym_or_events_uses_the_file_name() -> None:
    data = json.dumps(
        {"schedule": {"version": "1", "conference": {"time_zone_name": "Asia/Tokyo", "days": []}}}
    ).encode()
    program = parse(data, SourceContext(label="my talks.json", stem="my talks"))
    assert (program.id, program.name, program.timezone, program.items) == (
        "my-talks",
        "my talks",
        "Asia/Tokyo",
        [],
    )


# --- command line ---


def test_cli_talks_shows_the_declared_zone_and_program_tz_overrides() -> None:
    declared = run("--program", str(DEMOCON), "talks", "--day", "2020-12-14")
    assert declared.exit_code == 0, declared.output
    assert declared.output.splitlines()[0] == "Monday 14 December 2020 (times in UTC, UTC+00:00)"
    assert "08:00-08:30   Gray Room" in declared.output
    berlin = run("--program", str(DEMOCON), "--program-tz", "Europe/Berlin", "talks")
    assert berlin.exit_code == 0, berlin.output
    assert "Monday 14 December 2020 (times in Europe/Berlin, UTC+01:00)" in berlin.output
    assert "09:00-09:30   Gray Room" in berlin.output


def test_cli_program_format_forces_c3voc() -> None:
    forced = run("--program", str(DEMOCON), "--program-format", "c3voc", "talks", "--json")
    assert forced.exit_code == 0
    assert len(json.loads(forced.output)) == 36
    wrong = run("--program", fixture("tiny_program.json"), "--program-format", "c3voc", "talks")
    assert_one_error_line(wrong, fixture("tiny_program.json"), "has no 'schedule'")


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("c3voc_wrong_shape.json", "expected a list"),
        ("c3voc_truncated.json", "not valid JSON"),
        ("c3voc_unknown_timezone.json", "unknown timezone"),
    ],
)
def test_cli_bad_files_exit_2_with_one_error_line(name: str, fragment: str) -> None:
    assert_one_error_line(run("--program", fixture(name), "talks"), fixture(name), fragment)


def test_cli_check_reports_the_zone_disagreement() -> None:
    result = run("--program", str(DEMOCON), "check")
    assert result.exit_code == 0, result.output
    assert "time_zone_name UTC disagrees with the offsets in date for 36 events" in result.output


def test_cli_pick_and_clashes_work_on_a_c3voc_program(tmp_path: Path) -> None:
    agenda = str(tmp_path / "agenda.json")
    program = str(DEMOCON)
    picked = run("--program", program, "--agenda", agenda, "pick", "8079583e", "3a74bb53")
    assert picked.exit_code == 0, picked.output
    clashes = run("--program", program, "--agenda", agenda, "clashes", "--json")
    assert clashes.exit_code == 0, clashes.output
    [clash] = json.loads(clashes.output)
    assert clash["items"] == ["14", "25"]  # picked by GUID prefix, shown by short id
    assert clash["minutes"] == 30
