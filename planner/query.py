"""Finding items in a program: id lookup by exact id or unique prefix, and filters."""

from __future__ import annotations

import difflib
from datetime import date
from typing import NoReturn

from planner import timezones
from planner.errors import NotFoundError
from planner.model import Item, Program, sort_key


def resolve_id(program: Program, text: str) -> Item:
    """The item whose id is ``text``, or the one item whose id starts with it (any case).

    A dict lookup, else a look into the program's sorted index of lowered ids: picking
    thousands of ids costs no scan of the program per id.
    """
    tree = program.tree
    found = tree.find(text)
    if found is not None:
        return found
    lowered = text.lower()
    # The index sorts an exact match in another case first, then the longer ids.
    first = tree.with_prefix(lowered, limit=3)
    same = [item for item in first if item.id.lower() == lowered]
    if len(same) == 1 or len(first) == 1:
        return same[0] if len(same) == 1 else first[0]
    if first:
        _ambiguous(program, text, tree.with_prefix(lowered))
    # A GUID's start, as ids were before short ids (typed from an older export or page).
    by_guid = tree.with_guid_prefix(lowered, limit=2)
    if len(by_guid) == 1:
        return by_guid[0]
    if by_guid:
        _ambiguous(program, text, tree.with_guid_prefix(lowered))
    by_id = tree.by_id
    close = difflib.get_close_matches(lowered, [key.lower() for key in by_id], n=3, cutoff=0.4)
    lower_to_id = {key.lower(): key for key in by_id}
    hint = f"; closest: {', '.join(lower_to_id[c] for c in close)}" if close else ""
    raise NotFoundError(f"no item {text!r} in {program.id}{hint}; `planner talks` lists the ids")


def _ambiguous(program: Program, text: str, matches: list[Item]) -> NoReturn:
    names = ", ".join(sorted(item.id for item in matches)[:8])
    raise NotFoundError(f"id {text!r} is ambiguous in {program.id}: it could be {names}")


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
    items: list[Item] = program.items
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
    return ordered(items)


def _matches(item: Item, needle: str) -> bool:
    # One lowered copy of the item's text: cheaper than lowering each field apart.
    return needle in f"{item.title}\n{chr(10).join(item.speakers)}\n{item.abstract}".lower()


def ordered(items: list[Item]) -> list[Item]:
    """``items`` by start time, each container followed by those of its children in ``items``."""
    shown = {item.id for item in items}
    children: dict[str, list[Item]] = {}
    roots: list[Item] = []
    for item in items:
        if item.parent is not None and item.parent in shown and item.parent != item.id:
            children.setdefault(item.parent, []).append(item)
        else:
            roots.append(item)
    result: list[Item] = []
    stack = sorted(roots, key=sort_key, reverse=True)
    while stack:
        item = stack.pop()
        result.append(item)
        stack.extend(sorted(children.pop(item.id, ()), key=sort_key, reverse=True))
    for orphans in children.values():  # a parent cycle has no root; list its items anyway
        result.extend(sorted(orphans, key=sort_key))
    return result
