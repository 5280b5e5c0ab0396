"""Helpers the format parsers share: ids and their suffixes, durations, kinds, program ids.

Text clean-up (HTML to text, slugs, control characters) is in planner/text.py, shared with
the exports; the zone guess for files with only UTC offsets is in planner/timezones.py.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from functools import lru_cache

from planner.errors import PlannerError, ProgramError
from planner.text import slugify

# --- building many objects ---


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a parser builds a program, then resumed.

    A parser's objects (parsed text, items) form no reference cycles, yet the collector
    walks every object built so far, again and again as they grow in number: for a
    20,000-item program that was a fifth of the load time. Nothing is left uncollected:
    the collector runs as usual once it is resumed.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# --- ids ---

# Raised when the ids a parser makes change (2: talks sharing a title told apart by GUID or
# slot, not by position): a parsed program cached under the old rules is not reused.
ID_RULES = 2

# A file's own id longer than this (a GUID: 36 characters) is no id to type: planner shows the
# conference's short one and keeps the long one as the item's guid.
LONG_ID = 16
_ID_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def clean_id(text: str) -> str:
    """A file's own id, kept as written when it is already typeable, else slugged."""
    stripped = text.strip()
    if _ID_TEXT.match(stripped) and len(stripped) <= 80:
        return stripped
    return slugify(stripped, max_length=80)


def title_id(title: str, speakers: list[str] | tuple[str, ...] = ()) -> str:
    """An id from what a talk is (title and speakers), never when or where it is."""
    words = title
    if speakers:
        words = f"{title} {speakers[0].split()[-1] if speakers[0].split() else ''}"
    return slugify(words) or "item"


def guid_suffix(guid: str) -> str:
    """What tells apart talks of one title that have GUIDs: their GUID's first hex digits."""
    return re.sub(r"[^0-9a-z]", "", guid.lower())[:6] or "guid"


# Not strftime's %a: that follows the locale, and an id must not.
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def slot_suffix(
    start: datetime | None, room: str | None, zone: str | None, *, room_too: bool
) -> str:
    """What tells apart talks of one title without GUIDs: their day and time ("thu-1100", in
    the program's zone), with the room where two share both; "tba" for a talk with no time."""
    from planner import timezones

    if start is None:
        when = "tba"
    else:
        local = start
        if zone is not None:
            with suppress(PlannerError):
                local = timezones.to_zone(start, zone)
        when = f"{_WEEKDAYS[local.weekday()]}-{local:%H%M}"
    place = slugify(room or "", max_length=24) if room_too else ""
    return f"{when}-{place}" if place else when


class IdAllocator:
    """Hands out unique ids; a repeated id gets "-2", "-3", ... in file order and a note.

    ``notes`` None: no notes, for formats whose ids planner makes up from names (a day page
    names papers after their first author), where a suffix is expected rather than news.
    """

    def __init__(self, notes: list[str] | None) -> None:
        self._taken: set[str] = set()
        self._next_suffix: dict[str, int] = {}
        self._notes = notes

    def taken(self, ident: str) -> bool:
        return ident in self._taken

    def claim(self, wanted: str, where: str | Callable[[], str] = "") -> str:
        """``wanted``, or it with a suffix; ``where`` names the place for the note (a function
        is called only when a note is written: naming each of 20,000 events costs time)."""
        base = wanted or "item"
        if base not in self._taken:
            self._taken.add(base)
            return base
        # Resume where this id's suffixes stopped: 20,000 events sharing one id stay linear.
        number = self._next_suffix.get(base, 2)
        while f"{base}-{number}" in self._taken:
            number += 1
        self._next_suffix[base] = number + 1
        renamed = f"{base}-{number}"
        self._taken.add(renamed)
        if self._notes is None:
            return renamed
        if callable(where):
            where = where()
        place = f" ({where})" if where else ""
        self._notes.append(f"id {base!r} is repeated{place}; renamed it {renamed!r}")
        return renamed


# --- durations ---

_CLOCK_DURATION = re.compile(r"^(\d{1,3}):(\d{2})(?::(\d{2}))?$")


def parse_duration(text: str) -> timedelta:
    """A duration written "HH:MM", "HH:MM:SS" or as plain minutes ("90")."""
    value = text.strip()
    if value.isdigit():
        return timedelta(minutes=int(value))
    match = _CLOCK_DURATION.match(value)
    if match is None:
        raise ProgramError(f"duration {text!r} is not HH:MM or HH:MM:SS")
    hours, minutes, seconds = match.groups()
    if int(minutes) >= 60 or (seconds is not None and int(seconds) >= 60):
        raise ProgramError(f"duration {text!r} has minutes or seconds of 60 or more")
    return timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))


# --- program ids and item kinds ---


def program_id(*candidates: str | None) -> str:
    """The first usable candidate (the conference's own acronym, then the file stem) as an id.

    Never a hash of the content: an updated schedule must keep its id, and so its agenda.
    """
    for candidate in candidates:
        if candidate and candidate.strip():
            ident = clean_id(candidate)
            if ident:
                return ident
    return "program"


# First match wins, so "Invited Talk" is a keynote and "Poster session" a poster. The words
# include frab's and pretalx's types (lecture, podium, lightning_talk, workshop, meeting,
# concert, djset, performance, film) and FOSDEM's (maintrack, devroom, lightningtalk): a panel
# on a stage is listed as a talk, an evening's show as social.
_KIND_WORDS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"keynote", "keynotes", "plenary", "invited"}), "keynote"),
    (frozenset({"tutorial", "tutorials", "workshop", "workshops", "hands"}), "tutorial"),
    (frozenset({"poster", "posters"}), "poster"),
    (frozenset({"break", "lunch", "coffee", "pause", "breakfast"}), "break"),
    (frozenset({"registration", "checkin"}), "registration"),
    (
        frozenset(
            {"social", "party", "reception", "dinner", "meetup", "meeting"}
            | {"concert", "djset", "dj", "performance", "film", "screening"}
        ),
        "social",
    ),
    (frozenset({"session", "sessions"}), "session"),
    (frozenset({"paper", "papers"}), "paper"),
    (
        frozenset({"talk", "talks", "lecture", "lightning", "presentation", "short"})
        | {"podium", "panel", "discussion", "maintrack", "devroom", "lightningtalk"},
        "talk",
    ),
)
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=512)
def kind_from_label(label: str | None, default: str = "talk") -> str:
    """A Kind for a format's own type label ("Lecture" -> talk, "Workshop" -> tutorial).

    An empty label gives ``default``; a label no rule knows gives "other".
    """
    words = set(_WORD.findall((label or "").lower().replace("check-in", "checkin")))
    if not words:
        return default
    for keys, kind in _KIND_WORDS:
        if words & keys:
            return kind
    return "other"
