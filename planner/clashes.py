"""The clash engine: pure functions over slots (timed entries) and a walk rule, no I/O.

It never sees an agenda: planner.agenda turns picks and personal events into slots.

One sweep over the entries sorted by start, keeping a heap of the entries still
running: each new entry clashes with exactly the running ones (time), and the
entries that finished last before it are the ones the attendee walks from
(room change). So the cost is O(n log n + clashes), never all pairs.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from planner.model import DEFAULT_WALK_MINUTES, Item, Program
from planner.text import clock, span

ClashKind = Literal["time", "room_change", "room_double_booked"]
POSSIBLE = "possible clash (estimated time or room): "
NO_ANCESTORS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Clash:
    kind: str
    items: tuple[str, str]
    minutes: int
    estimated: bool
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "estimated": self.estimated,
            "items": list(self.items),
            "kind": self.kind,
            "message": self.message,
            "minutes": self.minutes,
        }


@dataclass(frozen=True)
class Slot:
    """One timed entry of an agenda or program, as the sweep sees it."""

    id: str
    start: datetime
    end: datetime
    room: str | None = None
    estimated: bool = False
    ancestors: frozenset[str] = frozenset()

    def related_to(self, other: Slot) -> bool:
        """A talk and its own session (or any ancestor) are one attendance, never a clash."""
        return self.id in other.ancestors or other.id in self.ancestors


class WalkRule:
    """Minutes to walk between two rooms: program table, else program default, else setting.

    The program's table knows this venue (room or building pairs); the program's
    own default comes next as part of its walking data; the attendee's setting
    (default 5) applies where the program says nothing. Unknown rooms give None.
    """

    def __init__(self, program: Program, setting: int | None = None) -> None:
        self._default = (
            program.walk_minutes
            if program.walk_minutes is not None
            else (setting if setting is not None else DEFAULT_WALK_MINUTES)
        )
        self._buildings = {room.name: room.building for room in program.rooms}
        self._table: dict[frozenset[str], int] = {}
        for walk in program.walk_table:
            self._table[frozenset(walk.between)] = walk.minutes

    def minutes(self, room_a: str | None, room_b: str | None) -> int | None:
        if room_a is None or room_b is None:
            return None
        if room_a not in self._buildings or room_b not in self._buildings:
            return None
        if room_a == room_b:
            return 0
        for name_a in self._names(room_a):
            for name_b in self._names(room_b):
                found = self._table.get(frozenset((name_a, name_b)))
                if found is not None:
                    return found
        return self._default

    def _names(self, room: str) -> list[str]:
        building = self._buildings.get(room)
        return [room, building] if building else [room]


@dataclass(frozen=True)
class FoundClash:
    """A clash as the sweep finds it, before it is put into words.

    Wording (clock times in a zone, the message) costs more than finding, and a command that
    only counts clashes or shows the first few need not word them all.
    """

    kind: ClashKind
    first: Slot
    second: Slot
    minutes: int
    walk_minutes: int = 0  # room change: the walk between the two rooms

    @property
    def estimated(self) -> bool:
        return self.first.estimated or self.second.estimated

    def worded(self, zone: str) -> Clash:
        first, second = self.first, self.second
        if self.kind == "time":
            overlap = span(max(first.start, second.start), min(first.end, second.end), zone)
            message = f"{first.id} and {second.id} overlap by {_minutes(self.minutes)} ({overlap})"
        else:
            gap_minutes = int((second.start - first.end).total_seconds() // 60)
            message = (
                f"tight room change: {_minutes(gap_minutes)} from {first.room} ({first.id} ends "
                f"{clock(first.end, zone)}) to {second.room} ({second.id} starts "
                f"{clock(second.start, zone)}), a {self.walk_minutes}-minute walk: "
                f"{_minutes(self.minutes)} short"
            )
        estimated = self.estimated
        return Clash(
            self.kind,
            (first.id, second.id),
            self.minutes,
            estimated,
            _possibly(message, estimated),
        )


def find_clashes(slots: Iterable[Slot], walk: WalkRule | None, zone: str) -> list[Clash]:
    """Time clashes between any two slots, and room changes between consecutive ones."""
    return [found.worded(zone) for found in sweep_clashes(slots, walk)]


def sweep_clashes(
    slots: Iterable[Slot], walk: WalkRule | None, involving: Container[str] | None = None
) -> list[FoundClash]:
    """The clashes among ``slots`` in time order, not yet worded (see find_clashes).

    ``involving``: only the clashes of these ids. The sweep still sees every slot (which slot
    the attendee walks from depends on all of them), but weighs only the pairs asked for.
    """
    found: list[FoundClash] = []
    for earlier, later, relation in _sweep(slots):
        if involving is not None and earlier.id not in involving and later.id not in involving:
            continue
        if relation == "overlap":
            clash = _time_clash(earlier, later)
        elif walk is not None:
            clash = _room_change(earlier, later, walk)
        else:
            clash = None
        if clash is not None:
            found.append(clash)
    return found


def _sweep(slots: Iterable[Slot]) -> Iterator[tuple[Slot, Slot, str]]:
    """Yield (running, new, "overlap") and (walked-from, new, "next") pairs in one pass.

    "next" pairs are consecutive: the slot(s) that finished last before the new one starts,
    unless another slot started in between (the attendee walks to that one first).
    """
    ordered = sorted(slots, key=lambda s: (s.start, -(s.end - s.start).total_seconds(), s.id))
    running: list[tuple[datetime, int, Slot]] = []  # heap by end
    finished = _LastFinished()
    current_start: datetime | None = None
    earlier_start: datetime | None = None  # the latest start before the current one
    # Zero-length slots at the current instant: they end as the others start, yet are not
    # before them; they count as finished from the next instant on.
    simultaneous: list[tuple[datetime, int, Slot]] = []
    for index, slot in enumerate(ordered):
        if slot.start != current_start:
            earlier_start, current_start = current_start, slot.start
            for entry in simultaneous:
                heapq.heappush(running, entry)
            simultaneous.clear()
        while running and running[0][0] <= slot.start:
            entry = heapq.heappop(running)
            if entry[2].start == slot.start:
                simultaneous.append(entry)
            else:
                finished.add(entry[2])
        for _, _, other in running:
            if not other.related_to(slot):
                yield other, slot, "overlap"
        for other in finished.walked_from(slot, earlier_start, running):
            yield other, slot, "next"
        heapq.heappush(running, (slot.end, index, slot))


class _LastFinished:
    """The slot(s) that finished last so far: where the attendee walks from."""

    def __init__(self) -> None:
        self.end: datetime | None = None
        self.slots: list[Slot] = []

    def add(self, slot: Slot) -> None:
        # Slots arrive in order of their end.
        if self.end is None or slot.end > self.end:
            self.end, self.slots = slot.end, [slot]
        elif slot.start == slot.end:
            # A zero-length slot at the instant the others ended comes after them.
            self.slots = [done for done in self.slots if done.start == done.end] + [slot]
        else:
            self.slots.append(slot)

    def walked_from(
        self, slot: Slot, earlier_start: datetime | None, running: list[tuple[datetime, int, Slot]]
    ) -> list[Slot]:
        if self._someone_started_since(slot, earlier_start, running):
            return []
        # other.start == slot.start: two zero-length slots at one instant, neither first.
        walks = [o for o in self.slots if o.start < slot.start and not o.related_to(slot)]
        # A session and its own talk that end together: the walk is from the talk. One set of
        # what the finished slots lie in, not a look at every other slot for each of them.
        around = {ancestor for inner in walks for ancestor in inner.ancestors}
        return [o for o in walks if o.id not in around]

    def _someone_started_since(
        self, slot: Slot, earlier_start: datetime | None, running: list[tuple[datetime, int, Slot]]
    ) -> bool:
        """Whether a slot started after these finished (the walk is then from it).

        ``earlier_start`` is the latest start before the new slot's. Starting exactly when
        these finished counts only for a slot still running and not the new slot's own
        session: a zero-length slot that started and finished then is one of these.
        """
        if self.end is None or earlier_start is None or earlier_start < self.end:
            return False
        if earlier_start > self.end:
            return True
        return any(
            other.start == self.end and not other.related_to(slot) for _, _, other in running
        )


def _time_clash(first: Slot, second: Slot) -> FoundClash | None:
    seconds = (min(first.end, second.end) - max(first.start, second.start)).total_seconds()
    if seconds <= 0:
        return None
    return FoundClash("time", first, second, math.ceil(seconds / 60))


def _room_change(first: Slot, second: Slot, walk: WalkRule) -> FoundClash | None:
    needed = walk.minutes(first.room, second.room)
    if not needed:
        return None
    short_seconds = needed * 60 - (second.start - first.end).total_seconds()
    if short_seconds <= 0:
        return None
    return FoundClash("room_change", first, second, math.ceil(short_seconds / 60), needed)


def _possibly(message: str, estimated: bool) -> str:
    return POSSIBLE + message if estimated else message


def _minutes(count: int) -> str:
    return f"{count} minute" if count == 1 else f"{count} minutes"


def item_slot(item: Item, ancestors: Iterable[str] = ()) -> Slot:
    """A timed program item as a slot; ``ancestors``: its parent chain (Program.tree)."""
    return Slot(
        item.id,
        item.start,  # type: ignore[arg-type]
        item.end,  # type: ignore[arg-type]
        room=item.room,
        estimated=item.estimated,
        ancestors=frozenset(ancestors) if item.parent else NO_ANCESTORS,
    )


# --- the program ---------------------------------------------------------------------------

Severity = Literal["warning", "error"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    kind: str
    items: tuple[str, ...]
    message: str
    minutes: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "items": list(self.items),
            "kind": self.kind,
            "message": self.message,
            "minutes": self.minutes,
            "severity": self.severity,
        }


def check_program(program: Program, *, zone: str | None = None) -> list[Finding]:
    """What is wrong (error) or doubtful (warning) in the program itself, errors first."""
    zone = zone or program.timezone
    findings = [
        *_length_findings(program),
        *_parent_findings(program),
        *double_bookings(program, zone=zone),
        *_estimate_findings(program),
        *(Finding("warning", "note", (), note) for note in program.notes),
    ]
    return sorted(findings, key=lambda f: (f.severity != "error",))


# More overlapping pairs than this among one run of overlapping items in one room are told as
# one finding naming the run: a feed that repeats a talk every minute, or a hall given to a
# whole track at once, would otherwise print millions of pairs and never finish.
MAX_PAIRS_PER_RUN = 50
_SHOWN_IDS = 5


def double_bookings(program: Program, *, zone: str | None = None) -> list[Finding]:
    """Items overlapping in one room, except a parent and its own descendants, and posters.

    Posters share their hall by design (each has its own board), so they are left out.
    """
    zone = zone or program.timezone
    tree = program.tree
    by_room: dict[str, list[Slot]] = {}
    for item in program.items:
        if item.kind == "poster" or not item.room or item.start is None or item.end is None:
            continue
        if item.end > item.start:
            by_room.setdefault(item.room, []).append(item_slot(item, tree.ancestors(item.id)))
    found: list[Finding] = []
    for room, slots in by_room.items():
        for run in _overlapping_runs(slots):
            found.extend(_run_findings(room, run, zone))
    return found


def _overlapping_runs(slots: list[Slot]) -> Iterator[list[Slot]]:
    """Maximal groups of slots chained by overlaps, in time order (singletons left out)."""
    run: list[Slot] = []
    run_end: datetime | None = None
    for slot in sorted(slots, key=lambda s: (s.start, s.id)):
        if run_end is not None and slot.start < run_end:
            run.append(slot)
            run_end = max(run_end, slot.end)
            continue
        if len(run) > 1:
            yield run
        run, run_end = [slot], slot.end
    if len(run) > 1:
        yield run


def _run_findings(room: str, run: list[Slot], zone: str) -> list[Finding]:
    pairs = []
    for earlier, later, relation in _sweep(run):
        clash = _time_clash(earlier, later) if relation == "overlap" else None
        if clash is None:
            continue
        if len(pairs) == MAX_PAIRS_PER_RUN:
            return [_crowded(room, run, zone)]
        pairs.append(clash.worded(zone))
    return [
        Finding(
            "warning",
            "room_double_booked",
            clash.items,
            f"{room} is double-booked: {clash.message}",
            clash.minutes,
        )
        for clash in pairs
    ]


def _crowded(room: str, run: list[Slot], zone: str) -> Finding:
    ids = [slot.id for slot in run]
    shown = ", ".join(ids[:_SHOWN_IDS]) + (
        f" and {len(ids) - _SHOWN_IDS} more" if len(ids) > _SHOWN_IDS else ""
    )
    during = span(run[0].start, max(slot.end for slot in run), zone)
    return Finding(
        "warning",
        "room_overbooked",
        tuple(ids),
        f"{room} is double-booked many times over: {len(ids)} items overlap there ({during}), "
        f"more than {MAX_PAIRS_PER_RUN} pairs: {shown}",
    )


def _length_findings(program: Program) -> list[Finding]:
    found: list[Finding] = []
    for item in program.items:
        if item.start is None or item.end is None or item.end > item.start:
            continue
        what = "has zero length" if item.end == item.start else "ends before it starts"
        found.append(
            Finding(
                "error",
                "zero_length" if item.end == item.start else "negative_length",
                (item.id,),
                f"{item.id} {what} ({item.start.isoformat()} to {item.end.isoformat()}); "
                "fix its end time",
            )
        )
    return found


def _parent_findings(program: Program) -> list[Finding]:
    by_id = program.item_map()
    found: list[Finding] = []
    for item in program.items:
        parent = by_id.get(item.parent) if item.parent else None
        if parent is None or item.start is None or parent.start is None:
            continue
        if item.start < parent.start or item.end > parent.end:  # type: ignore[operator]
            found.append(
                Finding(
                    "error",
                    "child_outside_parent",
                    (item.id, parent.id),
                    f"{item.id} lies outside its parent {parent.id}; fix either's times",
                )
            )
    return found


def _estimate_findings(program: Program) -> list[Finding]:
    return [
        Finding(
            "warning",
            "estimated",
            (item.id,),
            f"{item.id}: {item.note or 'time or room estimated'}",
        )
        for item in program.items
        if item.estimated
    ]
