"""iCalendar feeds (.ics) as pretalx, Indico and conference sites publish them.

icalendar reads the syntax; the times are interpreted here, through planner.timezones:
a TZID that names an IANA zone always means that zone's rules (see ics/zones.py), a
floating time or an all-day date means the program's zone. The program's zone is
``--program-tz``, else X-WR-TIMEZONE, else the TZID most events use, else UTC (noted).
Recurring events are expanded by ics/recurrence.py, within hard limits.

Ids: the program's from its name (X-WR-CALNAME, else PRODID's organiser, else the UIDs'
domain or pretalx event slug, else the file name: see ics/naming.py; an unnamed calendar
keeps its file's id among ``former_ids``, the id it had before); an item's from its
UID without the "@domain" part (a repeated UID gets a suffix and a note); an occurrence of
a recurring event adds its date ("-20240610"). Lines are unfolded as bytes, then decoded
(ics/lines.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from planner import timezones
from planner.errors import ProgramError, ZoneError
from planner.model import Item, Program
from planner.sources.base import SourceContext
from planner.sources.common import IdAllocator, clean_id, kind_from_label, title_id
from planner.sources.common import program_id as make_program_id
from planner.sources.ics import lines as content_lines
from planner.sources.ics.naming import calendar_name
from planner.sources.ics.recurrence import Budget, Series, expand
from planner.sources.ics.zones import UTC_ZONE, When, Zone, ZoneBook
from planner.text import html_to_text

_BEGIN_END = re.compile(r"^(BEGIN|END):([A-Za-z0-9-]+)\s*$", re.IGNORECASE)
_ONE_DAY = timedelta(days=1)


@dataclass
class Event:
    """One VEVENT as written, before its times are turned into instants."""

    label: str  # "event at line 12", to name it in messages
    uid: str
    title: str
    start: When
    abstract: str = ""
    room: str | None = None
    url: str | None = None
    categories: tuple[str, ...] = ()
    end: When | None = None
    duration: timedelta | None = None
    rules: list[dict[str, Any]] = field(default_factory=list)
    extra: list[When] = field(default_factory=list)
    excluded: list[When] = field(default_factory=list)
    recurrence_id: When | None = None
    cancelled: bool = False

    @property
    def where(self) -> str:
        return f"{self.label} (UID {self.uid})" if self.uid else self.label

    @property
    def recurring(self) -> bool:
        return bool(self.rules or self.extra) and self.recurrence_id is None


@dataclass
class Span:
    start: datetime
    end: datetime
    all_day: bool


def parse(data: bytes, context: SourceContext) -> Program:
    content = content_lines.read(data, context)
    lines = content.lines
    layout = _check_structure(content)
    notes = list(context.notes)
    # VTIMEZONEs are read apart: icalendar refuses a whole file over one malformed
    # VTIMEZONE, and planner reads IANA-named zones by their name anyway.
    zones = _read_vtimezones(lines, layout.zone_blocks, notes)
    calendars = _read_calendars(_without(lines, layout.zone_blocks), content)
    if len(calendars) > 1:
        notes.append(f"the file holds {len(calendars)} calendars; merged their events")
    first = calendars[0]
    book = ZoneBook(zones, notes)
    events = _read_events(calendars, layout.event_lines, book)
    zone_name, zone_known = _program_zone(first, events, context, notes)
    builder = _Builder(zone_name, zone_known, book, notes)
    items = builder.build(events)
    calname = _calendar_text(first, "X-WR-CALNAME")
    name = calendar_name(calname, _calendar_text(first, "PRODID"), (event.uid for event in events))
    ident = make_program_id(name, context.stem)
    return Program(
        id=ident,
        name=name or context.stem or "Calendar",
        timezone=zone_name,
        items=items,
        notes=notes,
        former_ids=_former_ids(ident, calname, context),
    )


def _former_ids(ident: str, calname: str | None, context: SourceContext) -> list[str]:
    """The id an unnamed calendar had before PRODID or the UIDs named it: its file's stem.

    The attendee's agenda may still be kept under that id (``agendas/<stem>.json``); the
    agenda store finds it there and moves it to the new id's file on the next change.
    """
    if calname or not context.stem:
        return []
    by_file = make_program_id(context.stem)
    return [by_file] if by_file != ident else []


# --- reading the file ---


@dataclass
class _Layout:
    event_lines: list[int] = field(default_factory=list)  # file line of each BEGIN:VEVENT
    # Each VTIMEZONE: its first and last content line (from 1), and the file line it starts on.
    zone_blocks: list[tuple[int, int, int]] = field(default_factory=list)


def _check_structure(content: content_lines.ContentLines) -> _Layout:
    """Where the events and VTIMEZONEs are; a ProgramError naming the line where BEGIN/END break."""
    open_blocks: list[tuple[str, int, int]] = []  # block, content line, file line
    layout = _Layout()
    seen_calendar = False
    for index, line in enumerate(content.lines, start=1):
        match = _BEGIN_END.match(line)
        if match is None:
            continue
        number = content.first_lines[index - 1]
        keyword, block = match.group(1).upper(), match.group(2).upper()
        if keyword == "BEGIN":
            open_blocks.append((block, index, number))
            seen_calendar = seen_calendar or block == "VCALENDAR"
            if block == "VEVENT":
                layout.event_lines.append(number)
        elif not open_blocks or open_blocks[-1][0] != block:
            raise ProgramError(f"line {number}: END:{block} without its BEGIN{_open(open_blocks)}")
        else:
            _, first, first_number = open_blocks.pop()
            if block == "VTIMEZONE":
                layout.zone_blocks.append((first, index, first_number))
    if not seen_calendar:
        raise ProgramError("no BEGIN:VCALENDAR; not an iCalendar file")
    if open_blocks:
        block, _, number = open_blocks[-1]
        raise ProgramError(f"BEGIN:{block} at line {number} is never closed; the file is cut short")
    return layout


def _open(open_blocks: list[tuple[str, int, int]]) -> str:
    if not open_blocks:
        return ""
    block, _, number = open_blocks[-1]
    return f" (BEGIN:{block} from line {number} is still open)"


def _read_calendars(text: str, content: content_lines.ContentLines) -> list[Any]:
    from icalendar import Calendar

    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except ValueError as exc:
        raise ProgramError(_syntax_error(content, exc)) from None
    calendars = [calendar for calendar in calendars if calendar.name == "VCALENDAR"]
    if not calendars:
        raise ProgramError("no VCALENDAR in the file")
    return calendars


def _syntax_error(content: content_lines.ContentLines, exc: ValueError) -> str:
    """icalendar's message, with the line number of the content line it quotes."""
    message = str(exc)
    quoted = re.search(r"'([^']+)'", message)
    if quoted:
        for number, line in zip(content.first_lines, content.lines, strict=True):
            if quoted.group(1) in line:
                return f"line {number}: not an iCalendar content line: {line.strip()[:60]!r}"
    return f"not a valid iCalendar file ({message})"


