"""Finding items in a program: id lookup by exact id or unique prefix, and filters."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date

from planner import timezones
from planner.errors import NotFoundError
from planner.model import Item, Program, sort_key


def resolve_id(program: Program, text: str) -> Item:
    """The item whose id is ``text``, or the one item whose id starts with it (any case)."""
    by_id = program.item_map()
    if text in by_id:
        return by_id[text]
    lowered = text.lower()
    exact = [item for key, item in by_id.items() if key.lower() == lowered]
    if len(exact) == 1:
        return exact[0]
    matches = [item for key, item in by_id.items() if key.lower().startswith(lowered)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(sorted(item.id for item in matches)[:8])
        raise NotFoundError(f"id {text!r} is ambiguous in {program.id}: it could be {names}")
    close = difflib.get_close_matches(lowered, [key.lower() for key in by_id], n=3, cutoff=0.4)
    lower_to_id = {key.lower(): key for key in by_id}
    hint = f"; closest: {', '.join(lower_to_id[c] for c in close)}" if close else ""
    raise NotFoundError(f"no item {text!r} in {program.id}{hint}; `planner talks` lists the ids")


def filter_items(
    program: Program,
    *,
    zone: str,
    day: date | None = None,
    room: str | None = None,
    kind: str | None = None,
    search: str | None = None,
) -> list[Item]:
    """Items matching every given filter, in program order (parents before their children)."""
    items: Iterable[Item] = ordered(program)
    if day is not None:
        items = [
            i for i in items if i.start is not None and timezones.local_date(i.start, zone) == day
        ]
    if room:
        wanted = room.lower()
        items = [i for i in items if i.room and wanted in i.room.lower()]
    if kind:
        items = [i for i in items if i.kind == kind]
    if search:
        needle = search.lower()
        items = [i for i in items if _matches(i, needle)]
    return list(items)


def _matches(item: Item, needle: str) -> bool:
    return (
        needle in item.title.lower()
        or any(needle in speaker.lower() for speaker in item.speakers)
        or needle in item.abstract.lower()
    )


def ordered(program: Program) -> list[Item]:
    """Items by start time, each container followed by its children."""
    children = program.children_map()
    result: list[Item] = []

    def visit(item: Item) -> None:
        result.append(item)
        for child in sorted(children.get(item.id, ()), key=sort_key):
            visit(child)

    by_id = program.item_map()
    for item in sorted(program.items, key=sort_key):
        if item.parent is None or item.parent not in by_id:
            visit(item)
    return result


def depth(item: Item, by_id: dict[str, Item]) -> int:
    level = 0
    seen = {item.id}
    while item.parent is not None and item.parent in by_id and item.parent not in seen:
        item = by_id[item.parent]
        seen.add(item.id)
        level += 1
    return level
