"""`planner check`: what is wrong or doubtful in the program itself."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from click.testing import CliRunner

from planner.clashes import check_program, double_bookings
from planner.cli import cli
from planner.model import Item, Program
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"


def program_of(name: str) -> Program:
    return load(str(FIXTURES / f"{name}.json"))


def kinds(program: Program) -> list[tuple[str, str, tuple[str, ...], int | None]]:
    return [(f.severity, f.kind, f.items, f.minutes) for f in check_program(program)]


def run(program: str, *args: str):
    return CliRunner().invoke(
        cli,
        ["--program", str(FIXTURES / f"{program}.json"), "check", *args],
        catch_exceptions=False,
    )


def test_a_room_booked_twice_is_a_warning_with_the_overlap() -> None:
    assert kinds(program_of("double_booked_room")) == [
        ("warning", "room_double_booked", ("keynote", "workshop"), 15),
        ("warning", "room_double_booked", ("session-a", "session-b"), 10),
    ]
    [first, _] = double_bookings(program_of("double_booked_room"))
    assert first.message == (
        "Hall A is double-booked: Keynote (keynote) and Workshop booked into the… (workshop) "
        "overlap by 15 minutes (09:45-10:00)"
    )


def test_a_session_and_its_own_talks_share_their_room_without_a_finding() -> None:
    program = program_of("overlapping_talks")
    assert [f for f in check_program(program) if f.kind == "room_double_booked"] == []


def hall_program(count: int, kind: str = "talk", minutes_apart: int = 1) -> Program:
    """``count`` one-hour items in one hall, each starting ``minutes_apart`` after the last."""
    items = []
    for number in range(count):
        start = datetime(2024, 5, 14, 9, tzinfo=timezone.utc) + timedelta(
            minutes=number * minutes_apart
        )
        items.append(
            Item(
                id=f"i{number:04d}",
                kind=kind,
                title=f"Item {number}",
                start=start,
                end=start + timedelta(hours=1),
                room="Hall",
            )
        )
    return Program(id="hall", name="Hall", timezone="UTC", items=items)


def test_posters_share_their_hall_without_a_finding() -> None:
    assert check_program(hall_program(1500, kind="poster", minutes_apart=0)) == []


def test_a_run_of_many_overlapping_items_is_one_finding_not_every_pair() -> None:
    # 2,000 hour-long talks a minute apart: about 120,000 overlapping pairs.
    [finding] = check_program(hall_program(2000))
    assert (finding.severity, finding.kind, len(finding.items)) == (
        "warning",
        "room_overbooked",
        2000,
    )
    assert finding.message == (
        "Hall is double-booked many times over: 2000 items overlap there (Tue 09:00-Wed 19:19), "
        "more than 50 pairs: i0000, i0001, i0002, i0003, i0004 and 1995 more"
    )


def test_a_few_overlaps_in_a_run_are_still_told_pair_by_pair() -> None:
    # Ten talks, each overlapping the next by a minute: nine pairs, each its own finding.
    findings = check_program(hall_program(10, minutes_apart=59))
    assert [(f.kind, f.items, f.minutes) for f in findings] == [
        ("room_double_booked", (f"i{n:04d}", f"i{n + 1:04d}"), 1) for n in range(9)
    ]


def test_zero_length_is_an_error_and_loader_notes_are_warnings() -> None:
    program = program_of("zero_length_item")
    assert kinds(program) == [
        ("error", "zero_length", ("blink",), None),
        ("warning", "note", (), None),
    ]
    assert check_program(program)[1].message == "read with a guessed year"


def test_estimated_items_are_warnings_with_their_note() -> None:
    [finding] = check_program(program_of("tiny_program"))
    assert (finding.severity, finding.kind, finding.items) == ("warning", "estimated", ("gamma",))
    assert finding.message == "Gamma keynote (gamma): end estimated from the page order"


def test_a_child_outside_its_parent_and_a_negative_length_are_errors() -> None:
    # The loaders validate these away; `check` still catches a program assembled without them.
    program = program_of("overlapping_talks")
    talk = program.item_map()["session-talk-2"]
    stray = Item.model_construct(**{**dict(talk), "end": talk.end.replace(hour=16)})
    inner = program.item_map()["inner"]
    backwards = Item.model_construct(
        **{**dict(inner), "id": "backwards", "end": inner.start.replace(minute=5)}
    )
    broken = Program.model_construct(
        **{
            **dict(program),
            "items": [i for i in program.items if i.id != "session-talk-2"] + [stray, backwards],
        }
    )
    errors = [(f.kind, f.items) for f in check_program(broken) if f.severity == "error"]
    assert errors == [
        ("negative_length", ("backwards",)),
        ("child_outside_parent", ("session-talk-2", "session")),
    ]


def test_check_exits_one_on_errors_and_zero_on_warnings_only() -> None:
    failing = run("zero_length_item")
    assert failing.exit_code == 1
    assert failing.stdout.splitlines()[0].startswith(
        "error    zero_length          Starts and ends at once (blink) has zero"
    )
    assert failing.stdout.splitlines()[-1] == "1 errors, 1 warnings in zero-length"
    warning_only = run("double_booked_room")
    assert warning_only.exit_code == 0
    clean = run("three_way_overlap")
    assert (clean.exit_code, clean.stdout) == (0, "No problems found in three-way.\n")


def test_check_json_is_a_list_of_findings() -> None:
    result = run("zero_length_item", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "items": ["blink"],
            "kind": "zero_length",
            "message": "Starts and ends at once (blink) has zero length (2024-05-14T09:00:00+02:00 to "
            "2024-05-14T09:00:00+02:00); fix its end time",
            "minutes": None,
            "severity": "error",
        },
        {
            "items": [],
            "kind": "note",
            "message": "read with a guessed year",
            "minutes": None,
            "severity": "warning",
        },
    ]


def test_the_bundled_program_has_no_errors() -> None:
    result = CliRunner().invoke(cli, ["--program", "mlsys2022", "check", "--json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)
    assert [f for f in findings if f["severity"] == "error"] == []
    assert {f["items"][0] for f in findings if f["kind"] == "estimated"} >= {"virtualflow", "nurd"}