def _read_vtimezones(
    lines: list[str], blocks: list[tuple[int, int, int]], notes: list[str]
) -> dict[str, Any]:
    from icalendar import Timezone

    found: dict[str, Any] = {}
    for first, last, number in blocks:
        try:
            component = Timezone.from_ical("\n".join(lines[first - 1 : last]) + "\n")
        except (ValueError, TypeError, KeyError, IndexError) as exc:  # dateutil's, on bad RRULEs
            notes.append(f"the VTIMEZONE at line {number} is malformed ({exc}); ignored it")
            continue
        tzid = str(component.get("TZID", "")).strip()
        if tzid:
            found.setdefault(tzid, component)
    return found


def _without(lines: list[str], blocks: list[tuple[int, int, int]]) -> str:
    skipped = {number for first, last, _ in blocks for number in range(first, last + 1)}
    return "\n".join(line for number, line in enumerate(lines, start=1) if number not in skipped)


def _calendar_text(calendar: Any, key: str) -> str | None:
    value = calendar.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _read_events(calendars: list[Any], event_lines: list[int], book: ZoneBook) -> list[Event]:
    components = [component for calendar in calendars for component in calendar.walk("VEVENT")]
    if len(event_lines) == len(components):
        labels = [f"event at line {line}" for line in event_lines]
    else:
        labels = [f"event {index}" for index in range(1, len(components) + 1)]
    return [
        _read_event(component, label, book)
        for component, label in zip(components, labels, strict=True)
    ]


