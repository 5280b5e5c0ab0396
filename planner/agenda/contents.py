"""What an agenda holds, read against the program: which picks cover which, the items a
view or an export shows once each, and the clashes among them (found by planner.clashes,
which knows nothing of agendas)."""

from __future__ import annotations

from collections.abc import Container

from planner.agenda.models import Agenda, Pick
from planner.clashes import (
    Clash,
    FoundClash,
    Slot,
    WalkRule,
    backup_relations,
    item_slot,
    merge_in_time,
    sweep_clashes,
)
from planner.model import Item, Program, sort_key
from planner.sources.common import slot_suffix


def covered_by(program: Program, agenda: Agenda) -> dict[str, str]:
    """Pick id -> the nearest picked ancestor (session, tutorial) that covers it."""
    tree = program.tree
    picked = agenda.pick_ids()
    covering: dict[str, str] = {}
    for pick in agenda.picks:
        for ancestor in tree.ancestors(pick.id):
            if ancestor in picked:
                covering[pick.id] = ancestor
                break
    return covering


def exported_items(program: Program, agenda: Agenda) -> list[Item]:
    """The picked program items to show or export once each, by start (TBA last)."""
    by_id = program.item_map()
    covered = covered_by(program, agenda)
    items = [by_id[p.id] for p in agenda.picks if p.id in by_id and p.id not in covered]
    return sorted(items, key=sort_key)


def adopt_ids(agenda: Agenda, program: Program) -> Agenda:
    """The agenda with each pick under its item's id in ``program``, and its GUID recorded;
    ``agenda`` itself when nothing changes (the common case costs one lookup per pick).

    A pick stored under an item's GUID (agendas made before short ids) or whose GUID names an
    item now under another id (a refreshed feed that renumbered it) takes the item's id; its
    snapshot, SEQUENCE and export record go with it. A pick found nowhere stays as it is
    (vanished, never dropped). Two picks that turn out to be one item become one pick, with
    the higher SEQUENCE.
    """
    tree = program.tree
    by_id = tree.by_id
    if all(pick.id in by_id and pick.guid == by_id[pick.id].guid for pick in agenda.picks):
        return agenda
    picks: dict[str, Pick] = {}
    changed = False
    for pick in agenda.picks:
        # The GUID names the talk; the id only where the pick has no GUID (or the program none).
        if pick.guid and tree.by_guid:
            item = tree.by_guid.get(pick.guid.lower())
        else:
            item = tree.find(pick.id) or _same_slot(program, pick)
        if item is None:  # vanished: kept as it is
            changed |= pick.id in picks
            picks.setdefault(pick.id, pick)
            continue
        moved = pick
        if (pick.id, pick.guid) != (item.id, item.guid):
            moved = pick.model_copy(update={"id": item.id, "guid": item.guid})
            changed = True
        twin = picks.get(item.id)
        if twin is not None:
            moved = twin if twin.sequence >= moved.sequence else moved
            changed = True
        picks[item.id] = moved
    # A vanished pick alone changes nothing: the file is not rewritten (or backed up) for it.
    return agenda.model_copy(update={"picks": list(picks.values())}) if changed else agenda


def _same_slot(program: Program, pick: Pick) -> Item | None:
    """The item a pick without GUID names under the other form of a title-made id: a talk whose
    title another talk now shares gained its day and time ("office-hours-novak" became
    "office-hours-novak-thu-1100"), or lost them when the other one was cancelled. Found only
    at the day, time and room the attendee last saw, so a pick never moves to another talk."""
    by_id = program.tree.by_id
    seen_at = [pick.snapshot] if pick.exported is None else [pick.snapshot, pick.exported]
    for seen in seen_at:
        if seen.start is None:
            continue
        for room_too in (False, True):
            suffix = slot_suffix(seen.start, seen.room, program.timezone, room_too=room_too)
            longer = by_id.get(f"{pick.id}-{suffix}")
            if longer is not None and longer.start == seen.start:
                return longer
            if pick.id.endswith(f"-{suffix}"):
                bare = by_id.get(pick.id[: -len(suffix) - 1])
                if bare is not None and (bare.start, bare.room) == (seen.start, seen.room):
                    return bare
    return None


def cancelled_picks(program: Program, agenda: Agenda) -> list[Pick]:
    """The picks whose item vanished and that calendars have seen with a time: an .ics
    export writes them as cancelled (at their last written time) until they are dropped."""
    by_id = program.item_map()
    return [
        pick for pick in agenda.picks if pick.id not in by_id and pick.written().start is not None
    ]


def vanished_picks(program: Program, agenda: Agenda) -> list[Pick]:
    by_id = program.item_map()
    return [pick for pick in agenda.picks if pick.id not in by_id]


def without_backups(agenda: Agenda) -> Agenda:
    """The agenda with its backups ("maybe" picks) left out: what an export holds by default."""
    if not any(pick.maybe for pick in agenda.picks):
        return agenda
    return agenda.model_copy(update={"picks": [p for p in agenda.picks if not p.maybe]})


def backup_slots(program: Program, agenda: Agenda) -> list[Slot]:
    """The agenda's timed backups."""
    backups = {pick.id for pick in agenda.picks if pick.maybe}
    if not backups:
        return []
    tree = program.tree
    return [
        item_slot(item, tree.ancestors(item.id))
        for item in exported_items(program, agenda)
        if item.announced and item.id in backups
    ]


def agenda_slots(program: Program, agenda: Agenda) -> list[Slot]:
    """The agenda's timed firm entries: picked items (once each; backups left out) and
    personal events."""
    tree = program.tree
    backups = {pick.id for pick in agenda.picks if pick.maybe}
    slots = [
        item_slot(item, tree.ancestors(item.id))
        for item in exported_items(program, agenda)
        if item.announced and item.id not in backups
    ]
    slots.extend(
        Slot(event.id, event.start, event.end, room=event.location, title=event.title)
        for event in agenda.events
    )
    return slots


def walk_rule(program: Program, agenda: Agenda) -> WalkRule:
    """The program's walking data, else the attendee's walk setting."""
    return WalkRule(program, agenda.settings.walk_minutes)


def agenda_clashes(program: Program, agenda: Agenda, *, zone: str | None = None) -> list[Clash]:
    """Time clashes and tight room changes among the agenda's entries, in time order."""
    zone = zone or program.timezone
    return [found.worded(zone) for found in sweep_agenda(program, agenda)]


def clashes_touching(program: Program, agenda: Agenda, ids: set[str], *, zone: str) -> list[Clash]:
    """The agenda's clashes that involve any of ``ids`` (what one change touched), in time
    order; only those are put into words, since a big agenda has thousands of clashes."""
    return [found.worded(zone) for found in sweep_agenda(program, agenda, involving=ids)]


def sweep_agenda(
    program: Program, agenda: Agenda, involving: Container[str] | None = None
) -> list[FoundClash]:
    """agenda_clashes, not yet worded: for a caller that shows only some of them
    (``involving``: only the clashes of these ids). Backups beside firm entries come as kind
    "backup" (planner.clashes.backup_relations), never as clashes."""
    firm = agenda_slots(program, agenda)
    found = sweep_clashes(firm, walk_rule(program, agenda), involving)
    return merge_in_time(found, backup_relations(backup_slots(program, agenda), firm, involving))
