"""c3voc ``schedule.json`` (pretalx's and frab's JSON export) to a Program.

Schema: ``c3voc-schedule.schema.json``. The shape is
``schedule.conference.days[].rooms{room name: [events]}``; ``vocschedule`` holds
the event rules it shares with frab's XML (the instant in ``date`` wins over
``time_zone_name``, which stays the display zone, and ``check`` reports any
disagreement).
"""

from __future__ import annotations

import json
from typing import Any

from planner.errors import ProgramError
from planner.model import Program
from planner.sources import SourceContext
from planner.sources.common import program_id
from planner.sources.vocschedule import DayFrame, Event, ScheduleBuilder, event_label


def parse(data: bytes, context: SourceContext) -> Program:
    document = _load_json(data)
    schedule = _member(document, "schedule", dict, "the file")
    conference = _member(schedule, "conference", dict, "schedule")
    days = _member(conference, "days", list, "schedule.conference")
    zone_name = _optional_text(conference, "time_zone_name", "schedule.conference")
    builder = ScheduleBuilder(context, zone_name, "time_zone_name")
    for room in conference.get("rooms") or []:
        if isinstance(room, dict) and isinstance(room.get("name"), str):
            builder.add_room(room["name"].strip())
    for index, day in enumerate(days):
        _read_day(builder, day, f"schedule.conference.days[{index}]")
    acronym = _optional_text(conference, "acronym", "schedule.conference")
    title = _optional_text(conference, "title", "schedule.conference")
    return builder.finish(program_id(acronym, context.stem), title or acronym or context.stem)


def _load_json(data: bytes) -> Any:
    try:
        # Decoded here: json.loads(bytes) guesses UTF-16/32 from NUL bytes; planner.sources
        # has already made the bytes UTF-8.
        return json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise ProgramError(
            f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise ProgramError(f"not valid JSON ({exc})") from None


def _read_day(builder: ScheduleBuilder, day: Any, where: str) -> None:
    if not isinstance(day, dict):
        raise ProgramError(f"{where}: expected a day object, found {_kind(day)}")
    rooms = _member(day, "rooms", dict, where)
    frame = builder.day_frame(
        _optional_text(day, "date", where),
        _optional_text(day, "day_start", where),
        _optional_text(day, "day_end", where),
        where,
    )
    for room_name, events in rooms.items():
        room_where = f"{where}.rooms[{room_name!r}]"
        if not isinstance(events, list):
            raise ProgramError(f"{room_where}: expected a list of events, found {_kind(events)}")
        builder.add_room(room_name.strip())
        for position, event in enumerate(events):
            builder.add(_event(event, frame, room_name.strip(), f"{room_where}[{position}]"))


_TEXT_FIELDS = (
    "id",
    "guid",
    "slug",
    "title",
    "type",
    "subtitle",
    "abstract",
    "description",
    "url",
    "room",
    "start",
    "date",
    "duration",
    "end",
)


def _event(event: Any, frame: DayFrame, room_name: str, where: str) -> Event:
    if not isinstance(event, dict):
        raise ProgramError(f"{where}: expected an event object, found {_kind(event)}")
    # One lookup per field and one type check for them all: this runs for every event.
    text = {key: event.get(key) for key in _TEXT_FIELDS}
    for key, value in text.items():
        if value is not None and type(value) is not str:
            text[key] = _as_text(value, key, event_label(None, None, where))
    number = text["id"]
    label = event_label(number, text["title"], where)
    return Event(
        label=label,
        ident=text["guid"] or number or text["slug"],
        title=text["title"],
        speakers=_speakers(event.get("persons"), label),
        kind=text["type"],
        subtitle=text["subtitle"],
        abstract=text["abstract"],
        description=text["description"],
        url=text["url"],
        room=room_name or text["room"],
        day=frame,
        start=text["start"],
        date=text["date"],
        duration=text["duration"],
        end=text["end"],
    )


def _speakers(persons: Any, where: str) -> list[str]:
    """Names from persons given as objects (``public_name`` or ``name``) or as plain strings."""
    if persons is None:
        return []
    if not isinstance(persons, list):
        raise ProgramError(f"{where}: persons should be a list, found {_kind(persons)}")
    names = []
    for person in persons:
        if isinstance(person, str):
            names.append(person)
        elif isinstance(person, dict):
            name = person.get("public_name") or person.get("name") or person.get("full_public_name")
            if isinstance(name, str):
                names.append(name)
    return names


def _member(holder: Any, key: str, kind: type, where: str) -> Any:
    if not isinstance(holder, dict):
        raise ProgramError(f"{where}: expected an object, found {_kind(holder)}")
    if key not in holder:
        raise ProgramError(f"{where} has no {key!r}; not a c3voc schedule.json")
    value = holder[key]
    if not isinstance(value, kind):
        wanted = "an object" if kind is dict else "a list"
        raise ProgramError(f"{where}.{key}: expected {wanted}, found {_kind(value)}")
    return value


def _optional_text(holder: dict, key: str, where: str) -> str | None:
    value = holder.get(key)
    if value is None or isinstance(value, str):
        return value
    return _as_text(value, key, where)


def _as_text(value: Any, key: str, where: str) -> str:
    """Numbers are fine where text is expected (pretalx writes ``id`` as a number)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ProgramError(f"{where}: {key} should be text, found {_kind(value)}")


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")
