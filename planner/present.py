"""Text and JSON views of core data for the command line; pure functions, no click, no printing.

The JSON shapes here are the documented, stable machine output (README "JSON output"):
sorted keys, times as ISO 8601 with a numeric offset in the display zone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from planner import text, timezones
from planner.model import Item, PersonalEvent, Program

if TYPE_CHECKING:
    from planner.agenda import Agenda, Change, Pick, Settings
    from planner.clashes import Clash, Finding
    from planner.refresh import RefreshReport

ESTIMATED_MARK = "~"
TBA = "time TBA"
MAX_ID_WIDTH = 30
# Listings indent by depth up to this: a title should not be pushed off the screen.
MAX_SHOWN_DEPTH = 6


def dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)


def local_iso(moment: datetime | None, zone: str) -> str | None:
    return None if moment is None else timezones.iso(timezones.to_zone(moment, zone))


def item_json(item: Item, zone: str, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "guid": item.guid,
        "kind": item.kind,
        "title": item.title,
        "speakers": list(item.speakers),
        "start": local_iso(item.start, zone),
        "end": local_iso(item.end, zone),
        "room": item.room,
        "parent": item.parent,
        "related": list(item.related),
        "url": item.url,
        "estimated": item.estimated,
        "note": item.note,
    }
    if full:
        data["abstract"] = item.abstract
    return data


def time_range(start: datetime | None, end: datetime | None, zone: str) -> str:
    """``23:45-00:45+1``, or "time TBA"."""
    return text.time_range(start, end, zone, tba=TBA)


def day_heading(day: datetime, zone: str) -> str:
    return f"{day:%A %d %B %Y} (times in {zone}, UTC{timezones.format_offset(day)})"


def talks_text(program: Program, items: Iterable[Item], zone: str) -> str:
    """The program grouped by local day: time range, room, id, title; children indented."""
    tree = program.tree
    rows = [(item, "  " * tree.depth(item, MAX_SHOWN_DEPTH) + item.id) for item in items]
    if not rows:
        return "No items match."
    id_width = min(max(len(label) for _, label in rows), MAX_ID_WIDTH)
    spans = [
        time_range(item.start, item.end, zone) + (ESTIMATED_MARK if item.estimated else " ")
        for item, _ in rows
    ]
    span_width = max(14, *(len(span) + 1 for span in spans))  # "22:30-00:00+1~" needs 15
    lines: list[str] = []
    current_day: object = ()
    for (item, label), span in zip(rows, spans, strict=True):
        local_start = timezones.to_zone(item.start, zone) if item.start else None
        day = local_start.date() if local_start else None
        if day != current_day:
            if lines:
                lines.append("")
            lines.append(day_heading(local_start, zone) if local_start else "Time to be announced")
            current_day = day
        room = item.room or "-"
        lines.append(f"  {span:<{span_width}}{room:<16.16} {label:<{id_width}}  {item.title}")
    if any(item.estimated for item, _ in rows):
        lines.append("")
        lines.append(f"{ESTIMATED_MARK} time or room estimated (`planner show ID` says why)")
    return "\n".join(lines)


def show_text(program: Program, item: Item, zone: str) -> str:
    by_id = program.item_map()
    lines = [f"{item.title}", f"  id:       {item.id} ({item.kind})"]
    if item.guid:
        lines.append(f"  guid:     {item.guid}")
    if item.start is not None:
        start = timezones.to_zone(item.start, zone)
        lines.append(
            f"  when:     {start:%a %d %b %Y} {time_range(item.start, item.end, zone)} ({zone})"
        )
    else:
        lines.append(f"  when:     {TBA}")
    lines.append(f"  room:     {item.room or 'unknown'}")
    if item.speakers:
        lines.append(f"  speakers: {', '.join(item.speakers)}")
    if item.parent and item.parent in by_id:
        lines.append(f"  part of:  {item.parent} ({by_id[item.parent].title})")
    children = program.tree.children.get(item.id, [])
    if children:
        lines.append("  contains: " + ", ".join(child.id for child in children))
    if item.related:
        lines.append(f"  related:  {', '.join(item.related)}")
    if item.url:
        lines.append(f"  url:      {item.url}")
    if item.estimated:
        lines.append(f"  estimated: {item.note or 'time or room inferred'}")
    elif item.note:
        lines.append(f"  note:     {item.note}")
    if item.abstract:
        lines.append("")
        lines.append(item.abstract)
    return "\n".join(lines)


# --- agenda views (pick, drop, agenda --json, clashes, check, settings) ---


def agenda_json(
    program: Program, agenda: Agenda, clashes: list[Clash], changes: list[Change], zone: str
) -> dict[str, Any]:
    """``agenda --json``: {"items", "clashes", "changes"} (schema in README "Agenda JSON")."""
    from planner.agenda import covered_by

    by_id = program.item_map()
    covering = covered_by(program, agenda)
    items = [
        _pick_json(pick, by_id.get(pick.id), covering.get(pick.id), zone) for pick in agenda.picks
    ]
    items += [_event_json(event, zone) for event in agenda.events]
    items.sort(key=lambda entry: (entry["start"] is None, entry["_at"], entry["id"]))
    for entry in items:
        del entry["_at"]
    return {
        "changes": [change.as_json() for change in changes],
        "clashes": [clash.as_json() for clash in clashes],
        "items": items,
    }


def _pick_json(pick: Pick, item: Item | None, cover: str | None, zone: str) -> dict[str, Any]:
    shown = item if item is not None else pick.snapshot
    status = "vanished" if item is None else ("covered" if cover else "picked")
    return {
        "_at": shown.start,
        "covered_by": cover,
        "end": local_iso(shown.end, zone),
        "estimated": bool(item and item.estimated),
        "id": pick.id,
        "kind": item.kind if item is not None else None,
        "picked_at": local_iso(pick.picked_at, zone),
        "room": shown.room,
        "sequence": pick.sequence,
        "start": local_iso(shown.start, zone),
        "status": status,
        "title": shown.title,
    }


def _event_json(event: PersonalEvent, zone: str) -> dict[str, Any]:
    return {
        "_at": event.start,
        "covered_by": None,
        "end": local_iso(event.end, zone),
        "estimated": False,
        "id": event.id,
        "kind": "personal",
        "room": event.location,
        "sequence": 0,
        "start": local_iso(event.start, zone),
        "status": "personal",
        "title": event.title,
    }


def clashes_text(clashes: list[Clash]) -> str:
    if not clashes:
        return "No clashes."
    lines = [f"{clash.kind:<18} {clash.minutes:>4} min  {clash.message}" for clash in clashes]
    noun = "clash" if len(clashes) == 1 else "clashes"
    return "\n".join([*lines, f"{len(clashes)} {noun}"])


def findings_text(program: Program, findings: list[Finding]) -> str:
    if not findings:
        return f"No problems found in {program.id}."
    lines = [f"{f.severity:<8} {f.kind:<20} {f.message}" for f in findings]
    errors = sum(1 for f in findings if f.severity == "error")
    lines.append(f"{errors} errors, {len(findings) - errors} warnings in {program.id}")
    return "\n".join(lines)


def settings_text(settings: Settings, program: Program) -> str:
    if program.walk_minutes is not None:
        walk_note = f"not used: {program.id} gives {program.walk_minutes} minutes between rooms"
    else:
        walk_note = "minutes to walk between two different rooms"
    if program.walk_table:
        walk_note += f"; the program's walking table ({len(program.walk_table)} pairs) comes first"
    alarm = "none" if settings.alarm_minutes is None else str(settings.alarm_minutes)
    return "\n".join(
        [
            f"walk_minutes:  {settings.walk_minutes} ({walk_note})",
            f"alarm_minutes: {alarm} (default reminder before each exported event)",
        ]
    )


# --- planner refresh ---

_HOW = {
    "fetched": "fetched a new copy",
    "not-modified": "the server says it has not changed",
    "cached": "the server could not be reached: the copy kept is used",
    "read": "read it again",
}


def refresh_text(report: RefreshReport) -> str:
    """What `planner refresh` prints: the program's delta, the picks' changes, new clashes."""
    from planner.current import shown

    program = report.program
    lines = [f"Refreshed {program.id} from {shown(report.source)}: {_HOW[report.how]}."]
    delta = report.delta
    size = f"{len(program.items)} item{'s' if len(program.items) != 1 else ''}"
    if delta is None:
        lines.append(f"Program: {size} (the first refresh: nothing to compare with)")
    else:
        lines.append(
            f"Program: {len(delta.added)} added, {len(delta.removed)} removed since the last "
            f"refresh ({size})"
        )
    if report.changes:
        picks = len({change.id for change in report.changes})
        lines.append(f"Your picks: {picks} changed since you last confirmed them")
        lines.extend(f"  {change.id}: {change.message}" for change in report.changes)
        lines.append(
            "Pick a changed talk again to confirm it; drop a vanished one to remove it (until "
            "then the export marks it cancelled)."
        )
    else:
        lines.append("Your picks: no changes")
    heading = "Clashes in your agenda" if delta is None else "New clashes since the last refresh"
    if report.new_clashes:
        lines.append(f"{heading}:")
        lines.extend(f"  {clash.message}" for clash in report.new_clashes)
    else:
        lines.append(f"{heading}: none")
    return "\n".join(lines)


def refresh_json(report: RefreshReport) -> dict[str, Any]:
    """``refresh --json`` (schema in README "Following a live conference")."""
    delta = report.delta
    return {
        "program": report.program.id,
        "source": report.source,
        "how": report.how,
        "items": len(report.program.items),
        "added": None if delta is None else sorted(item.id for item in delta.added),
        "removed": None if delta is None else sorted(item.id for item in delta.removed),
        "changes": [change.as_json() for change in report.changes],
        "new_clashes": [clash.as_json() for clash in report.new_clashes],
    }
