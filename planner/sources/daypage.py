"""The conference site's day page as scraped text (the platform of MLSys, NeurIPS, ICML, ICLR).

The page looks like this (blank lines separate blocks)::

    Timezone: US/Pacific
    Registration Desk: Registration Check-in Desk Tue 30 Aug 06:30 a.m.
    Tutorial: Burak Aksar                    <- speakers; no time on the page
    ML-based Computer System Telemetry Analytics
    <description paragraphs> <bios, each after its speaker's name>
    Oral: Systems for ML 2 Tue 30 Aug 08:45 a.m.
    Samuel A. Stein · Betis Baheri · ...     <- one paper: authors, room, abstract
    [ Exhibit Hall A ]
    <abstract>
    Round Table Discussion Tue 30 Aug 11:30 a.m.

The page leaves out the year, every end time, the paper titles and the times of
tutorials and invited talks. What this parser fills in is flagged on the item
(``estimated`` and ``note``) and summed up in the program's ``notes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from planner import timezones
from planner.errors import ProgramError
from planner.model import Item, Kind, Program
from planner.sources.base import SourceContext
from planner.sources.common import IdAllocator
from planner.text import html_to_text, one_line, slugify

# The page gives no talk lengths. MLSys 2022's orals ran 18 minutes a talk (five talks
# in its 90-minute sessions), so that is the assumed slot; every slot is flagged.
TALK_MINUTES = 18
# An item with a start and no end, and nothing after it on the page, is assumed to last this long.
LAST_ITEM_MINUTES = 60
ID_WORDS = 4

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Label:
    kind: Kind
    child_kind: Kind | None = None  # papers listed under the header become children of this kind
    speakers_first: bool = False  # the header names the speakers; the title is the next block


LABELS = {
    "oral": Label("session", child_kind="paper"),
    "orals": Label("session", child_kind="paper"),
    "spotlight": Label("session", child_kind="paper"),
    "poster": Label("session", child_kind="poster"),
    "poster session": Label("session", child_kind="poster"),
    "tutorial": Label("tutorial", speakers_first=True),
    "invited talk": Label("keynote", speakers_first=True),
    "keynote": Label("keynote", speakers_first=True),
    "registration desk": Label("registration"),
    "break": Label("break"),
    "social": Label("social"),
}
# Kinds of headers without a known label ("Round Table Discussion Tue 30 Aug 11:30 a.m.").
TITLE_WORDS: tuple[tuple[str, Kind], ...] = (
    ("round table", "social"),
    ("social", "social"),
    ("reception", "social"),
    ("party", "social"),
    ("registration", "registration"),
    ("coffee", "break"),
    ("break", "break"),
    ("lunch", "break"),
)

_DATED = re.compile(
    r"^(?P<head>.*?)\s*\b(?P<weekday>" + "|".join(WEEKDAYS) + r")\s+(?P<day>\d{1,2})\s+"
    r"(?P<month>" + "|".join(MONTHS) + r")\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?:\s*(?P<half>[ap])\.?\s?m\.?)?$"
)
_LABELLED = re.compile(r"^(?P<label>[A-Z][A-Za-z ]{1,30}?)\s*:\s*(?P<rest>.*)$")
_ROOM = re.compile(r"^\[\s*(?P<room>[^\[\]]*?)\s*\]$")
_ZONE = re.compile(r"^Timezone:\s*(?P<zone>\S+)$")


@dataclass(frozen=True)
class Stamp:
    """A page date and time, still without its year."""

    weekday: int
    day: int
    month: int
    clock: time


@dataclass
class Header:
    label: Label | None
    label_name: str  # as on the page ("Tutorial"), or "" for a header without a label
    text: str  # after the label: a track, a title or the speakers
    stamp: Stamp | None
    line: int


@dataclass
class Block:
    lines: list[str]
    line: int

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass
class Entry:
    """One header and the blocks under it."""

    header: Header
    blocks: list[Block] = field(default_factory=list)
    start: datetime | None = None
    room: str | None = None


@dataclass
class Paper:
    authors: list[str]
    room: str | None
    abstract: str


def parse(data: bytes, context: SourceContext) -> Program:
    """Parse a day page; ``context.today`` chooses the year the page leaves out."""
    lines = data.decode("utf-8").splitlines()
    return DayPage(context, lines).program()


class DayPage:
    """Reads the page once; ``program()`` builds the Program and the notes on what was filled in."""

    def __init__(self, context: SourceContext, lines: list[str]) -> None:
        self.context = context
        self.zone = _page_zone(lines, context)
        self.entries = _entries(_blocks(lines))
        if not self.entries:
            raise ProgramError(
                "no schedule entries found; expected headers such as "
                "'Oral: <track> Tue 30 Aug 08:45 a.m.'"
            )
        self.notes: list[str] = list(context.notes)
        self.items: list[Item] = []
        self._ids = IdAllocator(None)  # ids are made from names: a suffix is no news
        self._years: dict[tuple[int, int, int], int] = {}
        self._counts = {"untitled": 0, "estimated_ends": 0, "cut": 0}
        self._tba: list[str] = []

    def program(self) -> Program:
        for entry in self.entries:
            entry.start = self._start(entry.header)
            entry.room = _entry_room(entry)
        for index, entry in enumerate(self.entries):
            self._add_entry(index, entry)
        first_day = next((e.start for e in self.entries if e.start is not None), None)
        program_id = self._program_id(first_day)
        self._summarise()
        return Program(
            id=program_id,
            name=_program_name(first_day, self.context.stem),
            timezone=self.zone,
            items=self.items,
            notes=self.notes,
        )

    # --- times ---

    def _start(self, header: Header) -> datetime | None:
        if header.stamp is None:
            return None
        stamp = header.stamp
        year = self._year(stamp, header.line)
        moment, assumed = timezones.combine(
            date(year, stamp.month, stamp.day), stamp.clock, self.zone
        )
        if assumed:
            self.notes.append(f"line {header.line}: {assumed}")
        return timezones.with_fixed_offset(moment)

    def _year(self, stamp: Stamp, line: int) -> int:
        key = (stamp.weekday, stamp.day, stamp.month)
        if key not in self._years:
            today = self.context.today
            if today is None:
                raise ProgramError("the page gives no year, and no date was given to choose one")
            year = most_recent_year(stamp.day, stamp.month, stamp.weekday, today)
            if year is None:
                raise ProgramError(
                    f"line {line}: {WEEKDAYS[stamp.weekday]} {stamp.day} {MONTHS[stamp.month - 1]} "
                    "is not a date in any year"
                )
            self._years[key] = year
            self.notes.append(
                f"the page gives no year: read {WEEKDAYS[stamp.weekday]} {stamp.day} "
                f"{MONTHS[stamp.month - 1]} as {year}, the latest year up to {today.year} "
                f"(today's) in which {stamp.day} {MONTHS[stamp.month - 1]} is a "
                f"{WEEKDAY_NAMES[stamp.weekday]}"
            )
        return self._years[key]

    def _next_start(self, index: int, room: str | None = None) -> tuple[Entry, datetime] | None:
        """The first dated entry after ``index`` that starts later (in ``room`` if given)."""
        start = self.entries[index].start
        for entry in self.entries[index + 1 :]:
            if start is None or entry.start is None or _minutes_between(start, entry.start) <= 0:
                continue
            if room is None or entry.room == room:
                return entry, entry.start
        return None

    # --- items ---

    def _add_entry(self, index: int, entry: Entry) -> None:
        label = entry.header.label
        if label is not None and label.child_kind is not None:
            description, papers = _split_papers(entry.blocks, self.notes)
            if papers:
                self._add_session(index, entry, label, description, papers)
                return
        self._add_single(index, entry)

    def _add_session(
        self, index: int, entry: Entry, label: Label, description: str, papers: list[Paper]
    ) -> None:
        session = _Draft(
            id=self._new_id(entry.header.text),
            kind=label.kind,
            title=entry.header.text or f"Session at line {entry.header.line}",
            abstract=description,
            room=entry.room,
        )
        child_kind = label.child_kind or "paper"
        children = [self._paper(paper, session.id, child_kind) for paper in papers]
        if entry.start is None:
            session.note = self._tba_note(index)
            self._tba.append(session.id)
        else:
            self._place_papers(index, entry.start, session, children)
        self.items.append(session.item())
        self.items.extend(child.item() for child in children)

    def _place_papers(
        self, index: int, start: datetime, session: _Draft, papers: list[_Draft]
    ) -> None:
        minutes = TALK_MINUTES
        following = self._next_start(index, session.room)
        if following is not None:
            room_free = _minutes_between(start, following[1])
            minutes = max(1, min(TALK_MINUTES, room_free // len(papers)))
        for number, paper in enumerate(papers):
            paper.start = _after(start, number * minutes, self.zone)
            paper.end = _after(start, (number + 1) * minutes, self.zone)
            paper.estimated = True
            paper.note = (
                f"{paper.note}; time estimated: the page gives none, so talks are assumed to run "
                f"{minutes} minutes each in page order from the session's {start:%H:%M} start"
            )
        session.start, session.end, session.estimated = start, papers[-1].end, True
        session.note = (
            f"end estimated: {len(papers)} talk{'s' if len(papers) > 1 else ''} of {minutes} "
            "minutes (the page gives no end)"
        )
        self._counts["estimated_ends"] += 1

    def _paper(self, paper: Paper, parent: str, kind: Kind) -> _Draft:
        first = paper.authors[0]
        more = " et al." if len(paper.authors) > 1 else ""
        self._counts["untitled"] += 1
        self._counts["cut"] += int(paper.abstract.endswith("…"))
        return _Draft(
            id=self._new_id(first),
            kind=kind,
            title=f"Untitled paper by {first}{more}",
            speakers=paper.authors,
            abstract=paper.abstract,
            room=paper.room,
            parent=parent,
            note="the page gives no title; named after its first author",
        )

    def _add_single(self, index: int, entry: Entry) -> None:
        header = entry.header
        label = header.label
        blocks = [block for block in entry.blocks if not _ROOM.match(block.text)]
        speakers: list[str] = []
        title = header.text
        if label is not None and label.speakers_first:
            speakers = clean_authors(header.text, self.notes)
            title = (
                plain_text(blocks.pop(0).text) if blocks else f"{header.label_name}: {header.text}"
            )
        draft = _Draft(
            id=self._new_id(title),
            kind=label.kind if label else _kind_from_title(title),
            title=title or f"Untitled entry at line {header.line}",
            speakers=speakers,
            abstract=_abstract_with_bios(blocks, speakers),
            room=entry.room,
        )
        if entry.start is None:
            draft.note = self._tba_note(index)
            self._tba.append(draft.id)
        else:
            self._estimate_end(index, entry.start, draft)
        self.items.append(draft.item())

    def _estimate_end(self, index: int, start: datetime, draft: _Draft) -> None:
        following = self._next_start(index)
        if following is None:
            end = _after(start, LAST_ITEM_MINUTES, self.zone)
            reason = f"assumed {LAST_ITEM_MINUTES} minutes, as nothing later is on the page"
        else:
            end = following[1]
            reason = f"assumed it lasts until {following[0].header.text!r} starts at {end:%H:%M}"
        draft.start, draft.end, draft.estimated = start, end, True
        draft.note = f"end estimated: the page gives only the start; {reason}"
        self._counts["estimated_ends"] += 1

    def _tba_note(self, index: int) -> str:
        """Where the page lists an undated entry: a hint for the attendee, not an estimate."""
        before = [e for e in self.entries[:index] if e.start is not None][-1:]
        after = [e for e in self.entries[index + 1 :] if e.start is not None][:1]
        where = [f"after {_entry_label(e)}" for e in before]
        where += [f"before {_entry_label(e)}" for e in after]
        listed = f"; it is listed {' and '.join(where)}" if where else ""
        return f"time to be announced: the page gives no time{listed}"

    def _new_id(self, text: str) -> str:
        return self._ids.claim(short_slug(text) or "item")

    # --- program ---

    def _program_id(self, first_day: datetime | None) -> str:
        prefix_match = re.match(r"[a-z]+", short_slug(self.context.stem, words=1))
        prefix = prefix_match.group(0) if prefix_match else "day"
        program_id = f"{prefix}-{first_day:%Y-%m-%d}" if first_day else prefix
        self.notes.append(
            f"the page does not name the conference: program id {program_id!r} is made of "
            f"the file name ({self.context.stem!r}) and the page's date"
        )
        return program_id

    def _summarise(self) -> None:
        counts = self._counts
        if counts["untitled"]:
            self.notes.append(
                f"the page gives no paper titles: {counts['untitled']} papers are named "
                "'Untitled paper by <first author> et al.'"
            )
        if counts["estimated_ends"]:
            self.notes.append(
                f"the page gives no end times: {counts['estimated_ends']} ends and the talk slots "
                "inside sessions are estimated (flagged on each item)"
            )
        if self._tba:
            self.notes.append(
                f"the page gives no time for {', '.join(self._tba)}: listed as time to be announced"
            )
        if counts["cut"]:
            self.notes.append(f"{counts['cut']} abstracts end in '…': the site cut them short")


@dataclass
class _Draft:
    """An item being built; ``item()`` validates it."""

    id: str
    kind: Kind
    title: str
    speakers: list[str] = field(default_factory=list)
    abstract: str = ""
    room: str | None = None
    parent: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    estimated: bool = False
    note: str | None = None

    def item(self) -> Item:
        return Item(**self.__dict__)


# --- reading the page ---


def _page_zone(lines: list[str], context: SourceContext) -> str:
    page_zone = next((m["zone"] for line in lines if (m := _ZONE.match(line.strip()))), None)
    if context.zone is not None:
        if page_zone and page_zone.lower() != context.zone.lower():
            context.notes.append(
                f"read in {context.zone} as --program-tz asked (page says {page_zone})"
            )
        return context.zone
    if page_zone is None:
        raise ProgramError("the page has no 'Timezone:' line; give the zone with --program-tz")
    zone = timezones.check_zone(page_zone)
    context.notes.append(f"timezone {zone} from the page's 'Timezone:' line")
    return zone


def _blocks(lines: list[str]) -> list[Block]:
    """Runs of non-blank lines; a line of only (non-breaking) spaces counts as blank."""
    blocks: list[Block] = []
    current: Block | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            current = None
        elif current is None:
            current = Block([line], number)
            blocks.append(current)
        else:
            current.lines.append(line)
    return blocks


def _entries(blocks: list[Block]) -> list[Entry]:
    """Group blocks under their headers; blocks before the first header are page chrome."""
    entries: list[Entry] = []
    for block in blocks:
        header = parse_header(block.lines[0], block.line)
        if header is not None:
            entries.append(Entry(header))
            if len(block.lines) > 1:
                entries[-1].blocks.append(Block(block.lines[1:], block.line + 1))
        elif entries:
            entries[-1].blocks.append(block)
    return entries


def parse_header(line: str, number: int = 0) -> Header | None:
    """A header line such as ``Oral: ML for Systems Tue 30 Aug 01:00 p.m.``, or None."""
    dated = _DATED.match(line)
    head = dated["head"].strip() if dated else line
    labelled = _LABELLED.match(head)
    label = LABELS.get(labelled["label"].lower()) if labelled else None
    stamp = _stamp(dated, number) if dated else None
    if labelled is not None and label is not None:
        return Header(label, labelled["label"], labelled["rest"].strip(), stamp, number)
    if stamp is not None and head:
        return Header(None, "", head, stamp, number)
    return None


def _stamp(match: re.Match[str], number: int) -> Stamp:
    hour, minute = int(match["hour"]), int(match["minute"])
    half = match["half"]
    if half is not None:
        if not 1 <= hour <= 12:
            raise ProgramError(f"line {number}: {hour}:{minute:02d} is not a 12-hour clock time")
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        raise ProgramError(f"line {number}: {match['hour']}:{match['minute']} is not a time of day")
    return Stamp(
        weekday=WEEKDAYS.index(match["weekday"]),
        day=int(match["day"]),
        month=MONTHS.index(match["month"]) + 1,
        clock=time(hour, minute),
    )


def _entry_room(entry: Entry) -> str | None:
    """The one room named under the header, or None when it names none or several."""
    rooms = {m["room"] for block in entry.blocks if (m := _ROOM.match(block.text)) and m["room"]}
    return rooms.pop() if len(rooms) == 1 else None


def _split_papers(blocks: list[Block], notes: list[str]) -> tuple[str, list[Paper]]:
    """A session's description and its papers (authors, then ``[ Room ]``, then the abstract)."""
    description: list[Block] = []
    papers: list[Paper] = []
    abstract: list[Block] = []
    for index, block in enumerate(blocks):
        if _ROOM.match(block.text):
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        room_match = _ROOM.match(following.text) if following else None
        if room_match:
            if papers:
                papers[-1].abstract = _paragraphs(abstract)
            abstract = []
            papers.append(Paper(clean_authors(block.text, notes), room_match["room"] or None, ""))
        else:
            (abstract if papers else description).append(block)
    if papers:
        papers[-1].abstract = _paragraphs(abstract)
    return _paragraphs(description), papers