def _read_event(component: Any, label: str, book: ZoneBook) -> Event:
    uid = _text(component, "UID")
    where = f"{label} (UID {uid})" if uid else label
    start = _when(component, "DTSTART", where, book)
    if start is None:
        raise ProgramError(f"{where}: no DTSTART; every event needs a start")
    event = Event(label=label, uid=uid, title=_text(component, "SUMMARY"), start=start)
    event.abstract = html_to_text(_text(component, "DESCRIPTION"))
    event.room = _text(component, "LOCATION") or None
    event.url = _text(component, "URL") or None
    event.categories = _categories(component)
    event.cancelled = _text(component, "STATUS").upper() == "CANCELLED"
    event.end = _when(component, "DTEND", where, book)
    event.duration = _duration(component, where)
    event.recurrence_id = _when(component, "RECURRENCE-ID", where, book)
    event.rules = _rules(component, where)
    event.extra = _when_list(component, "RDATE", where, book)
    event.excluded = _when_list(component, "EXDATE", where, book)
    return event


def _text(component: Any, key: str) -> str:
    value = component.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value is not None else ""


def _categories(component: Any) -> tuple[str, ...]:
    value = component.get("CATEGORIES")
    values = value if isinstance(value, list) else [value] if value is not None else []
    words: list[str] = []
    for entry in values:
        cats = getattr(entry, "cats", None)
        words.extend(str(cat) for cat in cats) if cats is not None else words.append(str(entry))
    return tuple(cleaned for word in words if (cleaned := " ".join(word.split())))


def _kind_and_track(categories: tuple[str, ...], default: str) -> tuple[str, str | None]:
    """The kind the CATEGORIES name, and the track where that is clear: the one category
    that names no kind ("Security" beside "Lecture"). Several such, and none is the track."""
    unknown = [c for c in categories if kind_from_label(c) == "other" and c.casefold() != "other"]
    track = unknown[0] if len(unknown) == 1 else None
    if track is not None and len(categories) == 1:
        return default, track  # a track alone says nothing of the kind
    return kind_from_label(" ".join(categories), default=default), track


def _property(component: Any, key: str, where: str) -> Any:
    value = component.get(key)
    if isinstance(value, list):
        raise ProgramError(f"{where}: {key} is given {len(value)} times; give it once")
    if _is_broken(value):
        raise ProgramError(f"{where}: {key} {str(value)!r} is not an iCalendar date or date-time")
    return value


def _is_broken(value: Any) -> bool:
    """A value icalendar (7+) kept as text because it did not parse; older versions raise."""
    from icalendar import prop

    return isinstance(value, getattr(prop, "vBroken", ()))


def _when(component: Any, key: str, where: str, book: ZoneBook) -> When | None:
    value = _property(component, key, where)
    if value is None:
        return None
    return _as_when(value.dt, value.params.get("TZID"), f"{where} {key}", book)


def _as_when(value: Any, tzid: str | None, where: str, book: ZoneBook) -> When:
    if isinstance(value, datetime):
        wall = value.replace(tzinfo=None)
        if tzid:
            return When(wall, book.zone(str(tzid), where))
        if value.tzinfo is not None:  # written with "Z"
            return When(wall, UTC_ZONE)
        return When(wall, None)
    if isinstance(value, date):
        return When(value, None)
    raise ProgramError(f"{where}: {value!r} is not a date or date-time")


