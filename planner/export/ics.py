"""The agenda as an iCalendar file: a pure function from program + agenda + options to bytes.

Times are written as ``DTSTART;TZID=<zone>`` against the hand-built, checked VTIMEZONE of
``planner.export.vtimezone``, or in UTC (``...Z``, no VTIMEZONE) when asked for UTC, when the
zone's current rule does not describe the exported dates, and for any event whose start or end
is a local time that happens twice (libical reads such a time as its second occurrence, RFC 5545
as its first). Text normalisation, documented for the README and the tests: control characters
(and U+FEFF) are removed, SUMMARY, LOCATION and CATEGORIES are one line (line breaks and tabs become spaces),
and an abstract containing HTML becomes plain text (``plain_abstract``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from icalendar import Alarm, Calendar, Event
from icalendar.prop import vCategory, vDatetime, vDuration, vInt, vText, vUri

from planner import timezones
from planner.agenda import cancelled_picks, exported_items, sequence_of
from planner.errors import ExportError
from planner.export import only_backups_message
from planner.export.markers import PRODID
from planner.export.serialise import to_bytes
from planner.export.vtimezone import BodyMismatch, Vtimezone, build_vtimezone
from planner.model import Item, sort_key
from planner.text import CONTROL_CLASS, html_to_text, time_range

if TYPE_CHECKING:
    from planner.agenda import Agenda, Pick
    from planner.model import PersonalEvent, Program

UID_DOMAIN = "planner"
PERSONAL_CATEGORY = "personal"
CANCELLED_NOTE = "No longer in the program (cancelled). `planner drop` removes it from your agenda."

# Keeps TAB and LF. U+FEFF (a stray byte-order mark) goes too: icalendar drops it at the
# start of a value, so a title beginning with one would not read back as written.
_CONTROL = re.compile(f"[{CONTROL_CLASS}\ufeff]")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s\"<>\\^`{|}]+")


@dataclass
class IcsResult:
    data: bytes
    events: int
    left_out: list[Item] = field(default_factory=list)  # time to be announced: not in the file
    warnings: list[str] = field(default_factory=list)
    zone: str = "UTC"  # the zone the attendee asked for (X-WR-TIMEZONE)
    utc: bool = True  # True when every time is written in UTC form
    cancelled: int = 0  # how many of ``events`` are vanished picks written as cancelled


@dataclass
class _Entry:
    """One VEVENT before it becomes icalendar objects."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    sequence: int = 0
    location: str = ""
    description: str = ""
    categories: list[str] = field(default_factory=list)
    url: str | None = None
    tentative: bool = False
    transparent: bool = False  # a backup (pick --maybe): it leaves the attendee free
    cancelled: bool = False


# --- text --------------------------------------------------------------------------------------


def clean_text(text: str, *, one_line: bool = False) -> str:
    """Text as planner writes it: line ends unified, control characters removed."""
    if text.isprintable():  # no line break, tab or control character: the common title
        return text
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\n", " ").replace("\t", " ") if one_line else text


def plain_abstract(abstract: str) -> str:
    """The abstract as the export writes it: HTML turned into text, control characters removed."""
    return html_to_text(clean_text(abstract))


def escape_text(text: str) -> str:
    """RFC 5545 TEXT escaping (icalendar's own turns a literal backslash-N into a line break)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


# --- the entries -------------------------------------------------------------------------------


@dataclass
class _Lookup:
    """The program's maps, built once per export (a NeurIPS-size program has thousands)."""

    program: Program
    zone: str  # for the clock times in descriptions
    by_id: dict[str, Item]
    children: dict[str, list[Item]]

    @classmethod
    def of(cls, program: Program, zone: str) -> _Lookup:
        return cls(program, zone, program.item_map(), program.children_map())

    def uid(self, local_id: str) -> str:
        return f"{local_id}@{self.program.id}.{UID_DOMAIN}"


def _location(item: Item, program: Program) -> str:
    parts = [item.room, program.building_of(item.room), program.venue]
    return clean_text(", ".join(part for part in parts if part), one_line=True)


def _clock_range(item: Item, zone: str) -> str:
    # "23:45-00:45+1" across midnight
    return time_range(item.start, item.end, zone, tba="time to be announced")


