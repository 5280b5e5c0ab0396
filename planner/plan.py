"""The best clash-free agenda: weighted interval scheduling with walking times, exactly.

The plan chooses program items that, together with the fixed entries (kept picks, personal
events), give no clash that the clash engine (planner.clashes) would report against a chosen
item, and whose scores add up to the most. Clashes among the fixed entries themselves are the
attendee's own and are left as they are.

How the clash engine's rules become a longest path over the candidates sorted by start:

- Only items with a positive length are candidates. A zero-length item (a talk with a start and
  no published end, or a program error) can never overlap anything, so the engine would let a
  plan attend every parallel one at once; it is left out, as items with no time are. Fixed
  zero-length entries are planned around exactly as the engine sees them.
- Chosen items never overlap, so they form a chain, and the engine checks walks only between
  an entry and the one(s) that finished last before it started. So every constraint involves
  two consecutive chosen items, with the fixed entries between them: the walk into ``j`` is
  from the chosen ``i`` before it when ``i`` ends after every fixed entry before ``j``, else
  from those fixed entries (checked once per item); and the first fixed entries starting at or
  after ``i`` ends walk from ``i``, unless the next chosen item starts before them (it is then
  where the attendee walks from, or it covers a zero-length entry, which the engine then does
  not walk to). The state of the path is therefore the last chosen item, not just a time.
- A session or tutorial and the talks inside it overlap, so the chain never holds both; an item
  related to a fixed entry (the talk of a picked session, or the session of a picked talk) is
  no candidate.
- Ties: among plans with the best total, the one whose items, in order of (start, id), come
  first; a shorter plan before a longer one of equal total.

The path is found backwards: the best successor of ``i`` is the best-valued item starting at
least ``max walk`` after ``i`` ends (a suffix maximum), or one starting within that walk,
checked one by one: O(n log n + n * w) for w items starting within one walk.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from planner.clashes import Slot, WalkRule, item_slot
from planner.model import Item, PersonalEvent, Program

# Beyond this many rooms the longest walk is not looked up pair by pair: the model's own
# bound (a day) is used instead, which is slower but still exact.
MAX_ROOMS_FOR_WALK_TABLE = 300
LONGEST_WALK_MINUTES = 24 * 60
_END = -1  # the plan stops after this item


@dataclass(frozen=True)
class Window:
    """The part of the program to plan: items starting at or after ``start``, ending at or
    before ``end`` and starting before ``starts_before`` (aware datetimes; None is open). A
    conference day holds what starts in it, also a night's last set that runs past its end."""

    start: datetime | None = None
    end: datetime | None = None
    starts_before: datetime | None = None

    def holds(self, item: Item) -> bool:
        if item.start is None or item.end is None:
            return False
        return (
            (self.start is None or item.start >= self.start)
            and (self.end is None or item.end <= self.end)
            and (self.starts_before is None or item.start < self.starts_before)
        )


@dataclass(frozen=True)
class Choice:
    id: str
    score: float
    estimated: bool

    def as_json(self) -> dict[str, Any]:
        return {"estimated": self.estimated, "id": self.id, "score": self.score}


@dataclass(frozen=True)
class Plan:
    """The proposed agenda of program items (kept picks included), by start then id."""

    items: tuple[Choice, ...]
    total: float
    kept: tuple[str, ...]
    added: tuple[str, ...]
    dropped: tuple[str, ...]

    @property
    def estimated(self) -> tuple[str, ...]:
        """The choices that rest on an estimated time or room."""
        return tuple(choice.id for choice in self.items if choice.estimated)

    def as_json(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "dropped": list(self.dropped),
            "items": [choice.as_json() for choice in self.items],
            "kept": list(self.kept),
            "total": self.total,
        }


def fixed_slots(
    program: Program, picks: Iterable[str], events: Iterable[PersonalEvent] = ()
) -> list[Slot]:
    """The entries a plan keeps: timed picks (a talk covered by its picked session is part of
    that session) and personal events, as the clash engine sees them."""
    by_id = program.item_map()
    picked = set(picks)
    slots = []
    for item_id in picked:
        item = by_id.get(item_id)
        if item is None or item.start is None or item.end is None:
            continue
        above = program.tree.ancestors(item_id)
        if not picked.intersection(above):
            slots.append(item_slot(item, above))
    slots.extend(Slot(e.id, e.start, e.end, room=e.location) for e in events)
    return sorted(slots, key=lambda slot: (slot.start, slot.id))