def _when_list(component: Any, key: str, where: str, book: ZoneBook) -> list[When]:
    found = component.get(key)
    lists = found if isinstance(found, list) else [found] if found is not None else []
    values: list[When] = []
    for entry in lists:
        if _is_broken(entry):
            raise ProgramError(
                f"{where}: {key} {str(entry)!r} is not a list of dates or date-times"
            )
        tzid = entry.params.get("TZID")
        for item in entry.dts:
            moment = item.dt[0] if isinstance(item.dt, tuple) else item.dt  # an RDATE period
            values.append(_as_when(moment, tzid, f"{where} {key}", book))
    return values


def _duration(component: Any, where: str) -> timedelta | None:
    value = _property(component, "DURATION", where)
    if value is None:
        return None
    if not isinstance(value.dt, timedelta) or value.dt < timedelta(0):
        raise ProgramError(
            f"{where}: DURATION {value.to_ical().decode()!r} is not a positive duration"
        )
    from planner.model import MAX_ITEM_DAYS

    if value.dt > timedelta(days=MAX_ITEM_DAYS):
        raise ProgramError(
            f"{where}: DURATION {value.to_ical().decode()!r} is longer than the "
            f"{MAX_ITEM_DAYS} days planner reads for one item"
        )
    return value.dt


def _rules(component: Any, where: str) -> list[dict[str, Any]]:
    found = component.get("RRULE")
    rules = found if isinstance(found, list) else [found] if found is not None else []
    for rule in rules:
        if _is_broken(rule):
            import re

            count = re.search(r"(?i)\bCOUNT=(\d{10,})", str(rule))
            if count is not None:
                raise ProgramError(
                    f"{where}: RRULE COUNT={count.group(1)} is an absurd count (RFC 5545 allows "
                    "at most 2147483647, and planner reads a year of a series); give a real count"
                )
            raise ProgramError(
                f"{where}: RRULE {str(rule)[:60]!r} is not a recurrence rule "
                "(FREQ=DAILY;COUNT=3 is one)"
            )
        if not rule.get("FREQ"):
            raise ProgramError(f"{where}: RRULE has no FREQ; it cannot repeat")
    return [dict(rule) for rule in rules]


# --- the program's zone ---


def _program_zone(
    calendar: Any, events: list[Event], context: SourceContext, notes: list[str]
) -> tuple[str, bool]:
    """The zone name, and whether the file or the user named it (floating times need that)."""
    declared = None
    header = _calendar_text(calendar, "X-WR-TIMEZONE")
    if header:
        try:
            declared = timezones.check_zone(header)
        except ZoneError:
            notes.append(f"X-WR-TIMEZONE {header!r} is not a timezone planner knows; ignored it")
    used = Counter(event.start.zone.name for event in events if event.start.zone is not None)
    used.pop(None, None)
    used.pop("UTC", None)
    from_file = declared or (used.most_common(1)[0][0] if used else None)
    if context.zone is not None:
        if from_file and from_file != context.zone:
            notes.append(
                f"shown in {context.zone} as --program-tz asked (the feed says {from_file})"
            )
        return context.zone, True
    if from_file:
        return from_file, True
    notes.append(
        "the feed names no timezone (no X-WR-TIMEZONE, no TZID); showing times in UTC; "
        "give --program-tz ZONE for the conference's own zone"
    )
    return "UTC", False


# --- items ---


