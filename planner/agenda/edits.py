"""Changing the agenda: pure functions from an agenda to the new agenda and what happened
(one ``Outcome`` per id, with a sentence for the attendee). ``store.update_agenda`` runs
them under the lock.

Each change builds its indexes once (picks by id and position, the agenda's ids for prefix
matching) and reads the program's own (``Program.tree``), so a change costs time linear in
the items and picks it touches, however many the agenda already holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import ValidationError

from planner.agenda.changes import changes_of
from planner.agenda.models import EVENT_PREFIX, Agenda, Pick, Settings, Snapshot
from planner.errors import NotFoundError, PlannerError
from planner.model import Item, PersonalEvent, PrefixIndex, Program
from planner.text import clock, named

Action = Literal[
    "added",
    "refreshed",
    "covered",
    "now_covered",
    "dropped",
    "only_covered",
    "not_picked",
    "settings",
]


@dataclass(frozen=True)
class Outcome:
    """What one operation did to one id, with a sentence for the attendee."""

    id: str
    action: Action
    message: str
    covered_by: str | None = None
    tba: bool = False


@dataclass(frozen=True)
class EditResult:
    agenda: Agenda
    outcomes: list[Outcome] = field(default_factory=list)

    def touched(self) -> set[str]:
        """Ids that were added or refreshed: the ones whose clashes the attendee should see now."""
        return {o.id for o in self.outcomes if o.action in ("added", "refreshed")}


class _Picks:
    """The picks of one change by id and position, kept up to date as the change adds and
    drops them, so each id costs the same however many picks the agenda holds."""

    def __init__(self, agenda: Agenda, program: Program) -> None:
        self.agenda = agenda
        self.tree = program.tree
        self.by_id = self.tree.by_id
        self.picks = {pick.id: pick for pick in agenda.picks}
        self.position = {pick.id: index for index, pick in enumerate(agenda.picks)}

    def own_copy(self, pick: Pick) -> Pick:
        """The pick, copied into this change before it is changed (the input stays as it was)."""
        copied = pick.model_copy(deep=True)
        self.agenda.picks[self.position[pick.id]] = copied
        self.picks[pick.id] = copied
        return copied

    def add(self, pick: Pick) -> None:
        self.position[pick.id] = len(self.agenda.picks)
        self.agenda.picks.append(pick)
        self.picks[pick.id] = pick

    def take_away(self, pick_id: str) -> Pick | None:
        """Remove the pick from the index; ``finish`` then removes it from the agenda."""
        return self.picks.pop(pick_id, None)

    def finish(self) -> None:
        if len(self.picks) != len(self.agenda.picks):
            self.agenda.picks = [pick for pick in self.agenda.picks if pick.id in self.picks]

    def picked_ancestor(self, item_id: str) -> str | None:
        return next((a for a in self.tree.ancestors(item_id) if a in self.picks), None)

    def newly_covered(self, item_id: str) -> list[str]:
        """Picks below ``item_id`` with no pick between: the ones it now covers, in pick order."""
        return self._picks_below(item_id, through_picks=False)

    def picked_below(self, item_id: str) -> list[str]:
        """Every pick anywhere below ``item_id``, in pick order."""
        return self._picks_below(item_id, through_picks=True)

    def _picks_below(self, item_id: str, *, through_picks: bool) -> list[str]:
        children = self.tree.children
        found: list[str] = []
        seen = {item_id}
        waiting = [child.id for child in children.get(item_id, ())]
        while waiting:
            child = waiting.pop()
            if child in seen:
                continue
            seen.add(child)
            picked = child in self.picks
            if picked:
                found.append(child)
            if through_picks or not picked:
                waiting.extend(grandchild.id for grandchild in children.get(child, ()))
        return sorted(found, key=self.position.__getitem__)


def _copy_for_edit(agenda: Agenda) -> Agenda:
    """A copy whose lists an edit may change; the picks themselves are shared until one is
    changed (``_Picks.own_copy``): a deep copy of 18,000 picks cost more than the edit."""
    return agenda.model_copy(update={"picks": list(agenda.picks), "events": list(agenda.events)})


def pick(
    agenda: Agenda,
    program: Program,
    items: Iterable[Item],
    *,
    zone: str | None = None,
    now: datetime | None = None,
    maybe: bool = False,
) -> EditResult:
    """Pick items: add them, refresh their snapshot if already picked, or say what covers them.

    ``now`` is recorded as each new pick's ``picked_at`` (the caller passes the clock in).
    ``maybe`` picks them as backups; picking a backup without it makes it a firm pick again.
    """
    zone = zone or program.timezone
    new = _copy_for_edit(agenda)
    picks = _Picks(new, program)
    outcomes: list[Outcome] = []
    for item in items:
        outcomes.extend(_pick_one(picks, item, zone, now, maybe))
    return EditResult(new, outcomes)


def _pick_one(
    picks: _Picks, item: Item, zone: str, now: datetime | None, maybe: bool
) -> list[Outcome]:
    existing = picks.picks.get(item.id)
    if existing is not None and existing.maybe != maybe:
        return [_switch(picks, existing, item, zone, maybe)]
    if existing is not None:
        return [_refresh(picks, existing, item, zone)]
    cover = picks.picked_ancestor(item.id)
    if cover is not None:
        return [
            Outcome(
                item.id,
                "covered",
                f"{_name(item)} is part of {_kind_and_id(picks.by_id[cover])}, which you picked: "
                "nothing added",
                covered_by=cover,
            )
        ]
    picks.add(
        Pick(id=item.id, snapshot=Snapshot.of(item), picked_at=now, maybe=maybe, guid=item.guid)
    )
    outcomes = [_added(item, zone, maybe)]
    for other in picks.newly_covered(item.id):
        outcomes.append(
            Outcome(
                other,
                "now_covered",
                f"{_name(picks.by_id[other])} stays picked and is now covered by {_name(item)}",
                covered_by=item.id,
            )
        )
    return outcomes


def _added(item: Item, zone: str, maybe: bool = False) -> Outcome:
    added = "added a backup" if maybe else "added"
    if not item.announced:
        return Outcome(
            item.id,
            "added",
            f"{added} {item.id}: {item.title} (time to be announced: no clash checks or "
            "calendar entry until it has a time)",
            tba=True,
        )
    where = item.room or "room unknown"
    when = f"{clock(item.start, zone, with_day=True)}-{clock(item.end, zone)}"
    return Outcome(item.id, "added", f"{added} {item.id}: {item.title} ({when}, {where})")


def _switch(picks: _Picks, existing: Pick, item: Item, zone: str, maybe: bool) -> Outcome:
    """A firm pick made a backup (``--maybe``) or a backup made firm, its snapshot refreshed."""
    changed = picks.own_copy(existing)
    changed.maybe = maybe
    # Calendars may hold it as it was: the next export that carries it raises SEQUENCE (never
    # known whether an export carried it before, so at worst SEQUENCE rises once unseen).
    if changed.exported_maybe is None:
        changed.exported_maybe = existing.maybe
    elif changed.exported_maybe == maybe:  # switched back before an export carried it
        changed.exported_maybe = None
    refreshed = _refresh(picks, changed, item, zone)
    rest = refreshed.message.split("already picked", 1)[1]
    message = f"{_name(item)} is now {'a backup' if maybe else 'a firm pick'}"
    return Outcome(item.id, "refreshed", message + (rest if rest.startswith(";") else ""))


def _refresh(picks: _Picks, existing: Pick, item: Item, zone: str) -> Outcome:
    seen = changes_of(existing.snapshot, item, zone)
    if not seen and not existing.cancelled:
        return Outcome(item.id, "refreshed", f"{_name(item)} is already picked and up to date")
    existing = picks.own_copy(existing)
    if existing.cancelled or not existing.written().matches(item):  # not raised by an export
        existing.sequence += 1
        existing.exported_maybe = None  # the raised SEQUENCE carries a switch as well
    existing.snapshot = Snapshot.of(item)
    existing.exported = None
    existing.cancelled = False
    if not seen:
        return Outcome(item.id, "refreshed", f"{item.id} is back in the program; noted it")
    what = "; ".join(change.message for change in seen)
    message = f"{_name(item)} is already picked; noted the change: {what}"
    return Outcome(item.id, "refreshed", message)


def _kind_and_id(item: Item) -> str:
    return f"{item.kind} {_name(item)}"


def _name(item: Item) -> str:
    return named(item.id, item.title)


def drop(agenda: Agenda, program: Program, ids: Iterable[str]) -> EditResult:
    """Drop picks and personal events by id (program ids also by unique prefix)."""
    new = _copy_for_edit(agenda)
    picks = _Picks(new, program)
    resolve = _DropIds(new, program, picks)
    outcomes = []
    for text in ids:
        target = resolve(text)
        outcome = _drop_one(picks, target)
        if outcome.action == "dropped":
            resolve.taken_away.add(target)
        outcomes.append(outcome)
    picks.finish()
    return EditResult(new, outcomes)


def resolve_drop_id(agenda: Agenda, program: Program, text: str) -> str:
    """The exact id meant: a pick (also a vanished one), a personal event, or a program item.

    Exact ids first (the agenda's, then the program's); then a prefix unique among the
    agenda's own entries, since drop acts on the agenda; then one unique in the program.
    """
    return _DropIds(agenda, program, _Picks(agenda, program))(text)


class _DropIds:
    """resolve_drop_id for the many ids of one drop: the agenda's ids indexed once, those
    dropped so far left out."""

    def __init__(self, agenda: Agenda, program: Program, picks: _Picks) -> None:
        self.agenda, self.program, self.picks = agenda, program, picks
        self.events = {event.id for event in agenda.events}
        self.own = PrefixIndex([*picks.picks, *self.events])
        self.taken_away: set[str] = set()
        self.guids: dict[str, str] | None = None

    def __call__(self, text: str) -> str:
        from planner.query import resolve_id

        if text in self.picks.picks or text in self.picks.by_id or self._is_event(text):
            return text
        by_guid = self._pick_with_guid(text)
        if by_guid is not None:  # a vanished pick's GUID (the program no longer knows it)
            return by_guid
        prefixed = self.own.starting_with(text.lower(), limit=2, skip=self.taken_away)
        if len(prefixed) == 1:
            return prefixed[0]
        if prefixed:
            every = self.own.starting_with(text.lower(), skip=self.taken_away)
            raise NotFoundError(
                f"id {text!r} is ambiguous in your agenda: it could be {', '.join(sorted(every))}"
            )
        try:
            return resolve_id(self.program, text).id
        except NotFoundError as exc:
            events = ", ".join(event.id for event in self.agenda.events) or "none"
            raise NotFoundError(f"{exc}; your personal events: {events}") from None

    def _pick_with_guid(self, text: str) -> str | None:
        if self.guids is None:  # built once per drop, on the first id that is not exact
            self.guids = {
                pick.guid.lower(): pick.id for pick in self.agenda.picks if pick.guid is not None
            }
        found = self.guids.get(text.lower())
        return found if found is not None and found in self.picks.picks else None

    def _is_event(self, text: str) -> bool:
        return text in self.events and text not in self.taken_away


def _drop_one(picks: _Picks, target: str) -> Outcome:
    agenda, by_id = picks.agenda, picks.by_id
    event = agenda.find_event(target)
    if event is not None:
        agenda.events.remove(event)
        return Outcome(target, "dropped", f"dropped your event {target}: {event.title}")
    existing = picks.take_away(target)
    if existing is not None:
        return _dropped(picks, existing)
    cover = picks.picked_ancestor(target)
    if cover is not None:
        return Outcome(
            target,
            "only_covered",
            f"{_name(by_id[target])} is only covered by {_kind_and_id(by_id[cover])}, which you picked: "
            f"nothing changed (drop {cover} to drop it)",
            covered_by=cover,
        )
    shown = _name(by_id[target]) if target in by_id else target
    return Outcome(target, "not_picked", f"{shown} is not in your agenda: nothing changed")


def _dropped(picks: _Picks, dropped_pick: Pick) -> Outcome:
    by_id = picks.by_id
    item = by_id.get(dropped_pick.id)
    title = item.title if item is not None else dropped_pick.snapshot.title
    message = f"dropped {dropped_pick.id}: {title}"
    cover = picks.picked_ancestor(dropped_pick.id)
    if cover is not None:
        message += f" (it stays in your agenda as part of {_kind_and_id(by_id[cover])})"
    kept = picks.picked_below(dropped_pick.id)
    if kept:
        message += f"; its talks you picked stay: {', '.join(kept)}"
    return Outcome(dropped_pick.id, "dropped", message, covered_by=cover)


def add_event(
    agenda: Agenda,
    program: Program,
    title: str,
    start: datetime,
    end: datetime,
    location: str | None = None,
    *,
    zone: str | None = None,
) -> EditResult:
    """Add a personal event with a fresh ``my-<slug>`` id."""
    title = _one_line(title)
    if not title:
        raise PlannerError("a personal event needs a title, e.g. planner add 'Lunch with Bob' ...")
    if start.tzinfo is None or end.tzinfo is None:
        raise PlannerError("personal event times must carry a timezone")  # a bug in the caller
    if end <= start:
        raise PlannerError(
            f"the event ends ({end.isoformat()}) before or when it starts ({start.isoformat()}); "
            "give an --end after --start"
        )
    new = _copy_for_edit(agenda)
    event_id = new_event_id(title, new, program)
    location = _one_line(location or "") or None
    new.events.append(
        PersonalEvent(id=event_id, title=title, start=start, end=end, location=location)
    )
    zone = zone or program.timezone
    when = f"{clock(start, zone, with_day=True)}-{clock(end, zone)}"
    where = f", {location}" if location else ""
    return EditResult(
        new, [Outcome(event_id, "added", f"added your event {event_id}: {title} ({when}{where})")]
    )


def _one_line(text: str) -> str:
    """What the attendee typed, safe to print: no terminal escapes, no line breaks."""
    from planner.text import without_controls

    return " ".join(without_controls(text).split())


def new_event_id(title: str, agenda: Agenda, program: Program) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:40].strip("-") or "event"
    taken = agenda.pick_ids() | {e.id for e in agenda.events}
    by_id = program.item_map()
    candidate = f"{EVENT_PREFIX}{slug}"
    number = 2
    while candidate in taken or candidate in by_id:
        candidate = f"{EVENT_PREFIX}{slug}-{number}"
        number += 1
    return candidate


UNSET = object()


def change_settings(
    agenda: Agenda, *, walk_minutes: object = UNSET, alarm_minutes: object = UNSET
) -> EditResult:
    """Set walking minutes and/or the default alarm (None clears the alarm)."""
    new = _copy_for_edit(agenda)
    values = new.settings.model_dump()
    if walk_minutes is not UNSET:
        values["walk_minutes"] = walk_minutes
    if alarm_minutes is not UNSET:
        values["alarm_minutes"] = alarm_minutes
    try:
        new.settings = Settings.model_validate(values)
    except ValidationError as exc:
        from planner.sources import describe_validation_error

        raise PlannerError(f"invalid setting: {describe_validation_error(exc)}") from None
    outcome = Outcome(
        "settings", "settings", "settings saved" if new != agenda else "settings unchanged"
    )
    return EditResult(new, [outcome])
