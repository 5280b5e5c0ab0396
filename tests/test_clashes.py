"""The clash engine: time clashes and tight room changes, on small named programs."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from planner import agenda
from planner.agenda import Agenda, agenda_clashes, read_agenda
from planner.clashes import Clash, Slot, WalkRule, find_clashes
from planner.cli import cli
from planner.model import Program, WalkTime
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"


def program_of(name: str) -> Program:
    return load(str(FIXTURES / f"{name}.json"))


def picking(program: Program, *ids: str, walk: int | None = None) -> Agenda:
    by_id = program.item_map()
    current = agenda.pick(Agenda(program_id=program.id), program, [by_id[i] for i in ids]).agenda
    if walk is not None:
        current = agenda.change_settings(current, walk_minutes=walk).agenda
    return current


def summary(clashes: list[Clash]) -> list[tuple[str, tuple[str, str], int, bool]]:
    return [(c.kind, c.items, c.minutes, c.estimated) for c in clashes]


def clashes_of(name: str, *ids: str, walk: int | None = None) -> list[Clash]:
    program = program_of(name)
    return agenda_clashes(program, picking(program, *ids, walk=walk))


def test_partial_overlap() -> None:
    found = clashes_of("overlapping_talks", "partial-a", "partial-b")
    assert summary(found) == [("time", ("partial-a", "partial-b"), 20, False)]
    assert found[0].message == "partial-a and partial-b overlap by 20 minutes (09:40-10:00)"


def test_full_overlap_one_talk_inside_another() -> None:
    assert summary(clashes_of("overlapping_talks", "inner", "outer")) == [
        ("time", ("outer", "inner"), 30, False)
    ]


def test_a_session_and_its_own_talk_never_clash() -> None:
    assert clashes_of("overlapping_talks", "session", "session-talk-1") == []
    assert clashes_of("overlapping_talks", "session-talk-2", "session") == []
    # The engine itself knows the rule, whatever list of slots it is given.
    program = program_of("overlapping_talks")
    by_id = program.item_map()
    from planner.clashes import item_slot

    ids = ("session", "session-talk-1", "session-talk-2")
    slots = [item_slot(by_id[i], program.tree.ancestors(i)) for i in ids]
    assert find_clashes(slots, WalkRule(program), program.timezone) == []


def test_the_clashes_of_some_ids_are_those_of_the_whole_sweep_that_name_them() -> None:
    from planner.agenda import sweep_agenda

    program = program_of("overlapping_talks")
    current = picking(program, "partial-a", "partial-b", "outer", "inner", "session", "rival")
    every = sweep_agenda(program, current)
    for wanted in ({"inner"}, {"partial-b", "rival"}, set()):
        named = [f for f in every if f.first.id in wanted or f.second.id in wanted]
        assert sweep_agenda(program, current, wanted) == named


def test_a_session_clashes_with_a_talk_elsewhere_during_it() -> None:
    assert summary(clashes_of("overlapping_talks", "session", "rival")) == [
        ("time", ("session", "rival"), 30, False)
    ]


def test_touching_items_do_not_clash_in_time() -> None:
    assert clashes_of("touching_talks", "first", "second") == []
    # Touching in another room leaves no time to walk: a room change, not a time clash.
    assert summary(clashes_of("touching_talks", "first", "second", "third")) == [
        ("room_change", ("second", "third"), 5, False)
    ]


def test_three_mutually_overlapping_talks_are_three_clashes() -> None:
    found = clashes_of("three_way_overlap", "z", "y", "x")
    assert sorted(summary(found)) == [
        ("time", ("x", "y"), 30, False),
        ("time", ("x", "z"), 30, False),
        ("time", ("y", "z"), 15, False),
    ]


def test_a_three_minute_gap_against_a_five_minute_walk_is_two_minutes_short() -> None:
    found = clashes_of("tight_room_change", "before", "after")
    assert summary(found) == [("room_change", ("before", "after"), 2, False)]
    assert found[0].message == (
        "tight room change: 3 minutes from Room 204 (before ends 13:50) to Hall A "
        "(after starts 13:53), a 5-minute walk: 2 minutes short"
    )


def test_the_walk_setting_applies_when_the_program_gives_no_walking_data() -> None:
    assert clashes_of("tight_room_change", "before", "after", walk=3) == []
    assert summary(clashes_of("tight_room_change", "before", "after", walk=10)) == [
        ("room_change", ("before", "after"), 7, False)
    ]


def test_the_programs_walking_data_comes_before_the_setting() -> None:
    program = program_of("tight_room_change")
    # before (Room 204) 3 min -> after (Hall A) -> same-room (Hall A) 10 min -> roomy (Room 205)
    current = picking(program, "before", "after", "same-room", "roomy", walk=1)
    assert agenda_clashes(program, current) == []
    program.walk_minutes = 8
    assert summary(agenda_clashes(program, current)) == [
        ("room_change", ("before", "after"), 5, False)
    ]
    program.walk_table = [WalkTime(between=("South", "North"), minutes=12)]
    assert summary(agenda_clashes(program, current)) == [
        ("room_change", ("before", "after"), 9, False),
        ("room_change", ("same-room", "roomy"), 2, False),
    ]
    program.walk_table.append(WalkTime(between=("Room 204", "Hall A"), minutes=2))
    assert summary(agenda_clashes(program, current)) == [
        ("room_change", ("same-room", "roomy"), 2, False)
    ]


def test_a_room_pair_in_the_table_beats_its_buildings() -> None:
    program = program_of("tight_room_change")
    program.walk_table = [
        WalkTime(between=("North", "South"), minutes=12),
        WalkTime(between=("Hall A", "Room 204"), minutes=2),
    ]
    rule = WalkRule(program, 5)
    assert rule.minutes("Room 204", "Hall A") == 2
    assert rule.minutes("Room 205", "Hall A") == 12
    assert rule.minutes("Room 205", "Room 204") == 5  # same building, no entry: the default
    assert rule.minutes("Hall A", "Hall A") == 0
    assert rule.minutes("Hall A", None) is None
    assert rule.minutes("Hall A", "Somewhere else") is None


def test_one_room_and_unknown_rooms_never_give_a_room_change() -> None:
    assert clashes_of("tight_room_change", "after", "same-room") == []
    assert clashes_of("tight_room_change", "roomy", "nowhere") == []


def test_only_consecutive_picks_are_checked_for_the_walk() -> None:
    # before (Room 204) -> after (Hall A, 3 minutes later) -> same-room (Hall A): the walk from
    # before to same-room is not checked, because after lies between them.
    assert summary(clashes_of("tight_room_change", "before", "after", "same-room", walk=30)) == [
        ("room_change", ("before", "after"), 27, False)
    ]


def test_no_walk_is_checked_past_a_pick_that_started_in_between() -> None:
    # a (Hall A) ends 10:00; b (Hall A) starts 10:01 and is still on when c (Room C) starts
    # 10:03: the attendee walks a -> b, so a -> c is no room change; c clashes with b.
    assert summary(clashes_of("pick_between_walks", "a", "b", "c", walk=5)) == [
        ("time", ("b", "c"), 27, False)
    ]


def test_the_walk_is_checked_from_a_talk_with_a_start_and_no_end() -> None:
    # A site's talk with a start and no published end is a zero-length slot at 10:30; the walk
    # from it to the 10:31 talk in another room is still checked.
    at = datetime(2024, 5, 14, 10, 0, tzinfo=timezone.utc)
    slots = [
        Slot("alpha", at - timedelta(hours=1), at, room="Hall A"),
        Slot("beta", at + timedelta(minutes=30), at + timedelta(minutes=30), room="Hall B"),
        Slot("gamma", at + timedelta(minutes=31), at + timedelta(hours=1), room="Hall C"),
    ]
    rooms = [{"name": f"Hall {letter}"} for letter in "ABC"]
    program = Program(id="p", name="p", timezone="UTC", rooms=rooms)
    found = find_clashes(slots, WalkRule(program, 5), "UTC")
    assert summary(found) == [("room_change", ("beta", "gamma"), 4, False)]


def test_a_talk_with_no_end_inside_a_session_is_walked_from_and_walked_to() -> None:
    # Session S (Hall B) holds Z, 10:00 with no end, in Hall B, and C2 at 10:01 in Hall C.
    # The running session does not come "between" Z and C2. And after A (09:00-10:00, Hall A)
    # the attendee goes to Z, then to C: no walk A -> C.
    at = datetime(2024, 5, 14, 10, 0, tzinfo=timezone.utc)
    session = Slot("s", at, at + timedelta(hours=2), room="Hall B")
    inside = frozenset({"s"})
    slots = [
        Slot("a", at - timedelta(hours=1), at, room="Hall A"),
        session,
        Slot("z", at, at, room="Hall B", ancestors=inside),
        Slot(
            "c2", at + timedelta(minutes=1), at + timedelta(minutes=30), "Hall C", ancestors=inside
        ),
    ]
    rooms = [{"name": f"Hall {letter}"} for letter in "ABC"]
    program = Program(id="p", name="p", timezone="UTC", rooms=rooms)
    walks = [c for c in find_clashes(slots, WalkRule(program, 5), "UTC") if c.kind == "room_change"]
    # (a -> s and a -> z are one walk to Hall B; an agenda never holds both, since a picked
    # session covers its talks.)
    assert [(c.items, c.minutes) for c in walks] == [
        (("a", "s"), 5),
        (("a", "z"), 5),
        (("z", "c2"), 4),
    ]


def test_a_session_and_its_own_talk_that_end_together_give_one_walk_from_the_talk() -> None:
    at = datetime(2024, 5, 14, 10, 0, tzinfo=timezone.utc)
    slots = [
        Slot("s", at - timedelta(hours=1), at, room="Hall A"),
        Slot("t", at - timedelta(minutes=30), at, room="Hall A", ancestors=frozenset({"s"})),
        Slot("next", at + timedelta(minutes=2), at + timedelta(hours=1), room="Hall B"),
    ]
    rooms = [{"name": f"Hall {letter}"} for letter in "AB"]
    program = Program(id="p", name="p", timezone="UTC", rooms=rooms)
    assert summary(find_clashes(slots, WalkRule(program, 5), "UTC")) == [
        ("room_change", ("t", "next"), 3, False)
    ]


def test_an_estimated_time_makes_a_possible_clash() -> None:
    [clash] = clashes_of("estimated_clash", "guessed", "known")
    assert summary([clash]) == [("time", ("guessed", "known"), 30, True)]
    assert clash.message.startswith("possible clash")


def test_a_personal_event_clashes_with_a_talk() -> None:
    program = program_of("tiny_program")
    current = read_agenda(FIXTURES / "personal_event_clash.agenda.json", "tiny2024")
    assert summary(agenda_clashes(program, current)) == [
        ("time", ("alpha", "my-coffee-with-bob"), 15, False)
    ]


def test_a_personal_event_in_a_program_room_counts_for_the_walk() -> None:
    program = program_of("tight_room_change")
    current = picking(program, "before")
    start = datetime.fromisoformat("2024-05-14T13:52:00+02:00")
    current = agenda.add_event(
        current, program, "Meet Ada", start, start + timedelta(minutes=10), "Hall A"
    ).agenda
    assert summary(agenda_clashes(program, current)) == [
        ("room_change", ("before", "my-meet-ada"), 3, False)
    ]


def test_an_item_that_moved_after_being_picked_clashes_where_it_is_now() -> None:
    program = program_of("moved_after_pick")
    current = read_agenda(FIXTURES / "moved_after_pick.agenda.json", program.id)
    assert summary(agenda_clashes(program, current)) == [("time", ("anchor", "mover"), 18, False)]


def test_time_to_be_announced_and_vanished_picks_never_clash() -> None:
    program = program_of("overlapping_talks")
    current = picking(program, "tba-talk", "outer")
    current.picks.append(current.picks[1].model_copy(update={"id": "gone-talk"}))
    assert agenda_clashes(program, current) == []


def test_clash_json_shape() -> None:
    [clash] = clashes_of("estimated_clash", "guessed", "known")
    assert clash.as_json() == {
        "estimated": True,
        "items": ["guessed", "known"],
        "kind": "time",
        "message": clash.message,
        "minutes": 30,
    }


# --- the sweep agrees with the definition, checked pair by pair -----------------------------

BASE = datetime(2024, 5, 14, 8, 0, tzinfo=timezone.utc)
slot_specs = st.lists(
    st.tuples(st.integers(0, 600), st.integers(0, 120), st.sampled_from(["A", "B", "C", None])),
    max_size=25,
)


def _slots(specs: list[tuple[int, int, str | None]]) -> list[Slot]:
    return [
        Slot(
            f"s{n}", BASE + timedelta(minutes=start), BASE + timedelta(minutes=start + length), room
        )
        for n, (start, length, room) in enumerate(specs)
    ]


def _every_pair_overlap(slots: list[Slot]) -> set[tuple[frozenset[str], int]]:
    found = set()
    for i, a in enumerate(slots):
        for b in slots[i + 1 :]:
            overlap = (min(a.end, b.end) - max(a.start, b.start)).total_seconds() // 60
            if overlap > 0:
                found.add((frozenset((a.id, b.id)), int(overlap)))
    return found


def _every_pair_walk(slots: list[Slot], walk: int) -> set[tuple[str, str, int]]:
    """For each slot, the walk from the slot(s) that finished last before it starts, unless
    another slot started in between (then the attendee walks from that one)."""
    found = set()
    for b in slots:
        ended = [a for a in slots if a is not b and a.end <= b.start and a.start < b.start]
        if not ended:
            continue
        last = max(a.end for a in ended)
        if any(last <= p.start < b.start and p.end > last for p in slots if p is not b):
            continue  # p started after the last ones finished and was still on: walk from p
        latest = [a for a in ended if a.end == last]
        instant = [a for a in latest if a.start == last]  # zero-length, when the others ended
        for a in instant or latest:
            if a.room and b.room and a.room != b.room:
                short = walk - int((b.start - a.end).total_seconds() // 60)
                if short > 0:
                    found.add((a.id, b.id, short))
    return found


@settings(max_examples=300, deadline=None)
@given(slot_specs)
def test_the_sweep_finds_exactly_the_overlapping_pairs(specs) -> None:
    slots = _slots(specs)
    found = find_clashes(slots, None, "UTC")
    assert len(found) == len({c.items for c in found})
    assert {(frozenset(c.items), c.minutes) for c in found} == _every_pair_overlap(slots)


# Two zero-length slots at one instant: neither is before the other (found by hypothesis).
@example([(0, 0, "A"), (1, 0, "A"), (1, 0, "B")])
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        # Starts packed into four hours, so that picks starting between others come up often;
        # zero-length slots too (a site's talk with a start and no end).
        st.tuples(st.integers(0, 240), st.integers(0, 60), st.sampled_from(["A", "B", "C", None])),
        max_size=25,
    )
)
def test_the_sweep_checks_the_walk_from_the_last_finished_pick(specs) -> None:
    slots = _slots(specs)
    program = Program(id="p", name="p", timezone="UTC", rooms=[{"name": r} for r in "ABC"])
    found = find_clashes(slots, WalkRule(program, 15), "UTC")
    walks = {(c.items[0], c.items[1], c.minutes) for c in found if c.kind == "room_change"}
    assert walks == _every_pair_walk(slots, 15)


# --- the bundled program (data/mlsys2022.json) ---------------------------------------------


@pytest.fixture(scope="module")
def mlsys() -> Program:
    return load("mlsys2022")


def bundled_clashes(mlsys: Program, *ids: str) -> list[Clash]:
    return agenda_clashes(mlsys, picking(mlsys, *ids))


def test_bundled_virtualflow_and_the_telemetry_tutorial_clash_for_18_minutes(mlsys) -> None:
    [clash] = bundled_clashes(mlsys, "virtualflow", "telemetry-tutorial")
    assert (clash.kind, set(clash.items), clash.minutes) == (
        "time",
        {"virtualflow", "telemetry-tutorial"},
        18,
    )


def test_bundled_deeppool_and_the_fpga_tutorial_part_clash_for_18_minutes(mlsys) -> None:
    assert mlsys.item_map()["fpga-inference"].parent == "sparsity-tutorial"
    [clash] = bundled_clashes(mlsys, "deeppool", "fpga-inference")
    assert (clash.kind, set(clash.items), clash.minutes) == (
        "time",
        {"deeppool", "fpga-inference"},
        18,
    )


def test_bundled_sparsity_opening_then_nurd_is_a_room_change_one_minute_short(mlsys) -> None:
    assert mlsys.item_map()["sparsity-opening"].parent == "sparsity-tutorial"
    [clash] = bundled_clashes(mlsys, "sparsity-opening", "nurd")
    assert (clash.kind, clash.items, clash.minutes) == (
        "room_change",
        ("sparsity-opening", "nurd"),
        1,
    )
    assert "Room 204" in clash.message and "Exhibit Hall A" in clash.message


def test_bundled_sparsity_opening_then_gradient_compression_is_no_clash(mlsys) -> None:
    assert bundled_clashes(mlsys, "sparsity-opening", "gradient-compression") == []


# --- the command ------------------------------------------------------------------------------


def run(agenda_path: Path, *args: str, program: str = "overlapping_talks"):
    return CliRunner().invoke(
        cli,
        ["--program", str(FIXTURES / f"{program}.json"), "--agenda", str(agenda_path), *args],
        catch_exceptions=False,
    )


def test_clashes_command_lists_warns_and_exits_one_only_with_strict(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    assert run(path, "clashes", "--strict").stdout == "No clashes.\n"
    assert run(path, "clashes", "--strict").exit_code == 0
    run(path, "pick", "partial-a", "partial-b")
    text = run(path, "clashes")
    assert text.exit_code == 0
    assert text.stdout.splitlines() == [
        "time                 20 min  partial-a and partial-b overlap by 20 minutes (09:40-10:00)",
        "1 clash",
    ]
    strict = run(path, "clashes", "--json", "--strict")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout) == [
        {
            "estimated": False,
            "items": ["partial-a", "partial-b"],
            "kind": "time",
            "message": "partial-a and partial-b overlap by 20 minutes (09:40-10:00)",
            "minutes": 20,
        }
    ]