def _children_lines(item: Item, look: _Lookup, depth: int = 1) -> list[str]:
    lines: list[str] = []
    for child in sorted(look.children.get(item.id, []), key=sort_key):
        speakers = f" ({', '.join(child.speakers)})" if child.speakers else ""
        mark = " (estimated time)" if child.estimated else ""
        lines.append(
            f"{'  ' * depth}{_clock_range(child, look.zone)} {child.title}{speakers}{mark}"
        )
        if depth < 5:  # a malformed program cannot make the description endless
            lines.extend(_children_lines(child, look, depth + 1))
    return lines


def _description(item: Item, look: _Lookup) -> str:
    parts: list[str] = []
    if item.speakers:
        parts.append("Speakers: " + ", ".join(item.speakers))
    parent = look.by_id.get(item.parent or "")
    if parent is not None:
        parts.append(f"Session: {parent.title}")
    children = _children_lines(item, look)
    if children:
        parts.append(f"Talks (times in {look.zone}):\n" + "\n".join(children))
    abstract = plain_abstract(item.abstract)
    if abstract:
        parts.append(abstract)
    if item.estimated:
        reason = f": {item.note}" if item.note else ""
        parts.append(f"The time is estimated{reason}.")
    if item.url:
        parts.append(item.url)
    description = "\n\n".join(parts)
    # Printable parts joined by blank lines are already clean: skip scanning 1 KB again.
    return description if all(part.isprintable() for part in parts) else clean_text(description)


def _item_entry(item: Item, look: _Lookup, sequence: int) -> _Entry:
    parent = look.by_id.get(item.parent or "")
    categories = [item.kind] + ([parent.title] if parent is not None else [])
    return _Entry(
        uid=look.uid(item.guid or item.id),  # the GUID: UIDs stay those of earlier exports
        start=item.start,  # type: ignore[arg-type]  # only announced items get here
        end=item.end,  # type: ignore[arg-type]
        summary=clean_text(item.title, one_line=True),
        sequence=sequence,
        location=_location(item, look.program),
        description=_description(item, look),
        categories=[clean_text(category, one_line=True) for category in categories],
        url=item.url if item.url and _URI.fullmatch(item.url) else None,
        tentative=item.estimated,
    )


def _cancelled_entry(pick: Pick, look: _Lookup) -> _Entry:
    """A pick whose item vanished, as calendars last received it, marked cancelled."""
    seen = pick.written()
    return _Entry(
        uid=look.uid(pick.uid_key),
        start=seen.start,  # type: ignore[arg-type]  # cancelled_picks: only timed ones
        end=seen.end,  # type: ignore[arg-type]
        summary=clean_text(seen.title, one_line=True),
        sequence=sequence_of(pick, None),
        location=clean_text(seen.room or "", one_line=True),
        description=CANCELLED_NOTE,
        cancelled=True,
    )


def _personal_entry(event: PersonalEvent, look: _Lookup) -> _Entry:
    return _Entry(
        uid=look.uid(event.id),
        start=event.start,
        end=event.end,
        summary=clean_text(event.title, one_line=True),
        location=clean_text(event.location or "", one_line=True),
        categories=[PERSONAL_CATEGORY],
    )


def _entries(
    program: Program, agenda: Agenda, zone: str, with_backups: bool = False
) -> tuple[list[_Entry], list[Item]]:
    look = _Lookup.of(program, zone)
    picks = {pick.id: pick for pick in agenda.picks}
    items = [
        item for item in exported_items(program, agenda) if with_backups or not picks[item.id].maybe
    ]
    left_out = [item for item in items if not item.announced]
    entries = []
    for item in items:
        if item.announced:
            entry = _item_entry(item, look, sequence_of(picks[item.id], item))
            if picks[item.id].maybe:
                # A backup: tentative, and free time in the calendar.
                entry.tentative = entry.transparent = True
            entries.append(entry)
    entries.extend(_cancelled_entry(pick, look) for pick in cancelled_picks(program, agenda))
    entries.extend(_personal_entry(event, look) for event in agenda.events)
    entries.sort(key=lambda entry: (entry.start, entry.end, entry.uid))
    return entries, left_out


