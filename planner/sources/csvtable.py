"""CSV for hand-made programs (README "CSV programs").

The first row names the columns: ``title,start,end,room`` are required (a room cell may be
empty), ``id,kind,speakers,abstract,session,url`` optional, in any order and any case.
Rows are numbered as a spreadsheet shows them: the header is row 1.

- ``start``/``end``: ISO 8601 (``2024-06-10T10:00+02:00``, or ``2024-06-10 10:00`` with
  ``--program-tz``); an ``end`` of just ``HH:MM`` means that time on the start's day (the
  next day when it is earlier than the start). Both empty: time to be announced.
- ``speakers``: separated by ``;``. ``kind``: one of planner's kinds (default talk).
- ``session``: the id or title of a row of kind ``session`` that holds this row; when no
  row has it, a session spanning its rows is made (and noted).
- ``id``: else one is made from the title and first speaker (never from time or room, so
  a moved talk keeps its id); a repeated id gets "-2", "-3", ... and a note.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from planner import timezones
from planner.errors import ProgramError
from planner.model import KINDS, Item, Program
from planner.sources.base import SourceContext
from planner.sources.common import IdAllocator, clean_id, program_id, title_id
from planner.text import html_to_text, slugify

REQUIRED = ("title", "start", "end", "room")
OPTIONAL = ("id", "kind", "speakers", "abstract", "session", "url")
_CLOCK_ONLY = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    item: Item | None = None

    @property
    def where(self) -> str:
        return f"row {self.number}"


def parse(data: bytes, context: SourceContext) -> Program:
    notes = list(context.notes)
    rows = _read_rows(data.decode("utf-8"), notes)
    ids = IdAllocator(notes)
    items = [_item(row, context.zone, ids, notes) for row in rows]
    items.extend(_sessions(rows, ids, notes))
    zone = context.zone or timezones.zone_from_offsets(
        (item.start for item in items if item.start is not None), notes
    )
    return Program(
        id=program_id(context.stem),
        name=context.stem or "Program",
        timezone=zone,
        items=items,
        notes=notes,
    )


# --- reading ---


def _read_rows(text: str, notes: list[str]) -> list[Row]:
    # Python's csv refuses cells over 128 KB; a long abstract may be longer. The whole file is
    # already in memory and capped (planner.sources.MAX_PROGRAM_BYTES), so a cell may be too.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = _header(_next_record(records, 1) or [], notes)
    rows = []
    number = 1
    while (record := _next_record(records, number + 1)) is not None:
        number += 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            raise ProgramError(
                f"row {number} has {len(record)} cells but the header names {len(header)} "
                "columns; quote cells that hold commas"
            )
        cells = {name: value.strip() for name, value in zip(header, record, strict=False)}
        rows.append(Row(number, cells))
    if not rows:
        raise ProgramError("no rows below the header; add one row per talk")
    return rows


def _next_record(records: Iterator[list[str]], number: int) -> list[str] | None:
    try:
        return next(records, None)
    except csv.Error as exc:
        raise ProgramError(f"row {number}: not valid CSV ({exc})") from None


def _header(cells: list[str], notes: list[str]) -> list[str]:
    max_columns = 1000  # a program has a dozen; thousands are a broken or hostile file
    if len(cells) > max_columns:
        raise ProgramError(
            f"row 1 (the header) has {len(cells)} columns; planner reads at most {max_columns} "
            "(a CSV program starts with title,start,end,room)"
        )
    names = [cell.strip().lower() for cell in cells]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise ProgramError(
            f"row 1 (the header) lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}; a CSV program starts with title,start,end,room"
        )
    seen: set[str] = set()
    repeated = sorted({name for name in names if name and (name in seen or seen.add(name))})
    if repeated:
        raise ProgramError(f"row 1 (the header) names {', '.join(repeated)} twice")
    known = set(REQUIRED + OPTIONAL)
    unknown = [name for name in names if name not in known]
    if unknown:
        notes.append(f"ignored the column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
    return names


# --- one row ---


def _item(row: Row, zone: str | None, ids: IdAllocator, notes: list[str]) -> Item:
    cells = row.cells
    title = " ".join(cells.get("title", "").split())
    if not title:
        raise ProgramError(f"{row.where}: no title")
    speakers = [name.strip() for name in cells.get("speakers", "").split(";") if name.strip()]
    start, end = _times(row, zone, notes)
    wanted = clean_id(cells["id"]) if cells.get("id") else title_id(title, speakers)
    row.item = Item(
        id=ids.claim(wanted, row.where),
        kind=_kind(row),  # type: ignore[arg-type]
        title=title,
        speakers=speakers,
        abstract=html_to_text(cells.get("abstract")),
        start=start,
        end=end,
        room=cells.get("room") or None,
        url=cells.get("url") or None,
    )
    return row.item


def _kind(row: Row) -> str:
    kind = row.cells.get("kind", "").lower() or "talk"
    if kind not in KINDS:
        raise ProgramError(f"{row.where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    return kind


def _times(row: Row, zone: str | None, notes: list[str]) -> tuple[datetime | None, datetime | None]:
    start_text, end_text = row.cells.get("start", ""), row.cells.get("end", "")
    if not start_text and not end_text:
        return None, None
    if not (start_text and end_text):
        given = "start" if start_text else "end"
        raise ProgramError(
            f"{row.where}: has a {given} but no {'end' if start_text else 'start'}; give both, "
            "or neither for a time to be announced"
        )
    start = _moment(start_text, "start", row, zone, notes)
    if _CLOCK_ONLY.match(end_text):
        end = _end_on_start_day(end_text, start, row, zone, notes)
    else:
        end = _moment(end_text, "end", row, zone, notes)
    if end < start:
        raise ProgramError(f"{row.where}: ends ({end_text}) before it starts ({start_text})")
    return start, end


def _moment(text: str, column: str, row: Row, zone: str | None, notes: list[str]) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ProgramError(
            f"{row.where}: {column} {text!r} is not a date and time like 2024-06-10T10:00+02:00"
        ) from None
    if value.tzinfo is not None:
        return value
    if zone is None:
        raise ProgramError(
            f"{row.where}: {column} {text!r} has no UTC offset; give --program-tz ZONE "
            "(or write times with an offset, like 2024-06-10T10:00+02:00)"
        )
    moment, remark = timezones.localize(value, zone)
    if remark:
        notes.append(f"{row.where}: {remark}")
    return moment


def _end_on_start_day(
    text: str, start: datetime, row: Row, zone: str | None, notes: list[str]
) -> datetime:
    """An end written as a clock time: that time on the start's local day, or the next day."""
    clock = _clock(text, row)
    if zone is not None:
        local_start = timezones.to_zone(start, zone)
        day = local_start.date() + timedelta(days=clock < local_start.time())
        moment, remark = timezones.localize(datetime.combine(day, clock), zone)
        if remark:
            notes.append(f"{row.where}: {remark}")
        return moment
    # No zone: the start's own offset is the only one the row gives.
    day = start.date() + timedelta(days=clock < start.time())
    return datetime.combine(day, clock, tzinfo=start.tzinfo)


