"""The best clash-free agenda (planner.plan): named cases, and brute force on random programs."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import event, given, seed, settings
from hypothesis import strategies as st

from planner.clashes import Slot, WalkRule, sweep_clashes
from planner.model import Item, PersonalEvent, Program
from planner.plan import Plan, Window, best_agenda, fixed_slots
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"


def program_of(name: str) -> Program:
    return load(str(FIXTURES / f"{name}.json"))


def plan_of(
    program: Program,
    scores: dict[str, float],
    *,
    picks: tuple[str, ...] = (),
    events: tuple[PersonalEvent, ...] = (),
    walk: int | None = None,
    window: Window | None = None,
    min_score: float = 0.0,
) -> Plan:
    return best_agenda(
        program,
        scores,
        fixed=fixed_slots(program, picks, events),
        walk=WalkRule(program, walk),
        picks=picks,
        min_score=min_score,
        window=window,
    )


def ids(plan: Plan) -> list[str]:
    return [choice.id for choice in plan.items]


# --- named cases -----------------------------------------------------------------------------


def test_of_two_overlapping_talks_the_plan_takes_the_better_one() -> None:
    program = program_of("plan_two_overlapping")
    plan = plan_of(program, {"compilers": 2.0, "sparsity": 3.5, "closing": 1.0})
    assert ids(plan) == ["sparsity", "closing"]
    assert plan.total == 4.5
    assert plan.added == ("sparsity", "closing") and plan.kept == () and plan.dropped == ()


def test_a_room_change_too_tight_to_walk_forces_the_second_best() -> None:
    # first (Hall A) ends 10:00; far (Annex, a 10-minute walk) starts 10:05, near (Hall B, a
    # 2-minute walk) starts 10:05: far is worth more, but cannot follow first.
    program = program_of("plan_tight_room_change")
    scores = {"first": 3.0, "far": 2.0, "near": 1.5}
    assert ids(plan_of(program, scores)) == ["first", "near"]
    # Without first, far is reachable and wins.
    assert ids(plan_of(program, {"first": 0.25, "far": 2.0, "near": 1.5})) == ["far"]


def test_a_session_or_its_talks_never_both() -> None:
    program = program_of("plan_session_vs_talks")
    # The session is worth the sum of its parts (the panel, with no end, adds 0.5); the outside
    # talk beats the middle part.
    scores = {"session": 6.5, "part-1": 2.0, "part-2": 1.0, "part-3": 3.0, "outside": 2.5}
    assert ids(plan_of(program, scores)) == ["part-1", "outside", "part-3"]
    # With the outside talk worth less than the middle part, the whole session wins.
    scores["outside"] = 0.5
    assert ids(plan_of(program, scores)) == ["session"]


def test_a_fixed_pick_is_planned_around_and_kept() -> None:
    program = program_of("plan_fixed_pick")
    scores = {"early": 2.0, "picked": 0.0, "rival": 5.0, "late": 1.0, "walk-away": 4.0}
    plan = plan_of(program, scores, picks=("picked",))
    # rival overlaps the pick; walk-away starts too soon after it in a far room.
    assert ids(plan) == ["early", "picked", "late"]
    assert plan.kept == ("picked",) and plan.added == ("early", "late")
    assert plan.total == 3.0


def test_replacing_picks_lists_what_is_dropped() -> None:
    program = program_of("plan_fixed_pick")
    scores = {"early": 2.0, "picked": 0.0, "rival": 5.0, "late": 1.0, "walk-away": 4.0}
    plan = plan_of(program, scores, picks=())
    assert "rival" in ids(plan)
    fixed_nothing = best_agenda(
        program, scores, fixed=[], walk=WalkRule(program), picks=("picked",)
    )
    assert fixed_nothing.dropped == ("picked",)


def test_a_personal_lunch_is_planned_around_but_not_listed() -> None:
    program = program_of("plan_personal_lunch")
    agenda = json.loads((FIXTURES / "plan_personal_lunch.agenda.json").read_text())
    events = tuple(PersonalEvent.model_validate(event) for event in agenda["events"])
    picks = tuple(pick["id"] for pick in agenda["picks"])
    scores = {"morning": 1.0, "noon-talk": 9.0, "after-lunch": 2.0, "tight-after": 3.0}
    plan = plan_of(
        program, scores, picks=picks, events=events, walk=agenda["settings"]["walk_minutes"]
    )
    # noon-talk overlaps lunch; tight-after starts 2 minutes after lunch, in a room 10 minutes
    # from the cafeteria (which the program lists as a room).
    assert ids(plan) == ["morning", "after-lunch"]
    assert "my-lunch" not in ids(plan)


def test_a_dst_day_counts_real_minutes() -> None:
    # Europe/Berlin, 2024-03-31: 02:00 becomes 03:00. night ends 01:58 (+01:00) and dawn starts
    # 03:00 (+02:00) in another room: 2 real minutes, less than the 5-minute walk.
    program = program_of("plan_dst_day")
    scores = {"night": 2.0, "dawn": 2.0, "later": 1.0}
    plan = plan_of(program, scores)
    assert ids(plan) == ["night", "later"]
    assert [c.estimated for c in plan.items] == [False, True]
    assert plan.estimated == ("later",)


def test_items_without_time_zero_length_or_at_min_score_are_left_out() -> None:
    program = program_of("plan_two_overlapping")
    assert ids(plan_of(program, {"compilers": 2.0, "sparsity": 3.5}, min_score=2.0)) == ["sparsity"]
    assert ids(plan_of(program, {"tba": 9.0, "blink": 9.0})) == []


def test_a_window_plans_only_inside_it() -> None:
    program = program_of("plan_two_overlapping")
    at = datetime(2024, 5, 14, 10, 30, tzinfo=timezone.utc)
    plan = plan_of(program, {"compilers": 2.0, "sparsity": 3.5, "closing": 1.0}, window=Window(at))
    assert ids(plan) == ["closing"]


def test_ties_take_the_earlier_item_then_the_id() -> None:
    program = program_of("plan_two_overlapping")
    assert ids(plan_of(program, {"compilers": 2.0, "sparsity": 2.0})) == ["compilers"]


def test_the_json_shape() -> None:
    program = program_of("plan_two_overlapping")
    plan = plan_of(program, {"sparsity": 3.5})
    assert plan.as_json() == {
        "added": ["sparsity"],
        "dropped": [],
        "items": [{"estimated": False, "id": "sparsity", "score": 3.5}],
        "kept": [],
        "total": 3.5,
    }


# --- brute force on random programs ----------------------------------------------------------

BASE = datetime(2024, 5, 14, 9, 0, tzinfo=timezone.utc)
ROOMS = ["A", "B", "C", "D"]


@st.composite
def random_case(
    draw: st.DrawFn,
) -> tuple[Program, dict[str, float], list[Slot], WalkRule, tuple, float, Window]:
    rooms = ROOMS[: draw(st.integers(1, 4))]
    items: list[Item] = []
    count = draw(st.integers(1, 12))
    while len(items) < count:
        start = BASE + timedelta(minutes=5 * draw(st.integers(0, 30)))
        length = 5 * draw(st.sampled_from([0, 1, 2, 3, 4, 6, 9, 12]))
        room = draw(st.sampled_from(rooms))
        item_id = f"i{len(items)}"
        items.append(
            Item(
                id=item_id,
                kind="session" if length >= 30 and draw(st.booleans()) else "talk",
                title=item_id,
                start=start,
                end=start + timedelta(minutes=length),
                room=room,
                estimated=draw(st.booleans()),
            )
        )
        session = items[-1]
        if session.kind == "session":
            for part in range(draw(st.integers(1, 3))):
                if len(items) >= count:
                    break
                offset = 5 * draw(st.integers(0, length // 5 - 1))
                part_length = 5 * draw(st.integers(0, (length - offset) // 5))
                part_start = start + timedelta(minutes=offset)
                items.append(
                    Item(
                        id=f"{item_id}p{part}",
                        title="part",
                        start=part_start,
                        end=part_start + timedelta(minutes=part_length),
                        room=draw(st.sampled_from([room, *rooms])),
                        parent=item_id,
                    )
                )
    table = [
        {"between": [a, b], "minutes": draw(st.integers(0, 20))}
        for n, a in enumerate(rooms)
        for b in rooms[n + 1 :]
        if draw(st.booleans())
    ]
    program = Program(
        id="random",
        name="random",
        timezone="UTC",
        rooms=[{"name": room} for room in rooms],
        items=items,
        walk_minutes=draw(st.sampled_from([None, 0, 5, 10])),
        walk_table=table,
    )
    scores = {item.id: float(draw(st.integers(0, 4))) for item in items}
    picks = tuple(item.id for item in items if draw(st.integers(0, 5)) == 0)
    events = []
    for number in range(draw(st.integers(0, 2))):
        start = BASE + timedelta(minutes=5 * draw(st.integers(0, 30)))
        length = 5 * draw(st.sampled_from([0, 1, 3, 6]))
        events.append(
            PersonalEvent(
                id=f"my-{number}",
                title="mine",
                start=start,
                end=start + timedelta(minutes=length),
                location=draw(st.sampled_from([None, "Cafe", *rooms])),
            )
        )
    window = Window()
    if draw(st.integers(0, 4)) == 0:
        window = Window(BASE + timedelta(minutes=5 * draw(st.integers(0, 15))), None)
    walk = WalkRule(program, draw(st.sampled_from([None, 0, 3, 15])))
    min_score = draw(st.sampled_from([0.0, 0.0, 1.0, -1.0]))
    return program, scores, fixed_slots(program, picks, events), walk, picks, min_score, window


def brute_force(
    program: Program,
    scores: dict[str, float],
    fixed: list[Slot],
    walk: WalkRule,
    min_score: float,
    window: Window,
) -> tuple[float, list[str]]:
    """The best total over every feasible subset, and the tie-break winner: chosen items that
    the clash engine finds in no clash, no two of one session, none related to a fixed entry."""
    by_id = program.item_map()
    fixed_ids = {slot.id for slot in fixed}
    related = fixed_ids | {a for slot in fixed for a in slot.ancestors}

    def ancestors(item: Item) -> set[str]:
        found, current = set(), item
        while current.parent:
            found.add(current.parent)
            current = by_id[current.parent]
        return found

    pool = [
        item
        for item in program.items
        if item.start is not None
        and item.end > item.start
        and scores[item.id] > min_score
        and window.holds(item)
        and item.id not in related
        and not ancestors(item) & fixed_ids
    ]
    pool.sort(key=lambda item: (item.start, item.id))
    best: tuple[float, list[tuple]] = (0.0, [])

    def slot(item: Item) -> Slot:
        return Slot(
            item.id, item.start, item.end, item.room, item.estimated, frozenset(ancestors(item))
        )

    def visit(start: int, chosen: list[Item]) -> None:
        nonlocal best
        chosen_ids = {item.id for item in chosen}
        found = sweep_clashes([*fixed, *(slot(item) for item in chosen)], walk)
        if any(clash.first.id in chosen_ids or clash.second.id in chosen_ids for clash in found):
            return
        total = sum(scores[item.id] for item in chosen)
        keys = [(item.start, item.id) for item in chosen]
        if total > best[0] or (total == best[0] and keys < best[1]):
            best = (total, keys)
        for index in range(start, len(pool)):
            item = pool[index]
            if any(_overlap(item, other) for other in chosen):
                continue  # always a time clash, or a session with its own talk
            if any(other.id in ancestors(item) or item.id in ancestors(other) for other in chosen):
                continue
            visit(index + 1, [*chosen, item])

    visit(0, [])
    return best[0], [item_id for _, item_id in best[1]]


def _overlap(a: Item, b: Item) -> bool:
    return min(a.end, b.end) > max(a.start, b.start)


@seed(20240514)
@settings(
    max_examples=int(os.environ.get("PLANNER_PLAN_EXAMPLES", 400)), deadline=None, derandomize=False
)
@given(random_case())
def test_the_plan_is_the_best_feasible_subset(case) -> None:
    program, scores, fixed, walk, picks, min_score, window = case
    plan = best_agenda(
        program, scores, fixed=fixed, walk=walk, picks=picks, min_score=min_score, window=window
    )
    fixed_ids = {slot.id for slot in fixed}
    chosen = [c.id for c in plan.items if c.id not in fixed_ids]
    total, expected = brute_force(program, scores, fixed, walk, min_score, window)
    event(f"chosen: {min(len(expected), 4)}+, fixed: {min(len(fixed), 2)}+")
    if any(s.start == s.end for s in fixed):
        event("a zero-length fixed entry")
    assert chosen == expected
    kept_total = sum(scores[c.id] for c in plan.items if c.id in fixed_ids)
    assert plan.total == total + kept_total
    # The real sweep over the fixed entries and the plan: no clash involves a chosen item, and
    # none at all when the fixed entries had none among themselves.
    by_id = program.item_map()
    slots = [*fixed, *(s for s in fixed_slots(program, chosen) if s.id in chosen)]
    found = sweep_clashes(slots, walk)
    assert not [c for c in found if {c.first.id, c.second.id} & set(chosen)]
    if not sweep_clashes(fixed, walk):
        assert found == []
    assert all(by_id[item_id].end > by_id[item_id].start for item_id in chosen)