def best_agenda(
    program: Program,
    scores: Mapping[str, float],
    *,
    fixed: Sequence[Slot],
    walk: WalkRule,
    picks: Iterable[str] = (),
    min_score: float = 0.0,
    window: Window | None = None,
) -> Plan:
    """The exact best agenda: ``fixed`` entries kept, items scoring above ``min_score`` chosen.

    ``scores`` maps item ids to values (planner.rank's, where a session is worth its parts);
    ``picks`` are the current picks, for kept/added/dropped.
    """
    window = window or Window()
    by_id = program.item_map()
    candidates = _candidates(program, scores, fixed, min_score, window)
    chosen = _Path(candidates, scores, _FixedEntries(fixed), walk).best()
    fixed_items = [by_id[s.id] for s in fixed if s.id in by_id and window.holds(by_id[s.id])]
    in_plan = sorted([*fixed_items, *chosen], key=lambda item: (item.start, item.id))
    items = tuple(
        Choice(item.id, float(scores.get(item.id, 0.0)), item.estimated) for item in in_plan
    )
    return Plan(
        items=items,
        total=sum(choice.score for choice in items),
        **_differences(picks, in_plan, program, window),
    )


def _differences(
    picks: Iterable[str], in_plan: list[Item], program: Program, window: Window
) -> dict[str, tuple[str, ...]]:
    by_id, tree = program.item_map(), program.tree
    picked = list(dict.fromkeys(picks))
    planned = {item.id for item in in_plan}
    dropped = [
        pick
        for pick in picked
        if pick in by_id
        and pick not in planned
        and window.holds(by_id[pick])
        and not planned.intersection(tree.ancestors(pick))
    ]
    return {
        "kept": tuple(item.id for item in in_plan if item.id in picked),
        "added": tuple(item.id for item in in_plan if item.id not in picked),
        "dropped": tuple(dropped),
    }


def _candidates(
    program: Program,
    scores: Mapping[str, float],
    fixed: Sequence[Slot],
    min_score: float,
    window: Window,
) -> list[Item]:
    fixed_ids = {slot.id for slot in fixed}
    around_fixed = fixed_ids.union(*(slot.ancestors for slot in fixed))
    overlaps = _FixedOverlap(fixed)
    found = []
    for item in program.items:
        if item.start is None or item.end is None or item.end <= item.start:
            continue
        if scores.get(item.id, 0.0) <= min_score or not window.holds(item):
            continue
        if item.id in around_fixed or fixed_ids.intersection(program.tree.ancestors(item.id)):
            continue
        if not overlaps.hits(item.start, item.end):
            found.append(item)
    return sorted(found, key=lambda item: (item.start, item.id))


class _FixedOverlap:
    """Whether an interval overlaps a fixed entry of positive length (by more than 0 s)."""

    def __init__(self, fixed: Sequence[Slot]) -> None:
        positive = sorted((s for s in fixed if s.end > s.start), key=lambda s: s.start)
        self._starts = [slot.start for slot in positive]
        self._latest_end: list[datetime] = []
        for slot in positive:
            latest = self._latest_end[-1] if self._latest_end else slot.end
            self._latest_end.append(max(latest, slot.end))

    def hits(self, start: datetime, end: datetime) -> bool:
        before_end = bisect_left(self._starts, end)
        return before_end > 0 and self._latest_end[before_end - 1] > start


class _FixedEntries:
    """The fixed entries, indexed for the two questions the path asks (see the module doc)."""

    def __init__(self, fixed: Sequence[Slot]) -> None:
        self._by_end: dict[float, list[Slot]] = {}
        self._by_start: dict[float, list[Slot]] = {}
        for slot in fixed:
            self._by_end.setdefault(slot.end.timestamp(), []).append(slot)
            self._by_start.setdefault(slot.start.timestamp(), []).append(slot)
        self._ends = sorted(self._by_end)
        self._starts = sorted(self._by_start)

    def rooms(self) -> set[str | None]:
        return {slot.room for slots in self._by_end.values() for slot in slots}

    def last_before(self, start: float) -> tuple[float, list[Slot]]:
        """The engine's walked-from entries for an item starting at ``start``: those that
        finished last before it (zero-length ones at that instant, if any), and when."""
        index = bisect_right(self._ends, start)
        while index > 0:
            end = self._ends[index - 1]
            latest = [s for s in self._by_end[end] if s.start.timestamp() < start]
            if latest:
                instant = [s for s in latest if s.start == s.end]
                return end, instant or latest
            index -= 1
        return -math.inf, []

    def first_from(self, moment: float) -> tuple[float, list[Slot]]:
        """The fixed entries that start first at or after ``moment``."""
        index = bisect_left(self._starts, moment)
        if index == len(self._starts):
            return math.inf, []
        start = self._starts[index]
        return start, self._by_start[start]