def _abstract_with_bios(blocks: list[Block], speakers: list[str]) -> str:
    """Description paragraphs, then the speakers' bios (each follows its speaker's name)."""
    first_bio = next(
        (i for i, block in enumerate(blocks) if _starts_bio(block.lines[0], speakers)), len(blocks)
    )
    description = _paragraphs(blocks[:first_bio])
    bios = _bios(blocks[first_bio:], speakers)
    if not bios:
        return description
    if len(bios) == 1:
        about = f"About the speaker: {bios[0]}"
    else:
        about = "About the speakers:\n\n" + "\n\n".join(bios)
    return f"{description}\n\n{about}" if description else about


def _starts_bio(line: str, speakers: list[str]) -> bool:
    for name in speakers:
        first_name = name.split()[0]
        if line == name or line.startswith((f"{name} ", f"{first_name} ")):
            return True
    return False


def _bios(blocks: list[Block], speakers: list[str]) -> list[str]:
    """Bio paragraphs without the bare name lines; a line opening with a name starts a new bio."""
    bios: list[list[str]] = []
    for block in blocks:
        for position, line in enumerate(block.lines):
            if line in speakers:
                bios.append([])
            elif position == 0 or not bios or _starts_bio(line, speakers):
                if not bios or bios[-1]:
                    bios.append([])
                bios[-1].append(line)
            else:
                bios[-1].append(line)
    return [plain_text(" ".join(lines)) for lines in bios if lines]


