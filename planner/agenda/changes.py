"""What changed in the program since each pick, and the .ics SEQUENCE that follows from it.

SEQUENCE never falls: it rises when an export (or a re-pick) meets an item that differs from
what calendars last received, and ``mark_exported`` records that rise in the agenda.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from planner import timezones
from planner.agenda.contents import cancelled_picks, exported_items
from planner.agenda.models import Agenda, Pick, Snapshot
from planner.model import Item, Program
from planner.text import clock, named


@dataclass(frozen=True)
class Change:
    """Something about a pick that differs from when it was picked."""

    id: str
    kind: Literal["moved", "room", "renamed", "vanished"]
    message: str
    title: str = field(default="", compare=False)  # the pick's, for naming it in a message

    @property
    def name(self) -> str:
        return named(self.id, self.title)

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "message": self.message}


def changes(program: Program, agenda: Agenda, zone: str | None = None) -> list[Change]:
    """Every change since picking, in agenda time order; a vanished pick is listed, not dropped."""
    zone = zone or program.timezone
    by_id = program.item_map()
    found: list[Change] = []
    for pick in sorted(agenda.picks, key=lambda p: _pick_order(p, by_id)):
        item = by_id.get(pick.id)
        if item is None:
            title = pick.snapshot.title
            found.append(Change(pick.id, "vanished", "no longer in the program", title))
        else:
            found.extend(
                replace(change, title=item.title)
                for change in changes_of(pick.snapshot, item, zone)
            )
    return found


def changes_of(snapshot: Snapshot, item: Item, zone: str) -> list[Change]:
    found: list[Change] = []
    moved = _moved_message(snapshot, item, zone)
    if moved:
        found.append(Change(item.id, "moved", moved))
    if snapshot.room != item.room:
        found.append(
            Change(
                item.id,
                "room",
                f"room changed from {snapshot.room or 'unknown'} to {item.room or 'unknown'}",
            )
        )
    if snapshot.title != item.title:
        found.append(Change(item.id, "renamed", f"renamed (was {snapshot.title!r})"))
    return found


def _moved_message(snapshot: Snapshot, item: Item, zone: str) -> str | None:
    if snapshot.start == item.start and snapshot.end == item.end:
        return None
    if item.start is None:
        return f"time now to be announced (was {clock(snapshot.start, zone)})"
    if snapshot.start is None:
        return f"now scheduled at {clock(item.start, zone, with_day=True)} (was to be announced)"
    if snapshot.start != item.start:
        day_changed = timezones.local_date(snapshot.start, zone) != timezones.local_date(
            item.start, zone
        )
        return (
            f"moved from {clock(snapshot.start, zone, with_day=day_changed)} "
            f"to {clock(item.start, zone, with_day=day_changed)}"
        )
    return f"now ends at {clock(item.end, zone)} (was {clock(snapshot.end, zone)})"


def _pick_order(pick: Pick, by_id: dict[str, Item]) -> tuple[bool, datetime | None, str]:
    item = by_id.get(pick.id)
    start = item.start if item is not None else pick.snapshot.start
    return (start is None, start, pick.id)


def sequence_of(pick: Pick, item: Item | None) -> int:
    """The SEQUENCE to export: one more than stored when the item differs from what calendars
    last received (``Pick.unexported``: also a switch between backup and firm), or vanished
    since (exported as cancelled); ``mark_exported`` then stores it, so it never falls."""
    if item is None:
        return pick.sequence if pick.cancelled else pick.sequence + 1
    return pick.sequence + 1 if pick.unexported(item) else pick.sequence


def mark_exported(agenda: Agenda, program: Program, *, with_backups: bool = False) -> None:
    """Record an .ics export in ``agenda`` (in place; the caller holds the lock): each pick
    the file holds whose item changed since calendars last received it keeps the raised
    SEQUENCE and what was written (its item, and whether as a backup). Backups are in the
    file only ``with_backups``."""
    for pick, item in _changed_since_written(agenda, program, with_backups):
        pick.sequence += 1
        if not pick.written().matches(item):
            pick.exported = Snapshot.of(item)
        pick.cancelled = False
        pick.exported_maybe = None
    for pick in _newly_cancelled(agenda, program):
        pick.sequence += 1
        pick.cancelled = True


def export_pending(agenda: Agenda, program: Program, *, with_backups: bool = False) -> bool:
    """Whether an .ics export of this agenda raises some SEQUENCE (so must be recorded)."""
    return bool(
        _changed_since_written(agenda, program, with_backups) or _newly_cancelled(agenda, program)
    )


def _newly_cancelled(agenda: Agenda, program: Program) -> list[Pick]:
    return [pick for pick in cancelled_picks(program, agenda) if not pick.cancelled]


def _changed_since_written(
    agenda: Agenda, program: Program, with_backups: bool = False
) -> list[tuple[Pick, Item]]:
    # Only what the file holds: a talk that became "to be announced" gets no event, and a
    # backup none unless asked for.
    in_file = {item.id: item for item in exported_items(program, agenda) if item.announced}
    return [
        (pick, in_file[pick.id])
        for pick in agenda.picks
        if pick.id in in_file
        and (with_backups or not pick.maybe)
        and pick.unexported(in_file[pick.id])
    ]
