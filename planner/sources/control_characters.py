"""Control characters out of every text a program file brings in.

A title such as ``"Talk\\x1b]0;pwned\\x07"`` would otherwise reach the attendee's terminal
through ``planner talks`` and set its title, ring its bell or erase its screen. Every
loader's result passes through here once (``planner.sources.parse``), so no format needs
its own rule, and ``check`` reports what was removed. The set is the one the .ics export
removes (``planner.text.CONTROL_CLASS``); the string rules themselves are in planner/text.py.
"""

from __future__ import annotations

import re

from planner.model import Item, Program
from planner.text import has_controls, without_controls

__all__ = ["json_certainly_clean", "remove_control_characters"]

_ITEM_TEXTS = ("id", "title", "abstract", "room", "parent", "url", "note")
_ITEM_LISTS = ("speakers", "related")
_SHOWN_IDS = 5


_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
# A JSON escape that may stand for a control character or a surrogate (tab and line feed
# included, so this errs on the side of the full check).
_CONTROL_ESCAPE = re.compile(rb"\\u(?:00[01]|007[fF]|00[89]|[dD][89a-fA-F])")


def json_certainly_clean(data: bytes) -> bool:
    """True when no string in these UTF-8 JSON bytes can hold a control character.

    Three scans of the raw bytes take half the time of walking every text of a 20,000-item
    program; a file that fails them (a CRLF line end is enough) gets the full check.
    """
    return (
        len(data.translate(None, _CONTROL_BYTES)) == len(data)
        and _C1_IN_UTF8.search(data) is None
        and _CONTROL_ESCAPE.search(data) is None
    )


def remove_control_characters(program: Program) -> Program:
    """The program with control characters removed from its texts, and a note saying where."""
    if not _has_control(_program_texts(program) + _all_item_texts(program.items)):
        return program  # the common case, checked at the speed of str.translate
    changed_items = [item for item in program.items if _has_control(_item_texts(item))]
    program_level = _has_control(_program_texts(program))
    data = program.model_dump()
    data["name"] = without_controls(data["name"])
    data["venue"] = data["venue"] and without_controls(data["venue"])
    data["notes"] = [without_controls(note) for note in data["notes"]]
    for room in data["rooms"]:
        room["name"] = without_controls(room["name"])
        room["building"] = room["building"] and without_controls(room["building"])
    for walk in data["walk_table"]:
        walk["between"] = [without_controls(name) for name in walk["between"]]
    for item in data["items"]:
        _clean_item(item)
    data["notes"].append(_note(program, changed_items, program_level))
    return Program.model_validate(data)  # cleaned ids may now repeat: validation says so


def _clean_item(item: dict) -> None:
    for name in _ITEM_TEXTS:
        if item[name] is not None:
            item[name] = without_controls(item[name])
    for name in _ITEM_LISTS:
        item[name] = [without_controls(entry) for entry in item[name]]


def _has_control(texts: list[str]) -> bool:
    return has_controls("\n".join(texts))


def _item_texts(item: Item) -> list[str]:
    texts = [getattr(item, name) or "" for name in _ITEM_TEXTS]
    return texts + [entry for name in _ITEM_LISTS for entry in getattr(item, name)]


def _all_item_texts(items: list[Item]) -> list[str]:
    texts: list[str] = []
    for item in items:
        texts.extend((item.id, item.title, item.abstract, item.room or "", item.parent or ""))
        texts.extend((item.url or "", item.note or "", *item.speakers, *item.related))
    return texts


def _program_texts(program: Program) -> list[str]:
    texts = [program.name, program.venue or "", *program.notes]
    texts += [text for room in program.rooms for text in (room.name, room.building or "")]
    return texts + [name for walk in program.walk_table for name in walk.between]


def _note(program: Program, items: list[Item], program_level: bool) -> str:
    where = []
    if items:
        ids = ", ".join(without_controls(item.id) for item in items[:_SHOWN_IDS])
        more = f" and {len(items) - _SHOWN_IDS} more" if len(items) > _SHOWN_IDS else ""
        where.append(f"{len(items)} item{'s' if len(items) > 1 else ''} ({ids}{more})")
    if program_level:
        where.append("the program's name, rooms or venue")
    return (
        "removed control characters (terminal escapes, bells, NULs, unpaired surrogates) "
        f"from {' and '.join(where)}"
    )
