"""What frab's ``schedule.xml`` and c3voc's ``schedule.json`` share: the rules for one event.

Both formats describe a conference the same way (days holding rooms holding events;
each event with a ``date`` carrying an offset, a local ``start``, a ``duration``, a
``guid``, persons and a type). ``frab.py`` and ``c3voc.py`` only read their syntax
and hand every event to a ``ScheduleBuilder``, so ids, instants and the notes that
``check`` shows follow one set of rules for both.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple

from planner import timezones
from planner.errors import PlannerError, ProgramError
from planner.model import Program
from planner.sources.base import SourceContext
from planner.sources.common import (
    LONG_ID,
    IdAllocator,
    clean_id,
    guid_suffix,
    kind_from_label,
    parse_duration,
    slot_suffix,
    title_id,
)
from planner.text import html_to_text

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_ONE_DAY = timedelta(days=1)
# A schedule day longer than this is a broken bound, not a day: its items use the day change.
_LONGEST_DAY = timedelta(hours=36)
# A program has few distinct durations and start times but may have 20,000 events.
_duration = lru_cache(maxsize=1024)(parse_duration)


@dataclass(slots=True)
class DayFrame:
    """One schedule day: its date and, for days that run past midnight, where they end.

    A local ``start`` earlier than ``begins`` and no later than ``ends_next_day_at``
    belongs to the next calendar date (a day from 11:00 to 04:00 holds a 02:00 talk
    of the following date).
    """

    date: date | None
    begins: time | None = None
    ends_next_day_at: time | None = None

    def date_of(self, clock: time) -> date | None:
        if self.date is None:
            return None
        late = self.ends_next_day_at
        if late is not None and clock <= late and (self.begins is None or clock < self.begins):
            return self.date + _ONE_DAY
        return self.date


@dataclass(slots=True)
class Event:
    """One event as a format module read it: text fields, not yet checked."""

    # The event's own texts by their name in both formats: title, type, subtitle, abstract,
    # description, url, date, start, duration, end; each text or None (or missing). Any
    # mapping holding them: frab's texts of child elements by tag, or c3voc's event itself.
    texts: Mapping[str, str | None]
    number: str | None  # the file's own event number, for messages
    ident: str | None  # the file's own id for the event: guid, number or slug
    speakers: list[str]
    room: str | None
    day: DayFrame
    where: str  # where the event sits, for messages about events without a number
    track: object = None  # the file's track and language: used when they are text
    language: object = None
    guid: str | None = None  # its GUID, when the file gives one
    code: str | None = None  # pretalx's short code for the talk (G9JGWY), when given

    @property
    def label(self) -> str:
        """Names the event in messages: 'event 12 "Opening"'."""
        # Built only when a message needs it: most events of a big program never do.
        return event_label(self.number, self.texts.get("title"), self.where)


@dataclass(slots=True)
class _Tally:
    """How many events showed one kind of disagreement, and the first of them."""

    count: int = 0
    first: str = ""

    def add(self, event: Event, detail: str = "") -> None:
        if not self.count:
            self.first = _example(event) + detail
        self.count += 1


class _Reading(NamedTuple):
    """What an instant in ``date`` and a local ``start`` say together, worked out once per pair."""

    instant: datetime
    offset: timedelta | None  # the local offset they imply, counted when the file names no zone
    disagreement: _Tally | None  # where the event is counted when they tell different stories
    detail: str = ""  # added to the tally's example


class ScheduleBuilder:
    """Collects events into a Program; records what it had to assume in ``notes``."""

    def __init__(self, context: SourceContext, declared_zone: str | None, zone_field: str) -> None:
        self.context = context
        self.zone_field = zone_field
        self.notes: list[str] = []
        self.zone = self._choose_zone(declared_zone)
        self._zone_source = (
            f"--program-tz {self.zone}" if context.zone else f"{zone_field} {self.zone}"
        )
        self._ids = IdAllocator(self.notes)
        self._guids = IdAllocator(self.notes)
        # Items whose short id is made from their title, claimed once every id the file
        # gives is taken (see _claim_title_ids): (slug, GUID or None, index in _items).
        self._by_title: list[tuple[str, str | None, int]] = []
        self._rooms: dict[str, None] = {}
        self._items: list[dict] = []
        self._days: list[dict] = []  # the days that give the instants they run between
        self._day_change: time | None = None
        # Programs repeat the same few start times thousands of times: each is read once.
        self._readings: dict[tuple[str, str | None], _Reading] = {}
        self._localized: dict[datetime, tuple[datetime, str | None]] = {}
        self._local_offsets: Counter[timedelta] = Counter()
        self._offset_pairs: list[tuple[datetime, timedelta]] = []  # one per distinct reading
        self.clues = timezones.ZoneClues()  # where the file says it is, for the zone guess
        self._first_url: str | None = None  # an event's address: a clue when the header has none
        self._other_offset = _Tally()
        self._zone_disagrees = _Tally()
        self._start_disagrees = _Tally()

    def _choose_zone(self, declared: str | None) -> str | None:
        """--program-tz wins, then the file's own zone name; None when neither is given."""
        declared = (declared or "").strip() or None
        override = self.context.zone
        if declared is not None:
            try:
                declared = timezones.check_zone(declared)
            except PlannerError as exc:
                if override is None:
                    raise ProgramError(
                        f"{self.zone_field}: {exc} (or give --program-tz ZONE)"
                    ) from None
                self.notes.append(
                    f"{self.zone_field} {declared!r} is not a known timezone; used --program-tz "
                    f"{override}"
                )
                return override
        if override is not None and declared is not None and override != declared:
            self.notes.append(
                f"times shown in {override} as --program-tz asked (file says {declared})"
            )
        return override or declared

    # --- days and rooms ---

    def day_frame(
        self,
        day_text: str | None,
        start_text: str | None,
        end_text: str | None,
        label: str,
        day_change: str | None = None,
    ) -> DayFrame:
        """A day from its date and its start and end instants; ``day_change`` (Pentabarf's
        conference-wide "the day changes at 04:00") applies when the day gives no instants."""
        try:
            frame = self._day_frame(day_text, start_text, end_text)
            self._keep_day(frame.date, start_text, end_text)
            if frame.begins is None and day_change and day_change.strip():
                change = _parse_clock(day_change, "day_change")[0]
                if change != time(0):
                    frame.begins = frame.ends_next_day_at = change
            return frame
        except PlannerError as exc:
            raise ProgramError(f"{label}: {exc}") from None

    def _day_frame(
        self, day_text: str | None, start_text: str | None, end_text: str | None
    ) -> DayFrame:
        day = _parse_date(day_text) if day_text else None
        if not (start_text and end_text):
            return DayFrame(day)
        first_local, last_local = self._day_bound(start_text), self._day_bound(end_text)
        day = day or first_local.date()
        if last_local.date() > day:
            return DayFrame(day, first_local.time(), last_local.time())
        return DayFrame(day)

    def _keep_day(self, day: date | None, start_text: str | None, end_text: str | None) -> None:
        """Remember a day that names the instants it runs between (it decides which day its
        items are listed under); a day whose bounds say nothing usable is passed over."""
        if day is None or not (start_text and end_text):
            return
        start, end = self._day_instant(start_text), self._day_instant(end_text)
        if start is None or end is None or not start < end <= start + _LONGEST_DAY:
            return
        if timezones.in_supported_years(start) and timezones.in_supported_years(end):
            self._days.append({"date": day, "start": start, "end": end})

    def _day_instant(self, text: str) -> datetime | None:
        value = _parse_iso(text)
        if value.tzinfo is not None:
            return value
        if self.zone is None or not timezones.in_supported_years(value):
            return None
        return timezones.localize(value, self.zone)[0]

    def set_day_change(self, text: str | None) -> None:
        """The file's conference-wide day change (Pentabarf's ``<day_change>04:00:00``);
        one that does not read as a time is left to the day rule's default."""
        if text and text.strip():
            with suppress(ProgramError):
                change, next_day = _parse_clock(text, "day_change")
                self._day_change = None if next_day else change

    def add_room(self, name: str | None) -> None:
        if name:
            self._rooms.setdefault(name, None)

    # --- events ---

    def add(self, event: Event) -> None:
        try:
            self._items.append(self._item(event))
        except PlannerError as exc:
            raise ProgramError(f"{event.label}: {exc}") from None

    def _item(self, event: Event) -> dict:
        texts = event.texts
        title = (texts.get("title") or "").strip()
        if not title:
            raise ProgramError("has no title")
        start, estimated_note = self._start_of(event, texts.get("date"), texts.get("start"))
        end = self._end_of(start, texts.get("duration"), texts.get("end"))
        if end < start:
            raise ProgramError(f"ends ({end.isoformat()}) before it starts ({start.isoformat()})")
        speakers = [name.strip() for name in event.speakers if name and name.strip()]
        ident, guid = self._ids_of(event, title, speakers)
        room = (event.room or "").strip() or None
        self.add_room(room)
        url = (texts.get("url") or "").strip() or None
        if self._first_url is None:
            self._first_url = url
        return {
            "id": ident,
            "guid": guid,
            "kind": kind_from_label(texts.get("type")),
            "title": title,
            "speakers": speakers,
            "abstract": _abstract(texts),
            "start": start,
            "end": end,
            "room": room,
            "related": [],  # given, so that pydantic need not copy the default list
            "url": url,
            "estimated": estimated_note is not None,
            "note": estimated_note,
            "track": _label(event.track),
            "language": _label(event.language),
        }

    def _ids_of(self, event: Event, title: str, speakers: list[str]) -> tuple[str, str | None]:
        """The item's id and GUID. Where the file's id is a long GUID, the id is the short one
        the conference itself uses (pretalx's code, else frab's event number, else a slug of
        the title) and the GUID is kept beside it; otherwise the file's id as before."""
        guid = (event.guid or "").strip()
        if len(guid) <= LONG_ID:
            wanted = clean_id(event.ident) if event.ident and event.ident.strip() else ""
            if wanted:
                return self._ids.claim(wanted, lambda: event.label), None
            self._by_title.append((title_id(title, speakers), None, len(self._items)))
            return "", None  # claimed in finish
        kept = self._guids.claim(clean_id(guid), lambda: event.label)
        short = next((clean_id(t) for t in (event.code, event.number) if t and t.strip()), "")
        if short:
            return self._ids.claim(short, lambda: event.label), kept
        self._by_title.append((title_id(title, speakers), kept, len(self._items)))
        return "", kept  # claimed in finish

    def _claim_title_ids(self, zone: str) -> None:
        """Ids made from titles, claimed after every id the file gives. A slug only one item
        has is its id; the items sharing one are told apart by what each is, never by their
        order or number (their GUID, else their day, time and room), so a refresh that cancels,
        adds or reorders one of them renames none of the others."""
        shared = Counter(slug for slug, _guid, _index in self._by_title)
        when = {
            index: slot_suffix(self._items[index]["start"], None, zone, room_too=False)
            for slug, guid, index in self._by_title
            if guid is None and shared[slug] > 1
        }
        slots = Counter(
            (slug, when[index]) for slug, _guid, index in self._by_title if index in when
        )
        sharing: dict[str, list[str]] = {}
        for slug, guid, index in sorted(self._by_title, key=lambda e: (e[0], e[1] or "", e[2])):
            item = self._items[index]
            if shared[slug] == 1 and not self._ids.taken(slug):
                item["id"] = self._ids.claim(slug)
                continue
            if guid:
                suffix = guid_suffix(guid)
            elif slots[slug, when[index]] == 1:
                suffix = when[index]
            else:  # two of one title at one time: the room tells them apart
                suffix = slot_suffix(item["start"], item["room"], zone, room_too=True)
            item["id"] = self._ids.claim(f"{slug}-{suffix}", lambda i=item: repr(i["title"]))  # type: ignore[misc]
            sharing.setdefault(slug, []).append(item["id"])
        for slug, idents in sharing.items():
            self.notes.append(
                f"id {slug!r} (made from a title) is shared by {len(idents)} events; told them "
                f"apart as {', '.join(map(repr, idents))}"
            )
        self._by_title.clear()

    def _start_of(
        self, event: Event, date_text: str | None, start: str | None
    ) -> tuple[datetime, str | None]:
        date_text = (date_text or "").strip()
        if len(date_text) > 10:  # a date and a time, not only a date
            reading = self._readings.get((date_text, start))
            if reading is None:
                instant = self._parse_instant_or_none(date_text)
                if instant is None:
                    # Without an offset it still names the calendar day, which beats guessing it.
                    return self._local(_parse_naive(date_text), event)
                reading = self._read(instant, _clock_or_none(start))
                self._readings[date_text, start] = reading
                if reading.offset is not None:
                    self._offset_pairs.append((reading.instant, reading.offset))
            if reading.offset is not None:
                self._local_offsets[reading.offset] += 1
            if reading.disagreement is not None:
                reading.disagreement.add(event, reading.detail)
            return reading.instant, None
        clock = _parse_clock(start, "start") if start else None
        if clock is None:
            raise ProgramError("has neither a date nor a start time")
        day = _parse_date(date_text) if date_text else event.day.date_of(clock[0])
        if day is None:
            raise ProgramError("has a start time but its day has no date")
        return self._local(datetime.combine(day, clock[0]) + clock[1], event)

    def _local(self, naive: datetime, event: Event) -> tuple[datetime, str | None]:
        if self.zone is None:
            raise ProgramError(
                f"has only a local time ({naive:%Y-%m-%d %H:%M}) and the file names no timezone; "
                "give --program-tz ZONE (e.g. --program-tz Europe/Berlin)"
            )
        known = self._localized.get(naive)
        if known is None:
            known = self._localized[naive] = timezones.localize(naive, self.zone)
        moment, note = known
        if note is not None:
            self.notes.append(f"{event.label}: {note}")
        return moment, note

    def _end_of(self, start: datetime, duration: str | None, end_text: str | None) -> datetime:
        if duration and duration.strip():
            return start + _duration(duration)
        if end_text:
            end = self._parse_instant_or_none(end_text)
            if end is None:
                raise ProgramError(f"end {end_text!r} has no UTC offset")
            return end
        raise ProgramError("has no duration")

    # --- instants against local times ---

    def _parse_instant_or_none(self, text: str) -> datetime | None:
        """The instant in ISO 8601 ``text``, None when it has no offset."""
        value = _parse_iso(text)
        return value if value.tzinfo is not None else None

    def _day_bound(self, text: str) -> datetime:
        """A day's start or end as local wall-clock time; without an offset it already is one
        (files that give ``start="2024-12-27T11:00:00"`` mean the conference's clock)."""
        value = _parse_iso(text)
        return self._wall(value) if value.tzinfo is not None else value

    def _wall(self, instant: datetime) -> datetime:
        return timezones.to_zone(instant, self.zone) if self.zone else instant

    def _read(self, instant: datetime, clock: tuple[time, timedelta] | None) -> _Reading:
        """Where the local ``start`` and the instant in ``date`` tell different stories."""
        if clock is None:
            return _Reading(instant, instant.utcoffset(), None)
        wanted = (clock[0].hour, clock[0].minute)
        own = (instant.hour, instant.minute)
        if self.zone is None:
            other = self._other_offset if wanted != own else None
            return _Reading(instant, _implied_offset(instant, clock[0]), other)
        local = timezones.to_zone(instant, self.zone)
        if wanted == (local.hour, local.minute):
            return _Reading(instant, None, self._other_offset if wanted != own else None)
        if wanted == own:
            return _Reading(instant, None, self._zone_disagrees)
        return _Reading(instant, None, self._start_disagrees, f" is {local:%H:%M} in {self.zone}")

    def _time_notes(self) -> list[str]:
        notes = []
        if self._other_offset.count:
            agree = f"they agree with start in {self.zone}" if self.zone else "start is local time"
            notes.append(
                f"date is written at another offset than the local start for "
                f"{_events(self._other_offset.count)}, e.g. {self._other_offset.first}; "
                f"used the instants in date ({agree})"
            )
        if self._zone_disagrees.count:
            notes.append(
                f"{self._zone_source} disagrees with the offsets in date for "
                f"{_events(self._zone_disagrees.count)} (start is local time at the event's own "
                f"offset, not in {self.zone}), e.g. {self._zone_disagrees.first}; used the "
                f"instants in date; times are shown in {self.zone} (give --program-tz ZONE to "
                "show them in another zone)"
            )
        if self._start_disagrees.count:
            notes.append(
                f"start disagrees with date for {_events(self._start_disagrees.count)}, "
                f"e.g. {self._start_disagrees.first}; used the instants in date"
            )
        return notes

    def _display_zone(self) -> str:
        if self.zone is not None:
            return self.zone
        hint = "give --program-tz ZONE to name the conference's zone"
        spans = timezones.offset_spans(self._offset_pairs)
        clues = self.clues
        if self._first_url is not None:
            clues = timezones.ZoneClues(clues.texts, (*clues.urls, self._first_url))
        placed = timezones.guess_zone(spans, clues)
        if placed is not None:
            described = timezones.describe_offsets(spans)
            self.notes.append(
                f"the file names no timezone ({self.zone_field}); "
                + timezones.placed_note(placed, described, hint)
            )
            return placed[0]
        common = self._local_offsets.most_common(1)
        # The offset's own Etc/GMT zone: unlike timezones.zone_from_offsets, no search for the
        # first zone with these offsets, as they are implied by local starts rather than read
        # off instants; a place only when the file's own clues name one (guess_zone).
        guessed = (timezones.fixed_offset_zone_name(common[0][0]) or "UTC") if common else "UTC"
        if self._local_offsets or self._items:
            self.notes.append(
                f"the file names no timezone ({self.zone_field}); estimated {guessed} from the "
                f"events' times; {hint}"
            )
        return guessed

    # --- the result ---

    def finish(self, ident: str, name: str, venue: str | None = None) -> Program:
        timezone = self._display_zone()
        self._claim_title_ids(timezone)
        notes = self._time_notes() + self.notes + self.context.notes
        return Program.model_validate(
            {
                "id": ident,
                "name": name,
                "timezone": timezone,
                "venue": venue,
                "rooms": [{"name": room} for room in self._rooms],
                "items": self._items,
                "notes": notes,
                "days": self._days,
                "day_change": self._day_change,
            }
        )


