"""The timetable as data: which items go on which day, in which room column, where and how tall.

``html.py`` only renders what this module decides, so the geometry (a block's top and
length in minutes, its lane, what is nested in what) can be tested without parsing HTML.
All arithmetic on instants happens in UTC: subtracting two wall-clock times of one zone
would ignore a DST change between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from planner import timezones
from planner.agenda import Agenda
from planner.days import ConferenceDays
from planner.model import Item, PersonalEvent, Program, sort_key

ROOM_NOT_GIVEN = "Room not given"
MY_EVENTS = "My events"
PERSONAL_KIND = "personal"
MIN_BLOCK_MINUTES = 5  # a zero-length item still gets a block one can see


class ClashLike(Protocol):
    """What the timetable reads of a ``planner.clashes.Clash``."""

    kind: str
    items: tuple[str, str]
    minutes: int
    estimated: bool
    message: str


@dataclass(frozen=True)
class ClashNote:
    """One clash as seen from one of its two items."""

    other_id: str
    other_title: str
    kind: str
    minutes: int
    estimated: bool
    message: str


@dataclass
class Block:
    id: str
    title: str
    kind: str  # the program item's kind, or "personal"
    start: datetime  # in the display zone
    end: datetime
    top: int  # minutes from the top of the enclosing grid or container
    length: int  # minutes
    picked: bool  # the attendee picked this very item
    in_pick: bool  # inside a session or tutorial the attendee picked
    estimated: bool
    note: str | None
    speakers: tuple[str, ...]
    place: str | None  # a personal event's location, or a nested item's own room
    context: str | None  # the session around a pick shown without it
    clashes: tuple[ClashNote, ...]
    anchor: str | None = None  # id of the item's entry in the details list
    track: str | None = None
    track_colour: int | None = None  # the track's place in the program's sorted tracks
    lane: int = 0
    lanes: int = 1
    children: list[Block] = field(default_factory=list)


@dataclass
class Column:
    name: str
    personal: bool
    blocks: list[Block]


@dataclass
class Day:
    date: date
    start: datetime  # the top of the grid, a whole local hour, in the display zone
    minutes: int  # grid height, whole hours
    hours: list[tuple[int, str]]  # (minutes from the top, local "HH:MM") for each hour line
    columns: list[Column]


@dataclass
class Listed:
    """An item listed as text: to be announced, or with its abstract."""

    item: Item
    picked: bool
    anchor: str


@dataclass
class Timetable:
    program_name: str
    zone: str
    exported: datetime
    show_all: bool
    pick_count: int
    event_count: int
    days: list[Day]
    tba: list[Listed]
    details: list[Listed]
    vanished: list[str]  # titles of picks no longer in the program
    clash_lines: list[str]
    item_count: int = 0  # program items on the page
    filtered: bool = False  # narrowed to some days or rooms (export --day / --room)
    # The tracks of the items on the page, each with its place in the program's sorted
    # tracks: a track keeps its colour on every page of one program.
    tracks: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class _Context:
    """What every step of building blocks needs to look up."""

    program: Program
    zone: str
    by_id: dict[str, Item]
    children: dict[str, list[Item]]
    pick_ids: frozenset[str]
    shown: set[str]
    notes: dict[str, list[ClashNote]]
    anchors: dict[str, str]
    days: ConferenceDays
    track_colours: dict[str, int]


def build(
    program: Program,
    agenda: Agenda,
    *,
    zone: str,
    now: datetime,
    show_all: bool,
    clashes: Sequence[ClashLike],
    only: frozenset[str] | None = None,
) -> Timetable:
    """Lay out the agenda (or with ``show_all`` the whole program, picks highlighted).

    ``only``: the ids of the items the page may show (a day's or a room's, for a page of a
    big program that a browser can still open); personal events are always shown.
    """
    by_id = program.item_map()
    # A backup beside a pick is no clash (planner pick --maybe): the page marks only clashes.
    clashes = [clash for clash in clashes if clash.kind != "backup"]
    pick_ids = frozenset(pick.id for pick in agenda.picks)
    shown = _shown_items(program, pick_ids, show_all)
    if only is not None:
        shown = [item for item in shown if item.id in only]
    listed = [item for item in sorted(shown, key=sort_key) if item.abstract or not item.announced]
    anchors = {item.id: f"about-{number}" for number, item in enumerate(listed, start=1)}
    titles = _titles(program, agenda)
    context = _Context(
        program=program,
        zone=zone,
        by_id=by_id,
        children=program.children_map(),
        pick_ids=pick_ids,
        shown={item.id for item in shown},
        notes=_clash_notes(clashes, titles),
        anchors=anchors,
        days=ConferenceDays(program, zone),
        track_colours=track_colours(program),
    )
    timed = [item for item in shown if item.announced]
    return Timetable(
        program_name=program.name,
        zone=zone,
        exported=timezones.to_zone(now, zone),
        show_all=show_all,
        pick_count=len(agenda.picks),
        event_count=len(agenda.events),
        days=_days(context, timed, agenda.events),
        tba=[_listed(context, item) for item in listed if not item.announced],
        details=[_listed(context, item) for item in listed if item.abstract],
        vanished=[pick.snapshot.title for pick in agenda.picks if pick.id not in by_id],
        clash_lines=[_clash_line(clash, titles) for clash in clashes],
        item_count=len(shown),
        filtered=only is not None,
        tracks=_page_tracks(context, shown),
    )


def track_colours(program: Program) -> dict[str, int]:
    """Each track of the program and its place among them, sorted in any case."""
    names = sorted({item.track for item in program.items if item.track}, key=str.casefold)
    return {name: place for place, name in enumerate(names)}


def _page_tracks(context: _Context, shown: list[Item]) -> list[tuple[str, int]]:
    names = {item.track for item in shown if item.track}
    return sorted(((name, context.track_colours[name]) for name in names), key=lambda p: p[1])


def _shown_items(program: Program, pick_ids: frozenset[str], show_all: bool) -> list[Item]:
    """Everything with ``show_all``; else the picks and what picked sessions contain."""
    if show_all:
        return list(program.items)
    children = program.children_map()
    shown: dict[str, Item] = {}
    waiting = [item for item in program.items if item.id in pick_ids]
    while waiting:
        item = waiting.pop()
        if item.id not in shown:
            shown[item.id] = item
            waiting.extend(children.get(item.id, ()))
    return list(shown.values())


def _titles(program: Program, agenda: Agenda) -> dict[str, str]:
    titles = {item.id: item.title for item in program.items}
    titles.update((event.id, event.title) for event in agenda.events)
    return titles


def _clash_notes(
    clashes: Iterable[ClashLike], titles: dict[str, str]
) -> dict[str, list[ClashNote]]:
    notes: dict[str, list[ClashNote]] = {}
    for clash in clashes:
        first, second = clash.items
        for own, other in ((first, second), (second, first)):
            note = ClashNote(
                other_id=other,
                other_title=titles.get(other, other),
                kind=clash.kind,
                minutes=clash.minutes,
                estimated=clash.estimated,
                message=clash.message,
            )
            notes.setdefault(own, []).append(note)
    return notes


def _clash_line(clash: ClashLike, titles: dict[str, str]) -> str:
    first, second = (titles.get(item_id, item_id) for item_id in clash.items)
    return f"“{first}” and “{second}”: {clash.message}"


def _listed(context: _Context, item: Item) -> Listed:
    return Listed(item=item, picked=item.id in context.pick_ids, anchor=context.anchors[item.id])


def _days(context: _Context, timed: list[Item], events: list[PersonalEvent]) -> list[Day]:
    """One grid per conference day (planner/days.py), the day its items and events start on."""
    day_of = context.days.day_of
    by_day: dict[date, tuple[list[Item], list[PersonalEvent]]] = {}
    for item in timed:
        by_day.setdefault(day_of(item.start), ([], []))[0].append(item)  # type: ignore[arg-type]
    for event in events:
        by_day.setdefault(day_of(event.start), ([], []))[1].append(event)
    return [_day(context, day, *by_day[day]) for day in sorted(by_day)]


def _day(context: _Context, day: date, items: list[Item], events: list[PersonalEvent]) -> Day:
    top_level = [item for item in items if not _nests(context, item, day)]
    starts = [item.start for item in top_level] + [event.start for event in events]
    grid_start = _floor_to_local_hour(min(starts), context.zone)  # type: ignore[type-var]
    columns = _room_columns(context, top_level, grid_start, day)
    if events:
        blocks = [_event_block(context, event, grid_start) for event in events]
        columns.append(Column(name=MY_EVENTS, personal=True, blocks=_in_lanes(blocks)))
    span = max(block.top + block.length for column in columns for block in column.blocks)
    minutes = -(-span // 60) * 60  # whole hours, so the last hour line closes the grid
    return Day(
        date=day,
        start=timezones.to_zone(grid_start, context.zone),
        minutes=minutes,
        hours=_hour_lines(grid_start, minutes, context.zone),
        columns=columns,
    )


def _nests(context: _Context, item: Item, day: date) -> bool:
    """True when the item is drawn inside its parent's block rather than on its own."""
    parent = context.by_id.get(item.parent or "")
    return (
        parent is not None
        and parent.id in context.shown
        and parent.start is not None
        and context.days.day_of(parent.start) == day
    )