def _clock(text: str, row: Row) -> time:
    try:
        return time(*(int(part) for part in text.split(":")))
    except ValueError:
        raise ProgramError(f"{row.where}: end {text!r} is not a clock time like 17:30") from None


# --- sessions ---


def _sessions(rows: list[Row], ids: IdAllocator, notes: list[str]) -> list[Item]:
    """Attach rows to the sessions they name; make the sessions no row defines."""
    sessions = {row.item.id: row for row in rows if row.item and row.item.kind == "session"}
    by_title = {row.item.title.casefold(): row for row in sessions.values() if row.item}
    made: dict[str, list[Row]] = {}
    for row in rows:
        name = row.cells.get("session", "")
        if not name or row.item is None:
            continue
        holder = sessions.get(name) or by_title.get(name.casefold())
        if holder is None:
            made.setdefault(name, []).append(row)
            continue
        if holder is row:
            raise ProgramError(f"{row.where}: names itself as its session")
        _attach(row, holder.item, holder.where)  # type: ignore[arg-type]
    return [_made_session(name, members, ids, notes) for name, members in made.items()]


def _attach(row: Row, session: Item, session_where: str) -> None:
    item = row.item
    if item is None:
        return
    if (
        item.start is not None
        and session.start is not None
        and (
            item.start < session.start or item.end > session.end  # type: ignore[operator]
        )
    ):
        raise ProgramError(
            f"{row.where}: {item.title!r} lies outside its session {session.title!r} "
            f"({session_where}); fix the times or the session column"
        )
    item.parent = session.id


def _made_session(name: str, members: list[Row], ids: IdAllocator, notes: list[str]) -> Item:
    items = [row.item for row in members if row.item is not None]
    timed = [item for item in items if item.start is not None]
    rooms = {item.room for item in items}
    session = Item(
        id=ids.claim(slugify(name) or "session", members[0].where),
        kind="session",
        title=name,
        start=min(item.start for item in timed) if timed else None,  # type: ignore[type-var]
        end=max(item.end for item in timed) if timed else None,  # type: ignore[type-var]
        room=rooms.pop() if len(rooms) == 1 else None,
    )
    for item in items:
        item.parent = session.id
    rows = ", ".join(str(row.number) for row in members[:5]) + (", ..." if len(members) > 5 else "")
    notes.append(
        f"no row defines session {name!r} (named in rows {rows}); made it, spanning its talks, "
        f"as {session.id!r}"
    )
    return session