# --- time form ---------------------------------------------------------------------------------


def _repeated(entries: list[_Entry], zone: str) -> list[str]:
    """UIDs of the entries starting or ending on a local time that happens twice in ``zone``."""
    # Talks share start and end times, so each distinct instant is looked up once. Keyed in
    # UTC, because two times sharing one zone compare by wall clock, blind to a repeated hour.
    twice: dict[datetime, bool] = {}

    def happens_twice(moment: datetime) -> bool:
        utc = timezones.to_utc(moment)
        if utc not in twice:
            twice[utc] = timezones.is_repeated_local_time(utc, zone)
        return twice[utc]

    return [
        entry.uid for entry in entries if happens_twice(entry.start) or happens_twice(entry.end)
    ]


@dataclass
class _ZonePlan:
    body: Vtimezone | None = None  # None: every time in UTC form
    in_utc: set[str] = field(default_factory=set)  # UIDs written in UTC form
    repeated: list[str] = field(default_factory=list)  # UIDs on a local time that happens twice
    warnings: list[str] = field(default_factory=list)


def _plan_zone(entries: list[_Entry], zone: str) -> _ZonePlan:
    """Which times go in TZID form against which body, which in UTC, and why."""
    if timezones.is_utc(zone):
        return _ZonePlan()
    repeated = _repeated(entries, zone)
    plan = _ZonePlan(in_utc=set(repeated), repeated=repeated)
    if repeated:
        plan.warnings.append(
            f"written in UTC because a time of theirs happens twice in {zone} (clocks go back), "
            f"and without X-WR-TIMEZONE, which makes some tools re-read them as local times: "
            f"{', '.join(uid.split('@')[0] for uid in repeated)}"
        )
    zoned = [
        moment
        for entry in entries
        if entry.uid not in plan.in_utc
        for moment in (entry.start, entry.end)
    ]
    if not zoned:
        return plan
    try:
        plan.body = build_vtimezone(zone, zoned)
    except BodyMismatch as exc:
        plan.in_utc = {entry.uid for entry in entries}
        plan.warnings.append(
            f"times written in UTC (the calendar still shows them at the right moment): {exc}"
        )
    return plan


# --- the calendar ------------------------------------------------------------------------------


class _ExactText(vText):
    """TEXT that escapes by RFC 5545 alone (see escape_text)."""

    def to_ical(self) -> bytes:
        return escape_text(str(self)).encode("utf-8")


class _ExactCategories(vCategory):
    def to_ical(self) -> bytes:
        return ",".join(escape_text(str(category)) for category in self.cats).encode("utf-8")


class _MinutesBefore(vDuration):
    """A TRIGGER in the ``-PT<N>M`` form every client reads (icalendar would write -PT1H30M)."""

    def __init__(self, minutes: int) -> None:
        super().__init__(timedelta(minutes=-minutes))
        self.minutes = minutes

    def to_ical(self) -> bytes:
        return f"-PT{self.minutes}M".encode("ascii")


class _Time(vDatetime):
    """A DATE-TIME that is naive (with a TZID) or in UTC, written as vDatetime writes it.

    vDatetime asks icalendar's zone lookup whether the time is UTC each time it is written,
    which costs more than the writing; here only UTC times carry a zone at all.
    """

    def to_ical(self) -> bytes:
        moment = self.dt
        suffix = "" if moment.tzinfo is None else "Z"
        return (
            f"{moment.year:04}{moment.month:02}{moment.day:02}"
            f"T{moment.hour:02}{moment.minute:02}{moment.second:02}{suffix}"
        ).encode("ascii")


def _time(moment: datetime, zone: str | None) -> _Time:
    """A DTSTART/DTEND value: wall-clock time with TZID=zone, or UTC (...Z) when zone is None."""
    if zone is None:
        return _Time(timezones.to_utc(moment))
    value = _Time(timezones.to_zone(moment, zone).replace(tzinfo=None))
    value.params["TZID"] = zone  # after: the constructor drops a TZID that a naive time lacks
    return value