def _floor_to_local_hour(moment: datetime, zone: str) -> datetime:
    """The instant the local hour containing ``moment`` began (odd offsets such as +05:30 too)."""
    local = timezones.to_zone(moment, zone)
    into_hour = timedelta(minutes=local.minute, seconds=local.second)
    return timezones.to_utc(moment) - into_hour - timedelta(microseconds=local.microsecond)


def _minutes_between(start: datetime, end: datetime) -> int:
    elapsed = timezones.to_utc(end) - timezones.to_utc(start)
    return round(elapsed.total_seconds() / 60)


def _hour_lines(grid_start: datetime, minutes: int, zone: str) -> list[tuple[int, str]]:
    lines = []
    for offset in range(0, minutes + 1, 60):
        local = timezones.to_zone(grid_start + timedelta(minutes=offset), zone)
        lines.append((offset, f"{local:%H:%M}"))
    return lines


def _room_columns(
    context: _Context, items: list[Item], grid_start: datetime, day: date
) -> list[Column]:
    """One column per room used that day, in the program's room order; unknown rooms last."""
    by_room: dict[str | None, list[Item]] = {}
    for item in items:
        by_room.setdefault(item.room, []).append(item)
    order: list[str | None] = [room.name for room in context.program.rooms if room.name in by_room]
    if None in by_room:
        order.append(None)
    columns = []
    for room in order:
        blocks = [_item_block(context, item, grid_start, room, day) for item in by_room[room]]
        name = room or ROOM_NOT_GIVEN
        columns.append(Column(name=name, personal=False, blocks=_in_lanes(blocks)))
    return columns