def header_clues(header: Mapping[str, object]) -> timezones.ZoneClues:
    """Where a conference header (frab's <conference>, c3voc's conference) says it is."""

    def texts(*keys: str) -> tuple[str, ...]:
        return tuple(value for key in keys if isinstance(value := header.get(key), str) and value)

    return timezones.ZoneClues(
        texts("city", "venue", "location", "title"), texts("base_url", "url", "website")
    )


def event_label(number: str | None, title: str | None, where: str) -> str:
    """How messages name an event: its number and title, or where it is when it has no number."""
    label = f"event {number}" if number else "event"
    if title and title.strip():
        label = f"{label} {title.strip()!r}"
    return label if number else f"{label} ({where})"


def _example(event: Event) -> str:
    start, date_text = event.texts.get("start") or "", event.texts.get("date") or ""
    return f"{event.label}: start {start.strip()}, date {date_text.strip()}"


def _events(count: int) -> str:
    return "1 event" if count == 1 else f"{count} events"


def _label(value: object) -> str | None:
    """A track or language as the file writes it; anything but text (pretalx may write an
    object) is no label rather than an error: neither is needed to plan."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _abstract(texts: Mapping[str, str | None]) -> str:
    # A subtitle is plain text (a literal "<b>" in it is meant); abstracts hold HTML.
    subtitle = texts.get("subtitle")
    subtitle = " ".join(subtitle.split()) if subtitle else ""
    abstract = html_to_text(texts.get("abstract"))
    description = html_to_text(texts.get("description"))
    if not (subtitle or description):
        return abstract  # the common case
    parts = [subtitle, abstract, description]
    unique: list[str] = []
    for part in parts:
        if part and part not in unique:
            unique.append(part)
    return "\n\n".join(unique)


@lru_cache(maxsize=4096)
def _parse_clock(text: str, field: str) -> tuple[time, timedelta]:
    """A local ``HH:MM[:SS]``; 24:00 and later (some exports) mean the next day."""
    match = _CLOCK.match(text)
    if match is None:
        raise ProgramError(f"{field} {text!r} is not a time like 09:30")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    if minutes >= 60 or seconds >= 60 or hours >= 48:
        raise ProgramError(f"{field} {text!r} is not a time like 09:30")
    return time(hours % 24, minutes, seconds), _ONE_DAY if hours >= 24 else timedelta(0)


def _clock_or_none(text: str | None) -> tuple[time, timedelta] | None:
    """The local start where it only serves to cross-check an instant: a bad one is ignored."""
    if not text:
        return None
    try:
        return _parse_clock(text, "start")
    except ProgramError:
        return None


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ProgramError(f"date {text!r} is not a date like 2024-12-27") from None


def _parse_naive(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ProgramError(f"{text!r} is not an ISO 8601 date and time") from None


def _implied_offset(instant: datetime, clock: time) -> timedelta:
    """The UTC offset under which the instant reads as ``clock``, folded into -12h..+12h."""
    utc = timezones.to_utc(instant)
    minutes = (clock.hour * 60 + clock.minute) - (utc.hour * 60 + utc.minute)
    return timedelta(minutes=(minutes + 12 * 60) % (24 * 60) - 12 * 60)


def _parse_iso(text: str) -> datetime:
    """ISO 8601 ``text`` as a datetime, with or without an offset."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ProgramError(f"{text!r} is not an ISO 8601 date and time") from None