def _paragraphs(blocks: list[Block]) -> str:
    return "\n\n".join(plain_text(block.text) for block in blocks)


# --- cleaning ---


def plain_text(text: str) -> str:
    """A block's text on one line, without HTML: a link keeps its words and its address."""
    return one_line(html_to_text(text, keep_links=True))


def clean_authors(line: str, notes: list[str] | None = None) -> list[str]:
    """Names from a ``·``-joined line; the site's "None" middle names dropped, repeats once."""
    names: list[str] = []
    for raw in line.split("·"):
        words = raw.split()
        kept = [word for word in words if word != "None"] if len(words) > 2 else words
        name = " ".join(kept)
        if name and name not in names:
            names.append(name)
        if notes is not None and kept != words:
            notes.append(f"author {raw.strip()!r} read as {name!r} (the site's empty middle name)")
    repeated = len([raw for raw in line.split("·") if raw.strip()]) - len(names)
    if notes is not None and names and repeated:
        notes.append(
            f"repeated names listed once ({repeated} dropped) in the list from {names[0]!r}"
        )
    return names


def short_slug(text: str, words: int = ID_WORDS) -> str:
    """A short id a person can type: the first few words of ``text`` before any colon."""
    head = text.split(":", 1)[0] if ":" in text[1:] else text
    # Not transliterated: ids already in attendees' agendas were made this way.
    return slugify(head, max_length=None, words=words, transliterate=False)


