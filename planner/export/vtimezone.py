"""The VTIMEZONE of an export, built by hand from the zone's current rule and checked.

Why by hand: icalendar's own ``Timezone.from_tzid()`` / ``add_missing_timezones()`` write one
block per offset change with every onset on a comma-separated RDATE line plus a COMMENT.
Thunderbird's ical.js and vobject/Radicale read only the first RDATE value and the Ruby parser
rejects the form, so summer-side events shift; Outlook reduces any VTIMEZONE to one yearly
STANDARD/DAYLIGHT pair anyway. So planner writes exactly that pair (one STANDARD for a zone
without DST) with yearly RRULEs taken from the POSIX TZ string that ends the zone's TZif file,
its DTSTART in the year before the first event, and then checks that the body puts every time
written against it at zoneinfo's instant. A zone whose current rule does not describe those dates
(rules changed, or a rule RRULE cannot state exactly) raises ``BodyMismatch`` and the caller
writes UTC instead.

One source of zone data: the rule string is read from the very TZif file ``zoneinfo.ZoneInfo``
loads (the first ``zoneinfo.TZPATH`` folder that has the zone, else the ``tzdata`` package, the
order zoneinfo itself uses), and the offsets it is checked against come from ``zoneinfo``.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from planner import timezones

DAY = 86400
# The Gregorian calendar repeats every 400 years: a rule right in these years is right in all.
GREGORIAN_CYCLE = range(2001, 2401)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class BodyMismatch(Exception):
    """No exact one-pair VTIMEZONE for these dates; the message says why (for a warning)."""


# --- where the zone data comes from -----------------------------------------------------------


def zone_file(zone: str) -> tuple[str, bytes]:
    """The TZif bytes ``zoneinfo.ZoneInfo(zone)`` reads, and where they are."""
    found = timezones.zone_data(zone)
    if found is None:
        raise BodyMismatch(f"no zone data file for {zone}")
    return found


def zone_data_version(zone: str = "UTC") -> str:
    """The IANA release (e.g. ``2026f``) of the zone data zoneinfo reads for ``zone``."""
    where, _ = zone_file(zone)
    if where.startswith("tzdata package"):
        import tzdata

        return str(tzdata.IANA_VERSION)
    folder = where[: -len(zone)]
    try:
        with open(os.path.join(folder, "tzdata.zi"), encoding="utf-8") as handle:
            first = handle.readline()
    except OSError:
        return "unknown"
    return first.removeprefix("# version").strip() or "unknown"


def posix_string(zone: str) -> str:
    """The POSIX TZ string at the end of the zone's TZif file (version 2 and later)."""
    _, data = zone_file(zone)
    if not data.startswith(b"TZif") or data[4:5] in (b"\0", b"") or not data.endswith(b"\n"):
        raise BodyMismatch(f"the zone data of {zone} has no current rule (TZif version 1)")
    footer = data[:-1].rsplit(b"\n", 1)[-1]
    if not footer:
        raise BodyMismatch(f"the zone data of {zone} states no current rule")
    return footer.decode("ascii")


# --- the POSIX TZ string ----------------------------------------------------------------------

_NAME = r"<[^>]*>|[A-Za-z]{3,}"
_CLOCK = r"[+-]?\d{1,3}(?::\d{1,2}){0,2}"
_POSIX = re.compile(
    rf"(?P<std>{_NAME})(?P<std_offset>{_CLOCK})"
    rf"(?:(?P<dst>{_NAME})(?P<dst_offset>{_CLOCK})?"
    rf",(?P<start>[^,/]+)(?:/(?P<start_time>{_CLOCK}))?"
    rf",(?P<end>[^,/]+)(?:/(?P<end_time>{_CLOCK}))?)?"
)
_MONTH_WEEK_DAY = re.compile(r"M(\d{1,2})\.([1-5])\.([0-6])")


def _seconds(clock: str) -> int:
    sign = -1 if clock.startswith("-") else 1
    parts = [int(part) for part in clock.lstrip("+-").split(":")]
    hours, minutes, seconds = [*parts, 0, 0][:3]
    return sign * (hours * 3600 + minutes * 60 + seconds)


