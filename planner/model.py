"""The program model: what every loader produces and everything downstream reads.

Pydantic v2 models with validation that names the offending item. No file I/O,
no click, no formatting for people.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Container, Iterable
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from planner import timezones
from planner.errors import ZoneError
from planner.text import dated_span

Kind = Literal[
    "talk",
    "paper",
    "session",
    "tutorial",
    "keynote",
    "break",
    "social",
    "registration",
    "poster",
    "other",
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]
CONTAINER_KINDS = frozenset({"session", "tutorial"})
# Version 2 added items' track and language, and the program's days and day_change; version 3
# the program's former_ids. An older file reads as it is (every new field is optional).
FORMAT_VERSION = 3
PROGRAM_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
ProgramId = Annotated[str, Field(min_length=1, pattern=PROGRAM_ID_PATTERN)]
# Minutes to walk between two rooms when neither the program nor the attendee says.
DEFAULT_WALK_MINUTES = 5


def check_kind(text: str) -> str:
    """``text`` if it names one of planner's kinds, else a PlannerError listing them."""
    from planner.errors import PlannerError

    if text not in KINDS:
        raise PlannerError(f"kind {text!r} is not one of {', '.join(KINDS)}")
    return text


@lru_cache(maxsize=8192)
def _parse_moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _moment_from_text(value: object) -> object:
    # Programs repeat the same few start times thousands of times; parsing each distinct
    # string once (datetimes are immutable) makes loading a big program several times faster
    # than pydantic's own datetime parsing.
    if isinstance(value, str):
        return _parse_moment(value)
    if (
        isinstance(value, datetime)
        and value.tzinfo is not None
        and not isinstance(value.tzinfo, timezone)
    ):
        # Two datetimes sharing one zone object compare by wall clock, so a fall-back night
        # would sort wrongly; a fixed offset always compares as the instant.
        return timezones.with_fixed_offset(value)
    return value


# Written with a numeric offset everywhere (pydantic would write UTC as "Z"), so files and
# --json read the same way.
Moment = Annotated[
    AwareDatetime,
    BeforeValidator(_moment_from_text),
    PlainSerializer(datetime.isoformat, when_used="json"),
]


# defer_build: a model's validator is built on its first validation, not at import. A command
# that reads a program from the parsed-program cache validates nothing, and saves the build.


