"""frab / Pentabarf ``schedule.xml`` (pretalx, frab, wafer, FOSDEM, CCC) to a Program.

Schema: ``c3voc-schedule.xml.xsd``; real files stray from it, and ``vocschedule``
holds the rules for those strays (offsets, local starts, days past midnight, ids).

The XML is untrusted: a file that declares entities is refused before it is parsed,
so nested-entity bombs never expand and external entities are never fetched. The
prolog is read by expat on its own, stopping at the first element, then
ElementTree parses the whole file in one C-speed pass.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from planner.errors import ProgramError
from planner.model import Program
from planner.sources import SourceContext
from planner.sources.common import program_id
from planner.sources.vocschedule import DayFrame, Event, ScheduleBuilder, event_label

_PROLOG_CHUNK = 64 * 1024
_DECLARED_ENCODING = re.compile(rb"""(<\?xml[^>]*?\bencoding\s*=\s*["'])([A-Za-z0-9._-]+)(["'])""")


def parse(data: bytes, context: SourceContext) -> Program:
    root = read_xml(data)
    if root.tag != "schedule":
        raise ProgramError(
            f"the root element is <{root.tag}>, not <schedule>; not a frab schedule.xml"
        )
    conference = root.find("conference")
    if conference is None:
        raise ProgramError("no <conference> element; not a frab schedule.xml")
    header = {child.tag: (child.text or "").strip() for child in conference}
    builder = ScheduleBuilder(context, header.get("time_zone_name"), "time_zone_name")
    for index, day in enumerate(root.iterfind("day"), start=1):
        _read_day(builder, day, index, header.get("day_change"))
        day.clear()  # frees the day's elements now: peak memory stays near the tree's own
    acronym = header.get("acronym")
    name = header.get("title") or acronym or context.stem
    return builder.finish(program_id(acronym, context.stem), name, header.get("venue") or None)


def read_xml(data: bytes) -> ET.Element:
    """The root element of ``data``; entity declarations and malformed XML are refused."""
    if data[:1].isspace():
        data = data.lstrip()  # generated files often start with a blank line: XML forbids it
    # planner.sources hands every parser UTF-8, converting Latin-1 or UTF-16 files first,
    # so a declaration that still names the old encoding would garble the text.
    declared = _DECLARED_ENCODING.match(data, 0, 200)
    if declared is not None and declared.group(2).lower() not in (b"utf-8", b"utf8"):
        data = declared.group(1) + b"utf-8" + declared.group(3) + data[declared.end() :]
    _refuse_entity_declarations(data)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise ProgramError(f"not well-formed XML ({_describe(exc)})") from None


class _PrologRead(Exception):
    """The first element began: the prolog, where a DTD would be, is over."""


class _EntityDeclared(Exception):
    pass


def _refuse_entity_declarations(data: bytes) -> None:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def on_entity(name: str, is_parameter: int, *_: object) -> None:
        raise _EntityDeclared(name)

    def on_element(*_: object) -> None:
        raise _PrologRead

    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_element
    try:
        for offset in range(0, len(data), _PROLOG_CHUNK):
            parser.Parse(data[offset : offset + _PROLOG_CHUNK], False)
        parser.Parse(b"", True)
    except _PrologRead:
        return
    except _EntityDeclared as exc:
        raise ProgramError(
            f"declares the XML entity {exc.args[0]!r} (line {parser.CurrentLineNumber}); "
            "planner refuses entity declarations, which can expand without bound or read "
            "other files; export the schedule again without a DTD"
        ) from None
    except expat.ExpatError:
        return  # malformed: ElementTree reports it with its line and column


def _describe(exc: ET.ParseError) -> str:
    line, column = exc.position
    reason = str(exc).split(":", 1)[0]
    if reason == "no element found":
        reason = "the file is empty or cut off"
    return f"{reason} at line {line}, column {column + 1}"


def _read_day(
    builder: ScheduleBuilder, day: ET.Element, index: int, day_change: str | None
) -> None:
    label = f"<day {day.get('index') or index}>"
    frame = builder.day_frame(day.get("date"), day.get("start"), day.get("end"), label, day_change)
    for room in day.iterfind("room"):
        room_name = (room.get("name") or "").strip()
        builder.add_room(room_name)
        for event in room.iterfind("event"):
            builder.add(_event(event, frame, room_name, f"{label}, room {room_name!r}"))


def _event(event: ET.Element, frame: DayFrame, room_name: str, where: str) -> Event:
    # One pass over the children: this runs for every event of programs with tens of thousands.
    texts = {child.tag: child.text for child in event}
    title = texts.get("title")
    number = event.get("id")
    label = event_label(number, title, where)
    return Event(
        label=label,
        ident=event.get("guid") or number or texts.get("slug"),
        title=title,
        speakers=_speakers(event) if "persons" in texts else [],
        kind=texts.get("type"),
        subtitle=texts.get("subtitle"),
        abstract=texts.get("abstract"),
        description=texts.get("description"),
        url=texts.get("url"),
        room=room_name or texts.get("room"),
        day=frame,
        start=texts.get("start"),
        date=texts.get("date"),
        duration=texts.get("duration"),
        end=texts.get("end"),
    )


def _speakers(event: ET.Element) -> list[str]:
    return [person.text or "" for person in event.iterfind("persons/person")]
