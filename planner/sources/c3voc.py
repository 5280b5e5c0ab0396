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
from planner.sources.base import SourceContext
from planner.sources.common import program_id
from planner.sources.vocschedule import (
    DayFrame,
    Event,
    ScheduleBuilder,
    event_label,
    header_clues,
)


def parse(data: bytes, context: SourceContext) -> Program:
    document = _load_json(data)
    schedule = _member(document, "schedule", dict, "the file")
    conference = _member(schedule, "conference", dict, "schedule")
    days = _member(conference, "days", list, "schedule.conference")
    zone_name = _optional_text(conference, "time_zone_name", "schedule.conference")
    builder = ScheduleBuilder(context, zone_name, "time_zone_name")
    day_change = conference.get("day_change")  # frab's JSON export may give one
    builder.set_day_change(day_change if isinstance(day_change, str) else None)
    builder.clues = header_clues(conference)
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
        name = room_name.strip()
        builder.add_room(name)
        for position, event in enumerate(events):
            builder.add(_event(event, frame, name, f"{room_where}[{position}]"))


# The texts ScheduleBuilder reads from an event, by the names both formats give them.
_TEXTS = (
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
_TEXT_TYPES = frozenset({str, type(None)})


def _event(event: Any, frame: DayFrame, room_name: str, where: str) -> Event:
    if not isinstance(event, dict):
        raise ProgramError(f"{where}: expected an event object, found {_kind(event)}")
    number = _text_member(event, "id", where)
    guid = _text_member(event, "guid", where)
    slug = _text_member(event, "slug", where)
    # One type check for all the texts, in C: this runs for every event. The event object
    # serves as the texts when they are all text already, the common case.
    texts = event
    if not _TEXT_TYPES.issuperset(map(type, map(event.get, _TEXTS))):
        texts = {key: _text_member(event, key, where) for key in _TEXTS}
    return Event(
        texts=texts,
        number=number,
        ident=guid or number or slug,
        speakers=_speakers(event.get("persons"), number, texts.get("title"), where),
        room=room_name or texts.get("room"),
        day=frame,
        where=where,
        track=event.get("track"),
        language=event.get("language"),
        guid=guid,
        code=_text_member(event, "code", where),
    )


def _text_member(event: dict, key: str, where: str) -> str | None:
    value = event.get(key)
    if value is None or type(value) is str:
        return value
    if type(value) is int:
        return str(value)  # pretalx writes ids as numbers: the common case of _as_text
    return _as_text(value, key, event_label(None, None, where))


def _speakers(persons: Any, number: str | None, title: str | None, where: str) -> list[str]:
    """Names from persons given as objects (``public_name`` or ``name``) or as plain strings."""
    if persons is None:
        return []
    if not isinstance(persons, list):
        label = event_label(number, title, where)
        raise ProgramError(f"{label}: persons should be a list, found {_kind(persons)}")
    names = []
    for person in persons:
        if isinstance(person, dict):
            name = person.get("public_name") or person.get("name") or person.get("full_public_name")
            if isinstance(name, str):
                names.append(name)
        elif isinstance(person, str):
            names.append(person)
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