class Room(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str = Field(min_length=1)
    building: str | None = None


class WalkTime(BaseModel):
    """Minutes to walk between two named rooms or buildings, either way."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    between: tuple[str, str]
    minutes: int = Field(ge=0, le=24 * 60)


class Item(BaseModel):
    """One thing in the program: a talk, a session holding talks, a break, ...

    List fields use ``default_factory``: a ``[]`` default is deep-copied for every item,
    which made loading a 20,000-item program a fifth slower.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: str = Field(min_length=1)
    # The format's long stable id (a frab/c3voc GUID) where ``id`` is the conference's short
    # one: accepted wherever an id is, what calendar UIDs are made of, and what agendas made
    # before short ids were keyed by. Unique in a program, like ``id``.
    guid: str | None = None
    kind: Kind = "talk"
    title: str = Field(min_length=1)
    speakers: list[str] = Field(default_factory=list)
    abstract: str = ""
    start: Moment | None = None
    end: Moment | None = None
    room: str | None = None
    parent: str | None = None
    related: list[str] = Field(default_factory=list)
    url: str | None = None
    estimated: bool = False
    note: str | None = None
    track: str | None = None
    language: str | None = None

    @model_validator(mode="after")
    def _times_make_sense(self) -> Item:
        if (self.start is None) != (self.end is None):
            raise ValueError(
                f"item {self.id!r} has only one of start and end; give both, "
                "or neither for a time to be announced"
            )
        if self.start is not None and self.end < self.start:  # type: ignore[operator]
            raise ValueError(
                f"item {self.id!r} ends ({self.end.isoformat()}) before it starts "  # type: ignore[union-attr]
                f"({self.start.isoformat()})"
            )
        if self.start is not None:
            _check_span(f"item {self.id!r}", self.start, self.end)  # type: ignore[arg-type]
        return self

    @property
    def announced(self) -> bool:
        """False for a "time to be announced" item."""
        return self.start is not None

    @property
    def minutes(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return int((self.end - self.start).total_seconds() // 60)


class PersonalEvent(BaseModel):
    """Something the attendee adds to their own agenda (lunch with a friend)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    start: Moment
    end: Moment
    location: str | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> PersonalEvent:
        if self.end < self.start:
            raise ValueError(f"personal event {self.title!r} ends before it starts")
        _check_span(f"personal event {self.title!r}", self.start, self.end)
        return self


# An item longer than this is a broken file (a DURATION of P99999999W), not a conference item.
MAX_ITEM_DAYS = 31


def _check_span(what: str, start: datetime, end: datetime) -> None:
    """Refuse times outside the supported years (timezones.SUPPORTED_YEARS) and items that
    last more than MAX_ITEM_DAYS days."""
    for moment in (start, end):
        if not timezones.in_supported_years(moment):
            raise ValueError(
                f"{what} is at {moment.isoformat()}, outside the {timezones.SUPPORTED_YEARS} "
                "planner supports"
            )
    if end - start > timedelta(days=MAX_ITEM_DAYS):
        raise ValueError(
            f"{what} lasts {(end - start).days} days; planner reads items of at most "
            f"{MAX_ITEM_DAYS} days (split it, or check its end or duration)"
        )


class ConferenceDay(BaseModel):
    """One day as the program's file gives it: its date and the instants it runs between
    (a congress day from 10:00 to 04:00 the next morning holds the night's items)."""

    model_config = ConfigDict(extra="forbid")

    date: date
    start: Moment
    end: Moment

    @model_validator(mode="after")
    def _ends_after_start(self) -> ConferenceDay:
        if self.end <= self.start:
            raise ValueError(
                f"day {self.date.isoformat()} ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})"
            )
        _check_span(f"day {self.date.isoformat()}", self.start, self.end)
        return self


class Program(BaseModel):
    """A whole conference program in one timezone."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    format: Literal["planner-program"] = "planner-program"
    version: int = FORMAT_VERSION
    id: ProgramId
    name: str = Field(min_length=1)
    timezone: str
    venue: str | None = None
    rooms: list[Room] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    walk_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    walk_table: list[WalkTime] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    # The conference's days (planner/days.py decides which day an item is shown under), and
    # the local time the day changes at for items outside them (None: the default, 04:00).
    days: list[ConferenceDay] = Field(default_factory=list)
    day_change: time | None = None
    # Ids the program went by before (an .ics calendar was once named by its file): an
    # agenda kept under one of them is this program's (planner/agenda/store.py finds it).
    former_ids: list[ProgramId] = Field(default_factory=list)

    @field_validator("version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version > FORMAT_VERSION:
            from planner import __version__

            raise ValueError(
                f"the program is in format version {version}, newer than planner "
                f"{__version__} reads (up to version {FORMAT_VERSION}); it needs a planner newer "
                f"than {__version__}"
            )
        # An older version reads as it is (its fields are a subset of this one's); it is
        # written back in the current version.
        return FORMAT_VERSION

    @model_validator(mode="after")
    def _consistent(self) -> Program:
        self.former_ids = list(dict.fromkeys(i for i in self.former_ids if i != self.id))
        try:
            self.timezone = timezones.check_zone(self.timezone)
        except ZoneError as exc:
            raise ValueError(str(exc)) from None
        by_id: dict[str, Item] = {}
        guids: set[str] = set()
        for item in self.items:
            if item.id in by_id:
                raise ValueError(f"item id {item.id!r} is used twice; ids must be unique")
            by_id[item.id] = item
            if item.guid is not None:
                if item.guid.lower() in guids:
                    raise ValueError(f"item guid {item.guid!r} is used twice; guids must be unique")
                guids.add(item.guid.lower())
        for item in self.items:
            if item.parent is not None:
                _check_parent(item, by_id)
        _check_no_parent_loops(self.items, by_id)
        known_rooms = {room.name for room in self.rooms}
        for item in self.items:
            if item.room and item.room not in known_rooms:
                known_rooms.add(item.room)
                self.rooms.append(Room(name=item.room))
        return self

    @property
    def tree(self) -> ProgramTree:
        """The items by id and how they nest, built once per program (rebuilt only if
        ``items`` is replaced or grows), so lookups in a loop cost no rebuild."""
        tree: ProgramTree | None = self.__dict__.get(_TREE)
        if tree is None or not tree.describes(self.items):
            tree = ProgramTree(self.items)
            # Beside the fields, not one of them: pydantic compares, copies and dumps fields
            # only, so two equal programs stay equal whether or not one built its tree.
            self.__dict__[_TREE] = tree
        return tree

    def item_map(self) -> dict[str, Item]:
        """Item id -> item (the tree's own map: read it, never change it)."""
        return self.tree.by_id

    def children_map(self) -> dict[str, list[Item]]:
        """Parent id -> its children in program order (the tree's own map: read only)."""
        return self.tree.children

    def building_of(self, room: str | None) -> str | None:
        for candidate in self.rooms:
            if candidate.name == room:
                return candidate.building
        return None


_TREE = "_planner_tree"


class ProgramTree:
    """The program's nesting (parents, children, depth) and its id index, in one place.

    Built in one pass over the items; each item's chain of ancestors is walked once, on
    first use, and kept (the model bounds nesting, so a walk is a few steps).
    """

    def __init__(self, items: list[Item]) -> None:
        self._items, self._count = items, len(items)
        self.by_id: dict[str, Item] = {item.id: item for item in items}
        self.children: dict[str, list[Item]] = {}
        for item in items:
            if item.parent is not None:
                self.children.setdefault(item.parent, []).append(item)
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._prefixes: PrefixIndex | None = None
        self._guids: dict[str, Item] | None = None
        self._guid_prefixes: PrefixIndex | None = None

    def find(self, text: str) -> Item | None:
        """The item whose id, or else whose GUID (any case), is ``text``."""
        found = self.by_id.get(text)
        return found if found is not None else self.by_guid.get(text.lower())

    @property
    def by_guid(self) -> dict[str, Item]:
        """Lowered GUID -> item, built on first use (most commands never look one up)."""
        if self._guids is None:
            self._guids = {}
            for item in self._items:
                if item.guid is not None:
                    self._guids.setdefault(item.guid.lower(), item)
        return self._guids

    def with_guid_prefix(self, lowered: str, limit: int | None = None) -> list[Item]:
        """Items whose lowered GUID starts with ``lowered`` (at most ``limit``)."""
        if self._guid_prefixes is None:
            self._guid_prefixes = PrefixIndex(self.by_guid)
        return [self.by_guid[key] for key in self._guid_prefixes.starting_with(lowered, limit)]

    def describes(self, items: list[Item]) -> bool:
        return items is self._items and len(items) == self._count

    def ancestors(self, item_id: str) -> tuple[str, ...]:
        """Ids of the item's parent, grandparent, ... (nearest first); a loop is cut."""
        found = self._ancestors.get(item_id)
        if found is None:
            found = self._ancestors[item_id] = self._walk_up(item_id)
        return found

    def _walk_up(self, item_id: str) -> tuple[str, ...]:
        chain: list[str] = []
        seen = {item_id}
        current = self.by_id.get(item_id)
        while current is not None and current.parent in self.by_id and current.parent not in seen:
            seen.add(current.parent)  # type: ignore[arg-type]
            chain.append(current.parent)  # type: ignore[arg-type]
            current = self.by_id[current.parent]  # type: ignore[index]
        return tuple(chain)

    def depth(self, item: Item, limit: int | None = None) -> int:
        """How many parents ``item`` has (at most ``limit``)."""
        level = len(self.ancestors(item.id))
        return level if limit is None else min(level, limit)

    def descendants(self, item_id: str) -> list[Item]:
        """Everything nested in the item, at any depth (each once, a loop cut)."""
        found: list[Item] = []
        seen = {item_id}
        waiting = list(self.children.get(item_id, ()))
        while waiting:
            item = waiting.pop()
            if item.id not in seen:
                seen.add(item.id)
                found.append(item)
                waiting.extend(self.children.get(item.id, ()))
        return found

    def with_prefix(self, lowered: str, limit: int | None = None) -> list[Item]:
        """Items whose lowered id starts with ``lowered`` (at most ``limit``), by lowered id:
        an exact match in another case comes first. A sorted index, built on first use."""
        if self._prefixes is None:
            self._prefixes = PrefixIndex(self.by_id)
        return [self.by_id[key] for key in self._prefixes.starting_with(lowered, limit)]


class PrefixIndex:
    """Ids sorted by their lowered form, so that the ids starting with a prefix (any case)
    are found by bisection, not by a scan of every id."""

    def __init__(self, ids: Iterable[str]) -> None:
        self._keys = sorted((key.lower(), key) for key in ids)

    def starting_with(
        self, lowered: str, limit: int | None = None, skip: Container[str] = ()
    ) -> list[str]:
        """Ids whose lowered form starts with ``lowered``, by lowered id (at most ``limit``;
        none of ``skip``, ids taken away since the index was built)."""
        found: list[str] = []
        keys = self._keys
        for position in range(bisect_left(keys, (lowered, "")), len(keys)):
            key, original = keys[position]
            if not key.startswith(lowered) or len(found) == limit:
                break
            if original not in skip:
                found.append(original)
        return found


def _check_parent(item: Item, by_id: dict[str, Item]) -> None:
    parent = by_id.get(item.parent or "")
    if parent is None:
        raise ValueError(
            f"item {item.id!r} names parent {item.parent!r}, which is not in the program"
        )
    if parent.id == item.id:
        raise ValueError(f"item {item.id!r} names itself as its parent")
    if item.start is None or parent.start is None:
        return
    if item.start < parent.start or item.end > parent.end:  # type: ignore[operator]
        raise ValueError(
            f"item {item.id!r} ({_span(item)}) lies outside its parent {parent.id!r} ({_span(parent)})"
        )


# Levels below the top: a talk in a session in a tutorial is level 2; deeper than this is a
# broken or hostile file.
MAX_NESTING = 8


def _check_no_parent_loops(items: list[Item], by_id: dict[str, Item]) -> None:
    """Refuse a -> b -> a, and items more than MAX_NESTING levels below the top (each item's
    chain of parents must reach a top-level item within that many steps)."""
    levels: dict[str, int] = {}  # id -> its level: how many parents it has
    for item in items:
        chain: dict[str, int] = {}  # id -> place in the chain (a dict: fast lookups, in order)
        current: Item | None = item
        while current is not None and current.id not in levels:
            if current.id in chain:
                ids = list(chain)
                loop = " -> ".join([*ids[chain[current.id] :], current.id])
                raise ValueError(
                    f"items form a loop of parents ({loop}); an item cannot lie inside itself"
                )
            chain[current.id] = len(chain)
            current = by_id.get(current.parent) if current.parent is not None else None
        above = -1 if current is None else levels[current.id]
        for place, item_id in enumerate(reversed(chain)):
            levels[item_id] = above + 1 + place
        if levels[item.id] > MAX_NESTING:
            raise ValueError(
                f"item {item.id!r} lies {levels[item.id]} levels below the top (inside "
                f"{item.parent!r}, and so on); planner reads items at most {MAX_NESTING} "
                "levels below the top"
            )


def _span(item: Item) -> str:
    return dated_span(item.start, item.end)  # type: ignore[arg-type]


def sort_key(item: Item) -> tuple[bool, datetime | None, str]:
    """Order items by start, "to be announced" items last, ties by id."""
    return (item.start is None, item.start, item.id)
