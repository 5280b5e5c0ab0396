"""frab / Pentabarf ``schedule.xml`` (pretalx, frab, wafer, FOSDEM, CCC) to a Program.

Schema: ``c3voc-schedule.xml.xsd``; real files stray from it, and ``vocschedule``
holds the rules for those strays (offsets, local starts, days past midnight, ids).

The XML is untrusted: a file that declares entities is refused before it is parsed,
so nested-entity bombs never expand and external entities are never fetched. The
prolog is read by expat on its own, stopping at the first element, then ElementTree
parses the file at C speed, a chunk at a time; each <day> is read as soon as it is
complete and then freed, so the whole tree never stands in memory.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from planner.errors import ProgramError
from planner.model import Program
from planner.sources.base import SourceContext
from planner.sources.common import program_id
from planner.sources.vocschedule import DayFrame, Event, ScheduleBuilder, header_clues

_PROLOG_CHUNK = 64 * 1024
_DECLARED_ENCODING = re.compile(rb"""(<\?xml[^>]*?\bencoding\s*=\s*["'])([A-Za-z0-9._-]+)(["'])""")


def parse(data: bytes, context: SourceContext) -> Program:
    data = _as_utf8_document(data)
    _refuse_entity_declarations(data)
    reader = _ScheduleReader(context)
    elements = ET.iterparse(_GrowingChunks(data))  # each element as soon as it is complete
    try:
        for _, element in elements:
            if element.tag in _SCHEDULE_PARTS:
                reader.take(element)
    except ET.ParseError as exc:
        raise ProgramError(f"not well-formed XML ({_describe(exc)})") from None
    root = elements.root  # type: ignore[attr-defined]
    if not reader.took_only_children_of(root):
        return _parse_tree(data, context)  # a <day> or <conference> deeper in: parse it again
    return reader.finish(root)


class _GrowingChunks:
    """The bytes for iterparse in chunks as large as all that came before (at least 64 KB).

    Expat before 2.6 parses an unfinished token again from its start on every chunk, so a
    190 MB attribute fed in iterparse's 16 KB chunks costs hours; chunks that double keep the
    whole parse linear. Memoryviews: no chunk is copied.
    """

    def __init__(self, data: bytes) -> None:
        self._view = memoryview(data)
        self._at = 0

    def read(self, size: int = -1) -> memoryview:
        step = max(size, self._at, _PROLOG_CHUNK)
        chunk = self._view[self._at : self._at + step]
        self._at += len(chunk)
        return chunk


def _parse_tree(data: bytes, context: SourceContext) -> Program:
    """The schedule read from the whole tree: for files where _parse's guess does not hold."""
    root = ET.fromstring(data)  # well-formed: _parse has parsed it (and freed what it read)
    reader = _ScheduleReader(context)
    for child in root:
        reader.take(child)
    return reader.finish(root)


class _ScheduleReader:
    """Reads <conference> and each <day> (children of <schedule>) in document order.

    While the file is parsed, each <day> and <conference> is read as soon as the parser
    completes it and then freed, so the whole tree never stands in memory. An element
    reports neither its parent nor its depth, so any <day> is taken to be a child of
    <schedule>; ``took_only_children_of`` checks that guess once the root is known.
    A problem in the schedule is raised only by ``finish``, so a file that is also
    malformed is reported as malformed, and one with another root element as that.
    """

    def __init__(self, context: SourceContext) -> None:
        self.context = context
        self.header: dict[str, str] | None = None
        self.builder: ScheduleBuilder | None = None
        self.taken: list[ET.Element] = []
        self.early_days: list[ET.Element] = []  # days before <conference>, read once it ends
        self.problem: ProgramError | None = None
        self.days_read = 0

    def take(self, element: ET.Element) -> None:
        """Read a <day> or <conference> (anything else is passed over)."""
        if self.problem is not None:
            return
        try:
            if element.tag == "day":
                self.taken.append(element)
                if self.builder is None:
                    self.early_days.append(element)
                else:
                    self._read_day(element)
            elif element.tag == "conference" and self.header is None:
                self.taken.append(element)
                self._begin_schedule(element)
        except ProgramError as exc:
            self.problem = exc

    def took_only_children_of(self, root: ET.Element) -> bool:
        children = {id(child) for child in root}
        return all(id(element) in children for element in self.taken)

    def _begin_schedule(self, conference: ET.Element) -> None:
        self.header = {child.tag: (child.text or "").strip() for child in conference}
        self.builder = ScheduleBuilder(
            self.context, self.header.get("time_zone_name"), "time_zone_name"
        )
        self.builder.set_day_change(self.header.get("day_change"))
        self.builder.clues = header_clues(self.header)
        for day in self.early_days:
            self._read_day(day)
        self.early_days.clear()

    def _read_day(self, day: ET.Element) -> None:
        self.days_read += 1
        _read_day(self.builder, day, self.days_read, self.header.get("day_change"))  # type: ignore[arg-type, union-attr]
        day.clear()  # frees the day's elements now: memory holds one day of the tree

    def finish(self, root: ET.Element) -> Program:
        if root.tag != "schedule":
            raise ProgramError(
                f"the root element is <{root.tag}>, not <schedule>; not a frab schedule.xml"
            )
        if self.problem is not None:
            raise self.problem
        if self.builder is None or self.header is None:
            raise ProgramError("no <conference> element; not a frab schedule.xml")
        acronym = self.header.get("acronym")
        name = self.header.get("title") or acronym or self.context.stem
        ident = program_id(acronym, self.context.stem)
        return self.builder.finish(ident, name, self.header.get("venue") or None)


_SCHEDULE_PARTS = frozenset({"day", "conference"})


def _as_utf8_document(data: bytes) -> bytes:
    """``data`` as an XML document that expat reads as UTF-8."""
    if data[:1].isspace():
        data = data.lstrip()  # generated files often start with a blank line: XML forbids it
    # planner.sources hands every parser UTF-8, converting Latin-1 or UTF-16 files first,
    # so a declaration that still names the old encoding would garble the text.
    declared = _DECLARED_ENCODING.match(data, 0, 200)
    if declared is not None and declared.group(2).lower() not in (b"utf-8", b"utf8"):
        data = declared.group(1) + b"utf-8" + declared.group(3) + data[declared.end() :]
    return data


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
    for room in day.findall("room"):  # findall with a plain tag runs in C, unlike iterfind
        room_name = (room.get("name") or "").strip()
        builder.add_room(room_name)
        where = f"{label}, room {room_name!r}"
        for event in room.findall("event"):
            builder.add(_event(event, frame, room_name, where))


def _event(event: ET.Element, frame: DayFrame, room_name: str, where: str) -> Event:
    # One pass over the children: this runs for every event of programs with tens of thousands.
    texts = {child.tag: child.text for child in event}
    number = event.get("id")
    guid = event.get("guid")
    return Event(
        texts=texts,
        number=number,
        ident=guid or number or texts.get("slug"),
        speakers=_speakers(event) if "persons" in texts else [],
        room=room_name or texts.get("room"),
        day=frame,
        where=where,
        track=texts.get("track"),
        language=texts.get("language"),
        guid=guid,
        code=event.get("code") or texts.get("code"),
    )


def _speakers(event: ET.Element) -> list[str]:
    # Not iterfind("persons/person"): a path with a "/" goes through ElementPath in Python.
    return [
        person.text or ""
        for persons in event.findall("persons")
        for person in persons.findall("person")
    ]
