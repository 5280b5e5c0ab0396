"""Text and JSON views of core data for the command line; pure functions, no click, no printing.

The JSON shapes here are the documented, stable machine output (README "JSON output"):
sorted keys, times as ISO 8601 with a numeric offset in the display zone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from planner import timezones
from planner.model import Item, Program
from planner.query import depth

ESTIMATED_MARK = "~"
TBA = "time TBA"


def dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)


def local_iso(moment: datetime | None, zone: str) -> str | None:
    return None if moment is None else timezones.iso(timezones.to_zone(moment, zone))


def item_json(item: Item, zone: str, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
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
    if start is None or end is None:
        return TBA
    local_start, local_end = timezones.to_zone(start, zone), timezones.to_zone(end, zone)
    suffix = ""
    if local_end.date() != local_start.date():
        days = (local_end.date() - local_start.date()).days
        suffix = f"+{days}"
    return f"{local_start:%H:%M}-{local_end:%H:%M}{suffix}"


def day_heading(day: datetime, zone: str) -> str:
    return f"{day:%A %d %B %Y} (times in {zone}, UTC{timezones.format_offset(day)})"


def talks_text(program: Program, items: Iterable[Item], zone: str) -> str:
    """The program grouped by local day: time range, room, id, title; children indented."""
    by_id = program.item_map()
    lines: list[str] = []
    current_day = None
    any_estimated = False
    for item in items:
        day = timezones.to_zone(item.start, zone).date() if item.start else None
        if day != current_day or not lines:
            if lines:
                lines.append("")
            heading = (
                day_heading(timezones.to_zone(item.start, zone), zone)  # type: ignore[arg-type]
                if day
                else "Time to be announced"
            )
            lines.append(heading)
            current_day = day
        mark = ESTIMATED_MARK if item.estimated else " "
        any_estimated = any_estimated or item.estimated
        indent = "  " * depth(item, by_id)
        span = time_range(item.start, item.end, zone) + mark
        room = item.room or "-"
        lines.append(f"  {span:<14}{room:<16.16} {indent}{item.id:<16} {item.title}")
    if not lines:
        return "No items match."
    if any_estimated:
        lines.append("")
        lines.append(f"{ESTIMATED_MARK} time or room estimated (`planner show ID` says why)")
    return "\n".join(lines)


def show_text(program: Program, item: Item, zone: str) -> str:
    by_id = program.item_map()
    lines = [f"{item.title}", f"  id:       {item.id} ({item.kind})"]
    if item.start is not None:
        start = timezones.to_zone(item.start, zone)
        lines.append(f"  when:     {start:%a %d %b %Y} {time_range(item.start, item.end, zone)} ({zone})")
    else:
        lines.append(f"  when:     {TBA}")
    lines.append(f"  room:     {item.room or 'unknown'}")
    if item.speakers:
        lines.append(f"  speakers: {', '.join(item.speakers)}")
    if item.parent and item.parent in by_id:
        lines.append(f"  part of:  {item.parent} ({by_id[item.parent].title})")
    children = program.children_map().get(item.id, [])
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