def _entry_label(entry: Entry) -> str:
    return f"{entry.header.text!r} ({entry.start:%H:%M})"


def _kind_from_title(title: str) -> Kind:
    lowered = title.lower()
    return next((kind for word, kind in TITLE_WORDS if word in lowered), "other")


def _minutes_between(start: datetime, end: datetime) -> int:
    """Real minutes from ``start`` to ``end`` (counted in UTC, so right across a DST change)."""
    return int((timezones.to_utc(end) - timezones.to_utc(start)).total_seconds() // 60)


def _after(start: datetime, minutes: int, zone: str) -> datetime:
    """``minutes`` of real time after ``start``, at the offset ``zone`` has then."""
    later = timezones.to_zone(timezones.to_utc(start) + timedelta(minutes=minutes), zone)
    return timezones.with_fixed_offset(later)


def most_recent_year(day: int, month: int, weekday: int, today: date) -> int | None:
    """The latest year up to today's in which ``day``/``month`` is a ``weekday`` (0 = Monday)."""
    # Weekdays repeat within every 400-year Gregorian cycle, so this always ends.
    for year in range(today.year, today.year - 400, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February outside a leap year, or 31 April
        if candidate.weekday() == weekday:
            return year
    return None


def _program_name(first_day: datetime | None, stem: str) -> str:
    when = f"{first_day:%A} {first_day.day} {first_day:%B %Y}" if first_day else "undated"
    return f"Day page {stem}: {when}"