@dataclass(frozen=True)
class DayRule:
    """A POSIX ``Mm.w.d/time`` change: weekday d (0 = Sunday) of week w (5 = last) of month m."""

    month: int
    week: int
    weekday: int
    seconds: int  # local time before the change; may be negative or 24 hours and more

    def __str__(self) -> str:
        hours, rest = divmod(abs(self.seconds), 3600)
        clock = f"{'-' if self.seconds < 0 else ''}{hours}" + (f":{rest // 60:02d}" if rest else "")
        return f"M{self.month}.{self.week}.{self.weekday}/{clock}"

    def date_in(self, year: int) -> date:
        """The calendar day the change happens on (the time can push it to another day)."""
        python_weekday = (self.weekday + 6) % 7
        days_in_month = calendar.monthrange(year, self.month)[1]
        first = date(year, self.month, 1)
        if self.week == 5:
            last = date(year, self.month, days_in_month)
            day = last - timedelta(days=(last.weekday() - python_weekday) % 7)
        else:
            day = first + timedelta(
                days=(python_weekday - first.weekday()) % 7 + 7 * (self.week - 1)
            )
        return day + timedelta(days=self.seconds // DAY)


@dataclass(frozen=True)
class PosixZone:
    std_name: str
    std_offset: timedelta  # east of UTC, as iCalendar counts (POSIX counts west)
    dst_name: str | None = None
    dst_offset: timedelta | None = None
    dst_start: DayRule | None = None
    dst_end: DayRule | None = None


def _day_rule(text: str, clock: str | None) -> DayRule:
    match = _MONTH_WEEK_DAY.fullmatch(text)
    if match is None:
        # Jn and n count days of the year; no current zone uses them, so planner does not either.
        raise BodyMismatch(f"its change date {text} is not of the Mm.w.d form planner writes")
    month, week, weekday = (int(group) for group in match.groups())
    return DayRule(month, week, weekday, _seconds(clock) if clock else 2 * 3600)


def parse_posix(text: str) -> PosixZone:
    match = _POSIX.fullmatch(text)
    if match is None:
        raise BodyMismatch("planner cannot read it")
    std_offset = timedelta(seconds=-_seconds(match["std_offset"]))
    if match["dst"] is None:
        return PosixZone(match["std"].strip("<>"), std_offset)
    dst_offset = (
        timedelta(seconds=-_seconds(match["dst_offset"]))
        if match["dst_offset"]
        else std_offset + timedelta(hours=1)
    )
    return PosixZone(
        match["std"].strip("<>"),
        std_offset,
        match["dst"].strip("<>"),
        dst_offset,
        _day_rule(match["start"], match["start_time"]),
        _day_rule(match["end"], match["end_time"]),
    )


# --- yearly RRULEs, evaluated the way RFC 5545 reads them --------------------------------------


@dataclass(frozen=True)
class YearlyRule:
    """``FREQ=YEARLY;BYMONTH=..`` with BYDAY, and its dates in a year, read as RFC 5545 does."""

    weekday: int  # 0 = Monday
    month: int
    nth: int | None = None  # BYDAY=<nth><weekday>, e.g. -1SU
    monthdays: tuple[int, ...] = ()  # BYMONTHDAY, which limits a plain BYDAY

    def dates(self, year: int) -> list[date]:
        length = calendar.monthrange(year, self.month)[1]
        matching = [
            date(year, self.month, day)
            for day in range(1, length + 1)
            if date(year, self.month, day).weekday() == self.weekday
        ]
        if self.nth is not None:
            return [matching[self.nth - 1 if self.nth > 0 else self.nth]]
        return [day for day in matching if day.day in self.monthdays]

    def as_recur(self) -> dict[str, object]:
        """The RRULE as icalendar's vRecur takes it."""
        if self.nth is not None:
            return {
                "FREQ": "YEARLY",
                "BYMONTH": self.month,
                "BYDAY": f"{self.nth}{WEEKDAYS[self.weekday]}",
            }
        return {
            "FREQ": "YEARLY",
            "BYMONTH": self.month,
            "BYMONTHDAY": list(self.monthdays),
            "BYDAY": WEEKDAYS[self.weekday],
        }


def _candidates(rule: DayRule) -> Iterable[YearlyRule]:
    """RRULEs that may state ``rule`` exactly, simplest first; the 400-year check decides.

    A change whose time pushes it to another day (Jerusalem's ``M3.4.4/26`` is the Friday after
    the fourth Thursday) becomes BYDAY limited by a set of seven BYMONTHDAYs. Only positive
    month days are written: ical.js (Thunderbird) misreads negative ones next to BYDAY. A change
    pushed into the next month (Cairo's Friday after the last Thursday of October is 1 November
    in 2024) has no such set; BYYEARDAY would state it, but the Ruby gem's IceCube skips some
    years of a BYYEARDAY rule, so such zones are written in UTC.
    """
    shift = rule.seconds // DAY
    weekday = (rule.weekday + 6 + shift) % 7
    if shift == 0:
        yield YearlyRule(weekday, rule.month, nth=-1 if rule.week == 5 else rule.week)
        return
    last = calendar.mdays[rule.month] if rule.week == 5 else 7 * rule.week  # Feb fails the check
    days = tuple(range(last - 6 + shift, last + 1 + shift))
    if all(1 <= day <= 31 for day in days):
        yield YearlyRule(weekday, rule.month, monthdays=days)


@cache
def yearly_rule(rule: DayRule) -> YearlyRule:
    """The RRULE that gives the same day as ``rule`` in every year, or BodyMismatch."""
    for candidate in _candidates(rule):
        if all(candidate.dates(year) == [rule.date_in(year)] for year in GREGORIAN_CYCLE):
            return candidate
    raise BodyMismatch(f"its change {rule} cannot be written as a yearly RRULE every client reads")


# --- the observances and the check -------------------------------------------------------------


@dataclass(frozen=True)
class Observance:
    kind: str  # STANDARD or DAYLIGHT
    name: str
    offset_from: timedelta
    offset_to: timedelta
    rule: YearlyRule | None = None  # None: the offset never changes
    clock: timedelta = timedelta(0)  # local time of the change, in the offset before it

    def onsets(self, year: int) -> list[datetime]:
        """Local times (in ``offset_from``) when this observance begins in ``year``."""
        if self.rule is None:
            return [datetime(year, 1, 1)]
        return [
            datetime.combine(day, datetime.min.time()) + self.clock for day in self.rule.dates(year)
        ]


def _observances(posix: PosixZone) -> tuple[Observance, ...]:
    if posix.dst_start is None or posix.dst_end is None or posix.dst_offset is None:
        return (Observance("STANDARD", posix.std_name, posix.std_offset, posix.std_offset),)
    to_dst = (posix.dst_name or "", posix.std_offset, posix.dst_offset, posix.dst_start)
    to_std = (posix.std_name, posix.dst_offset, posix.std_offset, posix.dst_end)
    pair = []
    for name, before, after, rule in (to_dst, to_std):
        # The block with the larger offset is DAYLIGHT, as clients expect, even for
        # Europe/Dublin whose POSIX rule calls winter time its "daylight" time.
        kind = "DAYLIGHT" if after > before else "STANDARD"
        clock = timedelta(seconds=rule.seconds % DAY)
        pair.append(Observance(kind, name, before, after, yearly_rule(rule), clock))
    return tuple(sorted(pair, key=lambda observance: observance.kind, reverse=True))


@cache
def zone_rules(zone: str) -> tuple[Observance, ...]:
    """The observances of ``zone``'s current rule, or BodyMismatch when RRULE cannot state it."""
    posix = posix_string(zone)
    try:
        return _observances(parse_posix(posix))
    except BodyMismatch as exc:
        raise BodyMismatch(f"the current rule of {zone} ({posix}): {exc}") from None


@dataclass(frozen=True)
class Vtimezone:
    """One zone's checked VTIMEZONE body for exports starting in ``first_year``."""

    zone: str
    observances: tuple[Observance, ...]
    first_year: int
    _onsets: dict[int, list[tuple[datetime, timedelta]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def changes_in(self, year: int) -> list[tuple[datetime, timedelta]]:
        """The body's changes in ``year``: (naive UTC instant, the offset from then on)."""
        if year not in self._onsets:
            self._onsets[year] = sorted(
                (local - observance.offset_from, observance.offset_to)
                for observance in self.observances
                for local in observance.onsets(year)
            )
        return self._onsets[year]

    def offset_at(self, utc: datetime) -> timedelta | None:
        """The offset the body gives at a naive UTC time, None before its first onset."""
        found = None
        for year in range(max(self.first_year, utc.year - 1), utc.year + 2):
            for onset, offset in self.changes_in(year):
                if onset <= utc:
                    found = offset
        return found

    def read_local(self, local: datetime) -> set[timedelta]:
        """Every offset under which the body places naive ``local`` (one when unambiguous)."""
        offsets = {observance.offset_to for observance in self.observances}
        return {offset for offset in offsets if self.offset_at(local - offset) == offset}

    def component(self) -> Timezone:
        body = Timezone()
        body.add("tzid", self.zone)
        for observance in self.observances:
            block = TimezoneDaylight() if observance.kind == "DAYLIGHT" else TimezoneStandard()
            block.add("dtstart", observance.onsets(self.first_year)[0])
            block.add("tzoffsetfrom", observance.offset_from)
            block.add("tzoffsetto", observance.offset_to)
            if observance.name:
                block.add("tzname", observance.name)
            if observance.rule is not None:
                block.add("rrule", observance.rule.as_recur())
            body.add_component(block)
        return body


def build_vtimezone(zone: str, instants: Iterable[datetime]) -> Vtimezone:
    """The checked body for times at ``instants`` written as wall-clock times of ``zone``.

    Raises BodyMismatch (with the reason) when the zone's current rule cannot be written as
    one RRULE pair, or when the body would put one of the times at another instant than zoneinfo.
    """
    # A program's thousands of talks start and end at a few hundred distinct instants: each is
    # checked once. Keyed in UTC, because two times sharing one zone compare by wall clock.
    moments = sorted({timezones.to_utc(moment) for moment in instants})
    if not moments:
        raise BodyMismatch("no times to write")
    first_local = timezones.to_zone(moments[0], zone)
    body = Vtimezone(zone, zone_rules(zone), first_local.year - 1)
    for moment in moments:
        local = timezones.to_zone(moment, zone)
        expected = local.utcoffset()
        if body.read_local(local.replace(tzinfo=None)) != {expected}:
            raise BodyMismatch(
                f"the current rule of {zone} ({posix_string(zone)}) does not give its offset "
                f"{timezones.format_offset(local)} on {local:%Y-%m-%d %H:%M}"
            )
    return body