class _Path:
    """The longest path over the candidates (see the module doc)."""

    def __init__(
        self,
        items: list[Item],
        scores: Mapping[str, float],
        fixed: _FixedEntries,
        walk: WalkRule,
    ) -> None:
        self.items = items
        self.scores = [float(scores[item.id]) for item in items]
        self.starts = [item.start.timestamp() for item in items]  # type: ignore[union-attr]
        self.ends = [item.end.timestamp() for item in items]  # type: ignore[union-attr]
        self.rooms = [item.room for item in items]
        self._walk = walk
        self._walks: dict[tuple[str | None, str | None], int] = {}
        self.fixed = fixed
        self.longest_walk = self._longest_walk({*self.rooms, *fixed.rooms()}) * 60

    def walk_ok(self, room_a: str | None, end_a: float, room_b: str | None, start_b: float) -> bool:
        key = (room_a, room_b)
        needed = self._walks.get(key)
        if needed is None:
            needed = self._walks[key] = self._walk.minutes(room_a, room_b) or 0
        return needed * 60 <= start_b - end_a

    def _longest_walk(self, rooms: set[str | None]) -> int:
        named = sorted(room for room in rooms if room is not None)
        if len(named) > MAX_ROOMS_FOR_WALK_TABLE:
            return LONGEST_WALK_MINUTES
        return max((self._walk.minutes(a, b) or 0 for a in named for b in named), default=0)

    def best(self) -> list[Item]:
        count = len(self.items)
        # Per item: when the fixed entries it walks from finished (-inf: none), whether that
        # walk is long enough, and the start of the first fixed entries that must walk from it
        # if nothing chosen comes first (inf: none).
        fixed_end, walk_in_ok, must_precede = [], [], []
        for index in range(count):
            end, sources = self.fixed.last_before(self.starts[index])
            fixed_end.append(end)
            walk_in_ok.append(
                all(
                    self.walk_ok(s.room, s.end.timestamp(), self.rooms[index], self.starts[index])
                    for s in sources
                )
            )
            start, after = self.fixed.first_from(self.ends[index])
            bad = any(
                not self.walk_ok(self.rooms[index], self.ends[index], s.room, start) for s in after
            )
            must_precede.append(start if bad else math.inf)

        value = [-math.inf] * count
        successor = [_END] * count
        # suffix[k]: the best (value, index) among items k.. that may follow fixed entries.
        suffix: list[tuple[float, int]] = [(-math.inf, _END)] * (count + 1)
        for index in range(count - 1, -1, -1):
            best_value, best_next = self._best_next(
                index, fixed_end, walk_in_ok, must_precede[index], value, suffix
            )
            if best_value > -math.inf:
                value[index] = self.scores[index] + best_value
                successor[index] = best_next
            later = suffix[index + 1]
            if walk_in_ok[index] and value[index] > -math.inf and value[index] >= later[0]:
                suffix[index] = (value[index], index)
            else:
                suffix[index] = later
        return self._follow(suffix[0], successor)

    def _best_next(
        self,
        index: int,
        fixed_end: list[float],
        walk_in_ok: list[bool],
        must_precede: float,
        value: list[float],
        suffix: list[tuple[float, int]],
    ) -> tuple[float, int]:
        end, room = self.ends[index], self.rooms[index]
        first = bisect_left(self.starts, end)
        if must_precede < math.inf:
            best = (-math.inf, _END)
            last = bisect_left(self.starts, must_precede)
        else:
            best = (0.0, _END)
            last = bisect_left(self.starts, end + self.longest_walk)
            if suffix[last][0] > best[0]:
                best = suffix[last]
        for other in range(last - 1, first - 1, -1):
            candidate = value[other]
            if candidate == -math.inf or candidate < best[0]:
                continue
            if candidate == best[0] and best[1] == _END:
                continue
            if end > fixed_end[other]:
                valid = self.walk_ok(room, end, self.rooms[other], self.starts[other])
            else:
                valid = walk_in_ok[other]
            if valid:
                best = (candidate, other)
        return best

    def _follow(self, first: tuple[float, int], successor: list[int]) -> list[Item]:
        chosen: list[Item] = []
        total, index = first
        if total <= 0:
            return chosen
        while index != _END:
            chosen.append(self.items[index])
            index = successor[index]
        return chosen
