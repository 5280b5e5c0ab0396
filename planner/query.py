"""Finding items in a program: id lookup by exact id or unique prefix, and filters."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from planner.days import ConferenceDays
from planner.errors import FilterError, NotFoundError
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


@dataclass(frozen=True)
class Wanted:
    """What a listing asks for; every field left empty matches everything.

    ``day`` is a conference day (planner/days.py) as seen in the display zone. ``tracks`` and ``languages`` match the
    item's own exactly, in any case; several of one are alternatives (``--track A --track B``).
    """

    day: date | None = None
    room: str | None = None
    kind: str | None = None
    search: str | None = None
    tracks: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


def filter_items(program: Program, wanted: Wanted, *, zone: str) -> list[Item]:
    """Items matching every given filter, in program order (parents before their children).

    A track or language the program does not have is a FilterError naming those it has."""
    items: list[Item] = program.items
    if wanted.day is not None:
        days = ConferenceDays(program, zone)
        items = [i for i in items if i.start is not None and days.day_of(i.start) == wanted.day]
    if wanted.room:
        needle = wanted.room.lower()
        items = [i for i in items if i.room and needle in i.room.lower()]
    if wanted.kind:
        items = [i for i in items if i.kind == wanted.kind]
    if wanted.tracks:
        items = _labelled(program, items, wanted.tracks, "track", lambda item: item.track)
    if wanted.languages:
        items = _labelled(program, items, wanted.languages, "language", lambda i: i.language)
    if wanted.search:
        needle = wanted.search.lower()
        items = [i for i in items if _matches(i, needle)]
    return ordered(items)


def _labelled(
    program: Program,
    items: list[Item],
    asked: tuple[str, ...],
    what: str,
    label_of: Callable[[Item], str | None],
) -> list[Item]:
    """The items whose track (or language) is one of ``asked``, in any case."""
    known = {label.casefold(): label for item in program.items if (label := label_of(item))}
    for text in asked:
        if text.casefold() not in known:
            raise FilterError(_unknown_label(program, text, what, sorted(known.values())))
    wanted = {text.casefold() for text in asked}
    return [item for item in items if (label := label_of(item)) and label.casefold() in wanted]


def _unknown_label(program: Program, text: str, what: str, known: list[str]) -> str:
    if not known:
        return f"{program.id} gives no item a {what}; leave out --{what}"
    lowered = {label.casefold(): label for label in known}
    close = difflib.get_close_matches(text.casefold(), list(lowered), n=3, cutoff=0.5)
    hint = f"closest: {', '.join(lowered[c] for c in close)}" if close else _listing(what, known)
    return f"no {what} {text!r} in {program.id}; {hint}"


def _listing(what: str, known: list[str], shown: int = 12) -> str:
    more = f", ... ({len(known)} in all)" if len(known) > shown else ""
    return f"its {what}s: {', '.join(known[:shown])}{more}"


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