def _event(entry: _Entry, zone: str | None, stamp: _Time, alarm_minutes: int | None) -> Event:
    # Properties are set as ready-made values: Event.add() would infer each one's type and
    # zone again, thousands of times in a big export. Each name is set once.
    event = Event()
    event["UID"] = _ExactText(entry.uid)
    event["DTSTAMP"] = stamp
    event["SEQUENCE"] = vInt(entry.sequence)
    event["DTSTART"] = _time(entry.start, zone)
    if entry.end > entry.start:  # DTEND must be later; a zero-length event has none
        event["DTEND"] = _time(entry.end, zone)
    event["SUMMARY"] = _ExactText(entry.summary)
    if entry.location:
        event["LOCATION"] = _ExactText(entry.location)
    if entry.description:
        event["DESCRIPTION"] = _ExactText(entry.description)
    if entry.cancelled:
        event["STATUS"] = vText("CANCELLED")
    elif entry.tentative:
        event["STATUS"] = vText("TENTATIVE")
    if entry.transparent:
        event["TRANSP"] = vText("TRANSPARENT")
    if entry.url:
        event["URL"] = vUri(entry.url)
    if entry.categories:
        event["CATEGORIES"] = _ExactCategories(entry.categories)
    if alarm_minutes is not None:
        alarm = Alarm()
        alarm["ACTION"] = vText("DISPLAY")
        alarm["TRIGGER"] = _MinutesBefore(alarm_minutes)
        alarm["DESCRIPTION"] = _ExactText(f"Reminder: {entry.summary}")
        event.add_component(alarm)
    return event


def _calendar(name: str, zone: str | None) -> Calendar:
    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _ExactText(clean_text(name, one_line=True)))
    if zone is not None:
        cal.add("x-wr-timezone", zone)
    return cal


def to_ics(
    program: Program,
    agenda: Agenda,
    *,
    zone: str,
    now: datetime,
    alarm_minutes: int | None,
    name: str | None,
    with_backups: bool = False,
) -> IcsResult:
    """The agenda's picks and personal events as .ics bytes, their times in ``zone`` (any
    IANA name or alias; "UTC" writes every time as ...Z, without a VTIMEZONE).

    ``alarm_minutes`` None takes the agenda's default alarm setting. Backups (pick --maybe)
    are left out unless ``with_backups``, then TENTATIVE and TRANSPARENT. Raises ExportError
    when there is nothing to export.
    """
    shown_zone = timezones.calendar_name(timezones.check_zone(zone))
    entries, left_out = _entries(program, agenda, shown_zone, with_backups)
    if not entries:
        raise ExportError(_nothing_message(program, agenda, left_out, with_backups))
    plan = _plan_zone(entries, shown_zone)
    if alarm_minutes is None:
        alarm_minutes = agenda.settings.alarm_minutes
    # A client that re-zones UTC times to X-WR-TIMEZONE loses which of two equal local times
    # is meant, so a file holding such a time leaves X-WR-TIMEZONE out.
    cal = _calendar(name or f"{program.name} - my agenda", None if plan.repeated else shown_zone)
    if plan.body is not None:
        cal.add_component(plan.body.component())
    stamp = _Time(timezones.to_utc(now))
    for entry in entries:
        written_zone = None if plan.body is None or entry.uid in plan.in_utc else plan.body.zone
        cal.add_component(_event(entry, written_zone, stamp, alarm_minutes))
    return IcsResult(
        data=to_bytes(cal),
        events=len(entries),
        left_out=left_out,
        warnings=plan.warnings,
        zone=shown_zone,
        utc=plan.body is None,
        cancelled=sum(entry.cancelled for entry in entries),
    )


def _nothing_message(
    program: Program, agenda: Agenda, left_out: list[Item], with_backups: bool
) -> str:
    if left_out:
        return (
            f"nothing to export for {program.id}: every pick's time is still to be announced "
            f"({', '.join(item.id for item in left_out)}); pick talks with a time with "
            "`planner pick ID` (list them with `planner talks`)"
        )
    backups = sum(pick.maybe for pick in agenda.picks)
    if backups and not with_backups:
        return only_backups_message(program.id, backups)
    return (
        f"the agenda for {program.id} is empty: nothing picked yet; pick talks with "
        "`planner pick ID` (list them with `planner talks`) or add your own with `planner add`"
    )