def _item_block(
    context: _Context, item: Item, origin: datetime, column_room: str | None, day: date
) -> Block:
    ancestors = context.program.tree.ancestors(item.id)
    parent = context.by_id.get(item.parent or "")
    nested = [
        child
        for child in context.children.get(item.id, [])
        if child.id in context.shown and child.start is not None and _nests(context, child, day)
    ]
    block = Block(
        id=item.id,
        title=item.title,
        kind=item.kind,
        start=timezones.to_zone(item.start, context.zone),  # type: ignore[arg-type]
        end=timezones.to_zone(item.end, context.zone),  # type: ignore[arg-type]
        top=_minutes_between(origin, item.start),  # type: ignore[arg-type]
        length=max(MIN_BLOCK_MINUTES, item.minutes or 0),
        picked=item.id in context.pick_ids,
        in_pick=not context.pick_ids.isdisjoint(ancestors),
        estimated=item.estimated,
        note=item.note,
        speakers=tuple(item.speakers),
        place=item.room if item.room != column_room else None,
        context=parent.title if parent is not None and not _nests(context, item, day) else None,
        clashes=tuple(context.notes.get(item.id, ())),
        anchor=context.anchors.get(item.id),
        track=item.track,
        track_colour=context.track_colours.get(item.track) if item.track else None,
    )
    children = [_item_block(context, child, item.start, item.room, day) for child in nested]  # type: ignore[arg-type]
    block.children = _in_lanes(children)
    return block


def _event_block(context: _Context, event: PersonalEvent, origin: datetime) -> Block:
    return Block(
        id=event.id,
        title=event.title,
        kind=PERSONAL_KIND,
        start=timezones.to_zone(event.start, context.zone),
        end=timezones.to_zone(event.end, context.zone),
        top=_minutes_between(origin, event.start),
        length=max(MIN_BLOCK_MINUTES, _minutes_between(event.start, event.end)),
        picked=True,
        in_pick=False,
        estimated=False,
        note=None,
        speakers=(),
        place=event.location,
        context=None,
        clashes=tuple(context.notes.get(event.id, ())),
    )


def _in_lanes(blocks: list[Block]) -> list[Block]:
    """Side-by-side lanes for blocks that overlap in one column, like a calendar's day view.

    Each block takes the first free lane; every block of a group of overlapping blocks
    shares that group's lane count, so their widths line up.
    """
    ordered = sorted(blocks, key=lambda block: (block.top, -block.length, block.id))
    group: list[Block] = []
    lane_ends: list[int] = []
    for block in ordered:
        if group and block.top >= max(lane_ends):
            _close_group(group, len(lane_ends))
            group, lane_ends = [], []
        free = [lane for lane, end in enumerate(lane_ends) if end <= block.top]
        if free:
            block.lane = free[0]
            lane_ends[free[0]] = block.top + block.length
        else:
            block.lane = len(lane_ends)
            lane_ends.append(block.top + block.length)
        group.append(block)
    if group:
        _close_group(group, len(lane_ends))
    return ordered


def _close_group(group: list[Block], lanes: int) -> None:
    for block in group:
        block.lanes = lanes