class _Builder:
    def __init__(self, zone_name: str, zone_known: bool, book: ZoneBook, notes: list[str]) -> None:
        self.zone = Zone(label=zone_name, name=zone_name)
        self.zone_known = zone_known
        self.untitled: set[str] = set()
        self.book = book
        self.notes = notes
        self.ids = IdAllocator(notes)
        self.budget = Budget()

    def build(self, events: list[Event]) -> list[Item]:
        live = self._drop_cancelled(events)
        overrides = self._overrides_by_series(live)
        singles = {id(event): self._span(event) for event in live if not event.recurring}
        program_end = self._program_end(singles.values())
        items: list[Item] = []
        for event in live:
            if event.recurring:
                items.extend(self._series_items(event, overrides.pop(event.uid, {}), program_end))
            elif event.recurrence_id is None:
                items.append(self._item(event, singles[id(event)], self._base_id(event)))
        for orphans in overrides.values():  # changed occurrences whose series is not in the file
            for key, event in orphans.items():
                if event.cancelled:
                    continue
                ident = f"{self._base_id(event)}-{key:{_suffix_style([key])}}"
                items.append(self._item(event, singles[id(event)], ident))
        self.notes.extend(self.budget.notes())
        return items

    def _drop_cancelled(self, events: list[Event]) -> list[Event]:
        live = [event for event in events if not event.cancelled or event.recurrence_id]
        dropped = len(events) - len(live)
        if dropped:
            self.notes.append(f"left out {dropped} cancelled event{'s' if dropped > 1 else ''}")
        return live

    def _overrides_by_series(self, events: list[Event]) -> dict[str, dict[datetime, Event]]:
        series_zone = {event.uid: event.start for event in events if event.recurring}
        found: dict[str, dict[datetime, Event]] = {}
        for event in events:
            if event.recurrence_id is None:
                continue
            anchor = series_zone.get(event.uid)
            key = self._wall(event.recurrence_id, anchor, event.where)
            found.setdefault(event.uid, {})[key] = event
        return found

    def _item(self, event: Event, span: Span | None, wanted: str) -> Item:
        kind, track = _kind_and_track(
            event.categories, default="other" if span and span.all_day else "talk"
        )
        note = "all-day event" if span and span.all_day else None
        if not event.title and event.where not in self.untitled:
            self.untitled.add(event.where)
            self.notes.append(f'{event.where}: no SUMMARY; titled it "Untitled event"')
        return Item(
            id=self.ids.claim(wanted, event.where),
            kind=kind,  # type: ignore[arg-type]
            title=" ".join(event.title.split()) or "Untitled event",
            abstract=event.abstract,
            start=span.start if span else None,
            end=span.end if span else None,
            room=event.room,
            url=event.url,
            note=note,
            track=track,
        )

    def _base_id(self, event: Event) -> str:
        if event.uid:
            local = event.uid.split("@", 1)[0] if not event.uid.startswith("@") else event.uid
            return clean_id(local) or clean_id(event.uid)
        return title_id(event.title or "event")

    # times

    def _span(self, event: Event) -> Span:
        start = event.start
        if start.is_date:
            first = start.value
            if event.end is not None:
                if not event.end.is_date:
                    raise ProgramError(f"{event.where}: DTSTART is a date but DTEND a date-time")
                last = event.end.value
            else:
                days = event.duration.days if event.duration else 1
                last = first + timedelta(days=max(days, 1))  # type: ignore[operator]
            return self._day_span(first, last, event.where)  # type: ignore[arg-type]
        begin = self._instant(start, event.where)
        if event.end is not None:
            if event.end.is_date:
                raise ProgramError(f"{event.where}: DTSTART is a date-time but DTEND a date")
            finish = self._instant(event.end, event.where)
        else:
            finish = begin + (event.duration or timedelta(0))
        if finish < begin:
            raise ProgramError(
                f"{event.where}: ends ({finish.isoformat()}) before it starts ({begin.isoformat()})"
            )
        return Span(begin, finish, all_day=False)

    def _day_span(self, first: date, last: date, where: str) -> Span:
        if last <= first:
            last = first + _ONE_DAY
        begin = self.book.instant(datetime.combine(first, time()), self.zone, where)
        finish = self.book.instant(datetime.combine(last, time()), self.zone, where)
        return Span(begin, finish, all_day=True)

    def _instant(self, when: When, where: str) -> datetime:
        if when.zone is None and not self.zone_known:
            raise ProgramError(
                f"{where}: {when.value:%Y-%m-%d %H:%M} has no timezone and the feed names none; "
                "give --program-tz ZONE"
            )
        return self.book.instant(when.value, when.zone or self.zone, where)  # type: ignore[arg-type]

    def _wall(self, when: When, anchor: When | None, where: str) -> datetime:
        """A DTSTART-like value as a naive wall-clock time in the zone of the series' DTSTART."""
        if when.is_date:
            return datetime.combine(when.value, time())  # type: ignore[arg-type]
        if when.zone is None:  # floating: the same wall-clock time wherever the series is
            return when.value  # type: ignore[return-value]
        series_zone = when.zone if anchor is None or anchor.is_date else anchor.zone or self.zone
        if when.zone == series_zone:
            return when.value  # type: ignore[return-value]
        moment = self.book.instant(when.value, when.zone, where)  # type: ignore[arg-type]
        return series_zone.wall(moment)

    def _program_end(self, spans: Any) -> datetime | None:
        ends = [span.end for span in spans]
        if not ends:
            return None
        last_day = self.zone.wall(max(ends)).date()
        return datetime.combine(last_day + _ONE_DAY, time())

    # recurring events

    def _series_items(
        self, event: Event, overrides: dict[datetime, Event], program_end: datetime | None
    ) -> list[Item]:
        start = event.start
        first = self._span(event)
        series_zone = start.zone or self.zone
        walls = expand(
            Series(
                where=event.where,
                start=self._wall(start, start, event.where),
                rules=[self._rule_in_wall_time(rule, start) for rule in event.rules],
                extra=[self._wall(when, start, event.where) for when in event.extra],
                excluded={self._wall(when, start, event.where) for when in event.excluded},
                last_day=None if program_end is None else (program_end - _ONE_DAY).date(),
            ),
            None if program_end is None else self._to_series_wall(program_end, series_zone),
            self.budget,
            self.notes,
        )
        moments = sorted({*walls, *overrides})
        style = _suffix_style(moments)
        base = self._base_id(event)
        items = []
        for wall in moments:
            ident = f"{base}-{wall:{style}}"
            changed = overrides.get(wall)
            if changed is not None:
                if not changed.cancelled:
                    items.append(self._item(changed, self._span(changed), ident))
                continue
            items.append(
                self._item(event, self._occurrence(wall, first, series_zone, event), ident)
            )
        return items

    def _occurrence(self, wall: datetime, first: Span, zone: Zone, event: Event) -> Span:
        if first.all_day:
            # Counted in calendar days: a day with a DST change is 23 or 25 hours long.
            days = (zone.wall(first.end).date() - zone.wall(first.start).date()).days
            return self._day_span(wall.date(), wall.date() + timedelta(days=days), event.where)
        begin = self.book.instant(wall, zone, event.where)
        return Span(begin, begin + (first.end - first.start), all_day=False)

    def _rule_in_wall_time(self, rule: dict[str, Any], start: When) -> dict[str, Any]:
        """The rule with UNTIL as a wall-clock time of the series (RFC 5545 writes it in UTC)."""
        until = rule.get("UNTIL")
        value = until[0] if isinstance(until, list) and until else until
        if not isinstance(value, datetime) or value.tzinfo is None:
            return rule
        return {**rule, "UNTIL": [self._to_series_wall(value, start.zone or self.zone)]}

    def _to_series_wall(self, moment: datetime, zone: Zone) -> datetime:
        if moment.tzinfo is None:  # already a wall-clock time of the program's zone
            moment = self.book.instant(moment, self.zone, "the program's last day")
        return zone.wall(moment)


_SUFFIX_STYLES = ("%Y%m%d", "%Y%m%dT%H%M", "%Y%m%dT%H%M%S")


def _suffix_style(moments: list[datetime]) -> str:
    """The shortest date(-time) format that tells a series' occurrences apart."""
    for style in _SUFFIX_STYLES[:-1]:
        if len({f"{moment:{style}}" for moment in moments}) == len(moments):
            return style
    return _SUFFIX_STYLES[-1]
