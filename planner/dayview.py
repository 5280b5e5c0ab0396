"""The terminal day view of an agenda: pure functions from data to text.

A time gutter down the left, one line per pick with its room, free gaps between
picks, clash and change notes under the pick they concern. The caller decides the
width (the terminal's) and whether to colour (a terminal, NO_COLOR unset); nothing
here looks at the environment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from planner.agenda import (
    Agenda,
    Change,
    Snapshot,
    covered_by,
    exported_items,
    vanished_picks,
)
from planner.clashes import Clash
from planner.days import ConferenceDays
from planner.model import Item, Program
from planner.present import ESTIMATED_MARK, day_heading, time_range
from planner.text import cut

Style = Literal[
    "time", "room", "id", "title", "mine", "clash", "change", "added", "dim", "heading", "plain"
]
SGR: dict[str, str] = {
    "time": "1",
    "room": "36",
    "id": "2",
    "title": "",
    "mine": "35",
    "clash": "1;31",
    "change": "33",
    "added": "32",
    "dim": "2",
    "heading": "1;4",
    "plain": "",
}
GUTTER = 15  # "23:00-01:00+1~" and a space
ROOM_MAX = 16
MIN_TITLE_COLUMN = 24
COMPACT_ROOM_MAX = 12
ID_MAX = 24
SEPARATOR = "  "
ESTIMATED_LEGEND = f"{ESTIMATED_MARK} time or room estimated (`planner show ID` says why)"
EMPTY = "Nothing picked yet: `planner pick ID` adds a talk (ids from `planner talks`)."


@dataclass(frozen=True)
class Note:
    style: Style
    text: str


@dataclass
class Row:
    """One line of the view and the notes printed under it."""

    id: str
    title: str
    start: datetime | None
    end: datetime | None
    room: str | None
    estimated: bool = False
    mine: bool = False  # a personal event
    covered: bool = False  # a pick inside a picked session, shown under it
    notes: list[Note] = field(default_factory=list)
    day: date | None = None  # the conference day it is listed under (planner/days.py)


@dataclass
class DayView:
    title: str
    zone: str
    rows: list[Row]  # timed rows in display order, covered picks right after their session
    tba: list[Row]
    vanished: list[Row]
    clash_count: int
    change_count: int
    # A view of something other than the agenda (a proposed plan) brings its own last lines
    # and its own words for an empty day.
    footer: list[list[Segment]] | None = None
    empty: str = EMPTY


def build_day_view(
    program: Program, agenda: Agenda, clashes: list[Clash], changes: list[Change], zone: str
) -> DayView:
    by_id = program.item_map()
    rows: dict[str, Row] = {}
    covering = covered_by(program, agenda)
    for item in exported_items(program, agenda):
        rows[item.id] = _item_row(item)
    for event in agenda.events:
        rows[event.id] = Row(
            event.id, event.title, event.start, event.end, event.location, mine=True
        )
    for clash in clashes:
        _add_clash_notes(rows, clash)
    for backup in {pick.id for pick in agenda.picks if pick.maybe} & rows.keys():
        if not any(note.text.startswith("backup for ") for note in rows[backup].notes):
            rows[backup].notes.insert(0, Note("dim", "backup"))
    for pick_id, cover in covering.items():
        if pick_id in by_id:
            row = _item_row(by_id[pick_id], covered=True)
            row.notes.append(Note("dim", f"covered by {cover}"))
            rows[pick_id] = row
    vanished = [_vanished_row(pick.id, pick.snapshot) for pick in vanished_picks(program, agenda)]
    for change in changes:
        if change.id in rows:
            rows[change.id].notes.append(Note("change", f"since you picked: {change.message}"))
    ordered = sorted(rows.values(), key=_row_order)
    days = ConferenceDays(program, zone)
    for row in ordered:
        row.day = days.day_of(row.start) if row.start is not None else None
    return DayView(
        title=f"{program.name}: your agenda",
        zone=zone,
        rows=[row for row in ordered if row.start is not None],
        tba=[row for row in ordered if row.start is None],
        vanished=vanished,
        clash_count=sum(1 for clash in clashes if clash.kind != "backup"),
        change_count=len(changes),
    )


def _item_row(item: Item, *, covered: bool = False) -> Row:
    return Row(
        item.id, item.title, item.start, item.end, item.room, item.estimated, covered=covered
    )


def _vanished_row(pick_id: str, snapshot: Snapshot) -> Row:
    row = Row(pick_id, snapshot.title, snapshot.start, snapshot.end, snapshot.room)
    row.notes.append(
        Note("change", f"no longer in the program; `planner drop {pick_id}` removes it")
    )
    return row


def _row_order(row: Row) -> tuple[bool, datetime | None, bool, str]:
    # A covered pick that starts with its session comes right after it.
    return (row.start is None, row.start, row.covered, row.id)


def _add_clash_notes(rows: dict[str, Row], clash: Clash) -> None:
    first, second = clash.items
    if clash.kind == "backup":  # not a clash: what the backup stands beside
        for entry_id, text in ((first, f"backup for {second}"), (second, f"backup: {first}")):
            if entry_id in rows:
                rows[entry_id].notes.append(Note("dim", text))
        return
    maybe = " (possible: estimated)" if clash.estimated else ""
    minutes = f"{clash.minutes} min"
    if clash.kind == "room_change":
        texts = {
            first: f"{minutes} short for the walk to {second}{maybe}",
            second: f"{minutes} short for the walk from {first}{maybe}",
        }
    else:
        texts = {
            first: f"clashes with {second}: {minutes} overlap{maybe}",
            second: f"clashes with {first}: {minutes} overlap{maybe}",
        }
    for entry_id, text in texts.items():
        if entry_id in rows:
            rows[entry_id].notes.append(Note("clash", text))


# --- rendering ---------------------------------------------------------------------------

Segment = tuple[str, Style]


def render_day_view(view: DayView, *, width: int, color: bool) -> str:
    """The view as text at most ``width`` columns wide, with ANSI colours when ``color``."""
    width = max(width, 30)
    lines: list[list[Segment]] = [[(view.title, "heading")]]
    if not view.rows and not view.tba and not view.vanished:
        lines.append([(view.empty, "plain")])
        return _paint_all(lines, width, color)
    columns = Columns.fitting(view.rows + view.tba + view.vanished, width)
    for day, rows in _by_day(view.rows):
        heading = day_heading(day, rows[0].start, view.zone)  # type: ignore[arg-type]
        lines.extend([[], [(heading, "heading")]])
        lines.extend(_day_lines(rows, view.zone, columns))
    for heading, extra in (
        ("Time to be announced", view.tba),
        ("No longer in the program", view.vanished),
    ):
        if extra:
            lines.append([])
            lines.append([(heading, "heading")])
            for row in extra:
                lines.extend(_row_lines(row, view.zone, columns))
    lines.extend(_summary(view) if view.footer is None else [[], *view.footer])
    return _paint_all(lines, width, color)


def _by_day(rows: list[Row]) -> Iterable[tuple[date, list[Row]]]:
    days: dict[date, list[Row]] = {}
    for row in rows:
        days.setdefault(row.day, []).append(row)  # type: ignore[arg-type]
    return sorted(days.items())


def _day_lines(rows: list[Row], zone: str, columns: Columns) -> list[list[Segment]]:
    lines: list[list[Segment]] = []
    busy_until: datetime | None = None
    for row in rows:
        if busy_until is not None and row.start > busy_until and not row.covered:  # type: ignore[operator]
            lines.append(_gap_line(busy_until, row.start, zone))  # type: ignore[arg-type]
        lines.extend(_row_lines(row, zone, columns))
        if not row.covered and (busy_until is None or row.end > busy_until):  # type: ignore[operator]
            busy_until = row.end
    return lines


def _gap_line(start: datetime, end: datetime, zone: str) -> list[Segment]:
    minutes = int((end - start).total_seconds() // 60)
    length = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
    free = f"free {time_range(start, end, zone)} ({length})"
    return [(f"{'·':^{GUTTER - 1}} ", "dim"), (free, "dim")]


def _row_lines(row: Row, zone: str, columns: Columns) -> list[list[Segment]]:
    mark = ESTIMATED_MARK if row.estimated else ""
    gutter = (time_range(row.start, row.end, zone) + mark).ljust(GUTTER)
    room = cut(row.room or "-", columns.room).ljust(columns.room)
    title_style: Style = "dim" if row.covered else ("mine" if row.mine else "title")
    marker = "↳ " if row.covered else ""
    pad = " " * (GUTTER + (2 if row.covered else 0))
    if columns.compact:
        # Too narrow for a title column: the title gets its own line under the time.
        main_short: list[Segment] = [(gutter, "time"), (room, "room"), (SEPARATOR, "plain")]
        lines = [[*main_short, (row.id, "id")], [(pad, "plain"), (marker + row.title, title_style)]]
        return lines + _note_lines(row, pad)
    title = cut(marker + row.title, columns.title).ljust(columns.title)
    main: list[Segment] = [
        (gutter, "dim" if row.covered else "time"),
        (room, "room"),
        (SEPARATOR, "plain"),
        (title, title_style),
        (SEPARATOR, "plain"),
        (row.id, "id"),
    ]
    return [main, *_note_lines(row, pad)]


def _note_lines(row: Row, pad: str) -> list[list[Segment]]:
    return [[(pad, "plain"), (_marker(note) + note.text, note.style)] for note in row.notes]


def _marker(note: Note) -> str:
    return {"clash": "! ", "change": "* ", "added": "+ "}.get(note.style, "  ")


@dataclass(frozen=True)
class Columns:
    """Widths of the room and title columns, so that the ids line up and lines fit."""

    room: int
    title: int
    compact: bool = False

    @classmethod
    def fitting(cls, rows: list[Row], width: int) -> Columns:
        room = min(max((len(row.room or "-") for row in rows), default=1), ROOM_MAX)
        room = max(room, 4)
        longest_id = min(max((len(row.id) for row in rows), default=0), ID_MAX)
        longest_title = max((len(row.title) + 2 for row in rows), default=0)
        room_left = width - GUTTER - room - 2 * len(SEPARATOR) - longest_id
        if room_left < MIN_TITLE_COLUMN:
            return cls(room=min(room, COMPACT_ROOM_MAX), title=0, compact=True)
        return cls(room=room, title=min(longest_title, room_left))


def _summary(view: DayView) -> list[list[Segment]]:
    lines: list[list[Segment]] = [[]]
    if view.clash_count:
        noun = "clash" if view.clash_count == 1 else "clashes"
        lines.append([(f"! {view.clash_count} {noun}; `planner clashes` lists them", "clash")])
    else:
        lines.append([("No clashes.", "plain")])
    if view.change_count:
        noun = "change" if view.change_count == 1 else "changes"
        lines.append(
            [
                (
                    f"* {view.change_count} {noun} since you picked (`planner pick ID` confirms one)",
                    "change",
                )
            ]
        )
    if any(row.estimated for row in view.rows + view.tba):
        lines.append([(ESTIMATED_LEGEND, "dim")])
    return lines


def _fit(segments: list[Segment], width: int) -> list[Segment]:
    """Cut a line to ``width`` characters, keeping its colours."""
    fitted: list[Segment] = []
    room = width
    for text, style in segments:
        if room <= 0:
            break
        if len(text) > room:
            text = cut(text, room)
        fitted.append((text, style))
        room -= len(text)
    return fitted


def _paint_all(lines: list[list[Segment]], width: int, color: bool) -> str:
    return "\n".join(_paint(_fit(line, width), color).rstrip() for line in lines)


def _paint(segments: list[Segment], color: bool) -> str:
    parts = []
    for text, style in segments:
        code = SGR.get(style, "")
        if color and code and text.strip():
            parts.append(f"\x1b[{code}m{text}\x1b[0m")
        else:
            parts.append(text)
    return "".join(parts)
