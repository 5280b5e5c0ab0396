"""Text and JSON views of core data for the command line; pure functions, no click, no printing.

The JSON shapes here are the documented, stable machine output (README "JSON output"):
sorted keys, times as ISO 8601 with a numeric offset in the display zone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
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
# The room column is at least this wide, so that listings keep their layout from day to day;
# a longer name widens it. Only on a terminal too narrow for anything else is a room cut,
# and then to no fewer characters than MIN_ROOM_WIDTH.
ROOM_WIDTH = 16
MIN_ROOM_WIDTH = 8
MIN_TITLE_WIDTH = 10  # a title cut shorter than this no longer says what the talk is
_TALK_GUTTER = 2 + 1 + 2  # the indent, the space after the room, the two before the title
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
        "track": item.track,
        "language": item.language,
    }
    if full:
        data["abstract"] = item.abstract
    return data


def time_range(start: datetime | None, end: datetime | None, zone: str) -> str:
    """``23:45-00:45+1``, or "time TBA"."""
    return text.time_range(start, end, zone, tba=TBA)


def day_heading(day: date, first: datetime, zone: str) -> str:
    """A conference day's heading; the offset is the one of its first item's start."""
    offset = timezones.format_offset(timezones.to_zone(first, zone))
    return f"{day:%A %d %B %Y} (times in {zone}, UTC{offset})"


def talks_text(program: Program, items: Iterable[Item], zone: str, width: int | None = None) -> str:
    """The program grouped by conference day: time range, room, id, title; children indented.

    Columns are as wide as their widest value; with a ``width`` (the terminal's) only the
    titles are cut to fit, and the rooms too when nothing else would fit.
    """
    from planner.days import ConferenceDays

    days = ConferenceDays(program, zone)
    tree = program.tree
    rows = [(item, "  " * tree.depth(item, MAX_SHOWN_DEPTH) + item.id) for item in items]
    if not rows:
        return "No items match."
    spans = [
        time_range(item.start, item.end, zone) + (ESTIMATED_MARK if item.estimated else " ")
        for item, _ in rows
    ]
    rooms = [item.room or "-" for item, _ in rows]
    columns = TalkColumns.fitting(spans, rooms, [label for _, label in rows], width)
    lines: list[str] = []
    current_day: object = ()
    for (item, label), span, room in zip(rows, spans, rooms, strict=True):
        day = days.day_of(item.start) if item.start else None
        if day != current_day:
            if lines:
                lines.append("")
            heading = day_heading(day, item.start, zone) if day and item.start else None
            lines.append(heading or "Time to be announced")
            current_day = day
        lines.append(columns.line(span, room, label, item.title))
    if any(item.estimated for item, _ in rows):
        lines.append("")
        lines.append(f"{ESTIMATED_MARK} time or room estimated (`planner show ID` says why)")
    return "\n".join(lines)


@dataclass(frozen=True)
class TalkColumns:
    """The widths of a listing's columns: time, room, id; the title takes what is left.

    Ids are never cut (they are what ``pick`` takes); an id longer than MAX_ID_WIDTH runs
    over into its own line's title rather than widening every line.
    """

    span: int
    room: int
    id: int
    width: int | None  # the terminal's; None: no limit (output into a pipe or a file)

    @classmethod
    def fitting(
        cls, spans: list[str], rooms: list[str], labels: list[str], width: int | None
    ) -> TalkColumns:
        span = max(14, *(len(shown) + 1 for shown in spans))  # "22:30-00:00+1~" needs 15
        ident = min(max(len(label) for label in labels), MAX_ID_WIDTH)
        widest_room = max(len(room) for room in rooms)
        room = max(widest_room, ROOM_WIDTH)
        if width is not None:
            left = width - _TALK_GUTTER - span - ident - MIN_TITLE_WIDTH
            if left < room:  # narrow: the padding goes first, then the ends of room names
                room = max(left, min(widest_room, MIN_ROOM_WIDTH))
        return cls(span=span, room=room, id=ident, width=width)

    def line(self, span: str, room: str, label: str, title: str) -> str:
        start = (
            f"  {span:<{self.span}}{text.cut(room, self.room):<{self.room}} {label:<{self.id}}  "
        )
        if self.width is not None:
            title = text.cut(title, max(self.width - len(start), MIN_TITLE_WIDTH))
        return start + title


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
    if item.track:
        lines.append(f"  track:    {item.track}")
    if item.language:
        lines.append(f"  language: {item.language}")
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
    if status == "picked" and pick.maybe:
        status = "backup"
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
    real = sum(1 for clash in clashes if clash.kind != "backup")
    summary = f"{real} clash" if real == 1 else f"{real or 'No'} clashes"
    backups = len(clashes) - real
    if backups:
        summary += f"; {backups} backup{'s' if backups != 1 else ''} overlapping a pick"
    return "\n".join([*lines, summary])


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
        lines.extend(f"  {change.name}: {change.message}" for change in report.changes)
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
