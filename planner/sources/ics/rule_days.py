"""Which days an RRULE can possibly fall on, so that a rule that never matches cannot hang.

dateutil.rrule stops at UNTIL only when it finds an occurrence past it: a rule that matches
nothing ("every minute of February 30th") makes it walk period by period to the year 9999,
which takes minutes. Before asking dateutil, ``possible_days`` checks the days of the
expansion window against the rule's day filters (BYMONTH, BYMONTHDAY, BYYEARDAY, the
weekdays of BYDAY) and its INTERVAL: a superset of the true occurrence days, cheap to
compute (at most one check per day of a window of at most a year). No possible day: the
rule is skipped. Otherwise dateutil finds an occurrence within the window, and the caller
stops reading once past the last possible day.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from planner.errors import ProgramError

_WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_UNIT_SECONDS = {"HOURLY": 3600, "MINUTELY": 60, "SECONDLY": 1}
_DAY_SECONDS = 86_400
_LAST_DAY = date(9999, 12, 24)  # stepping a week past it would leave the calendar
FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")


@dataclass(frozen=True)
class DayFilter:
    """The rule's filters on days and times; an empty set means "any"."""

    months: frozenset[int]
    monthdays: frozenset[int]
    yeardays: frozenset[int]
    weekdays: frozenset[int]
    hours: frozenset[int]
    minutes: frozenset[int]
    seconds: frozenset[int]

    @classmethod
    def of(cls, rule: dict[str, Any], where: str) -> DayFilter:
        return cls(
            months=_numbers(rule, "BYMONTH", where),
            monthdays=_numbers(rule, "BYMONTHDAY", where),
            yeardays=_numbers(rule, "BYYEARDAY", where),
            weekdays=frozenset(_weekday(text, where) for text in rule.get("BYDAY", ())),
            hours=_numbers(rule, "BYHOUR", where),
            minutes=_numbers(rule, "BYMINUTE", where),
            seconds=_numbers(rule, "BYSECOND", where),
        )

    def admits(self, day: date) -> bool:
        if self.months and day.month not in self.months:
            return False
        if self.weekdays and day.weekday() not in self.weekdays:
            return False
        if self.monthdays and not _counted_either_way(day.day, _month_length(day), self.monthdays):
            return False
        if self.yeardays:
            length = 366 if _is_leap(day.year) else 365
            return _counted_either_way(day.timetuple().tm_yday, length, self.yeardays)
        return True

    def admits_time(self, moment: datetime) -> bool:
        return (
            (not self.hours or moment.hour in self.hours)
            and (not self.minutes or moment.minute in self.minutes)
            and (not self.seconds or moment.second in self.seconds)
        )

    def period_size(self, freq: str) -> int:
        """At most how many occurrences one day or shorter period holds (for BYSETPOS)."""
        hours, minutes, seconds = (len(s) or 1 for s in (self.hours, self.minutes, self.seconds))
        return {
            "DAILY": hours * minutes * seconds,
            "HOURLY": minutes * seconds,
            "MINUTELY": seconds,
        }.get(freq, 1)


def frequency(rule: dict[str, Any], where: str) -> str:
    values = rule.get("FREQ") or []
    freq = str(values[0]).upper() if values else ""
    if freq not in FREQUENCIES:
        known = ", ".join(FREQUENCIES)
        raise ProgramError(f"{where}: RRULE FREQ {freq or 'missing'!r} is not one of {known}")
    return freq


def interval(rule: dict[str, Any], where: str) -> int:
    values = rule.get("INTERVAL") or [1]
    try:
        step = int(values[0])
    except (TypeError, ValueError):
        raise ProgramError(f"{where}: RRULE INTERVAL {values[0]!r} is not a number") from None
    if step < 1:
        raise ProgramError(f"{where}: RRULE INTERVAL {step} must be at least 1")
    return step


def possible_days(
    rule: dict[str, Any], start: datetime, limit: datetime, where: str
) -> tuple[date, date] | None:
    """The first and last day in [start, limit] the rule may fall on, or None if it cannot."""
    freq, step = frequency(rule, where), interval(rule, where)
    days_filter = DayFilter.of(rule, where)
    positions = frozenset(abs(p) for p in _numbers(rule, "BYSETPOS", where) if p)
    if freq in _UNIT_SECONDS:
        if positions and min(positions) > days_filter.period_size(freq):
            return None
        days = _sub_daily_days(freq, step, days_filter, start, limit)
    else:
        aligned = _aligned(freq, step, start.date(), _week_start(rule, where))
        days = [
            day
            for day in _days(start.date(), limit.date())
            if aligned(day) and days_filter.admits(day)
        ]
        if positions:
            days = _enough_for_setpos(days, freq, aligned, days_filter, min(positions), rule, where)
    return (days[0], days[-1]) if days else None


def _sub_daily_days(
    freq: str, step: int, days_filter: DayFilter, start: datetime, limit: datetime
) -> list[date]:
    jump = step * _UNIT_SECONDS[freq]
    if jump < _DAY_SECONDS:  # a step under a day reaches every day
        return [day for day in _days(start.date(), limit.date()) if days_filter.admits(day)]
    return [
        moment.date()
        for moment in _every(start, limit, timedelta(seconds=jump))
        if days_filter.admits(moment.date()) and days_filter.admits_time(moment)
    ]


def _enough_for_setpos(
    days: list[date],
    freq: str,
    aligned: Callable[[date], bool],
    days_filter: DayFilter,
    needed: int,
    rule: dict[str, Any],
    where: str,
) -> list[date]:
    """The days whose whole period holds at least ``needed`` candidates for BYSETPOS to pick."""
    if not days:
        return days
    period = _period(freq, _week_start(rule, where))
    first, _ = period(days[0])
    _, last = period(days[-1])
    per_day = days_filter.period_size("DAILY")
    counts = Counter(
        period(day) for day in _days(first, last) if aligned(day) and days_filter.admits(day)
    )
    return [day for day in days if counts[period(day)] * per_day >= needed]


def _period(freq: str, week_start: int) -> Callable[[date], tuple[date, date]]:
    """The first and last day of the period (week, month, year) holding a day."""
    if freq == "WEEKLY":

        def week(day: date) -> tuple[date, date]:
            first = _monday_like(day, week_start)
            return first, first + timedelta(days=6)

        return week
    if freq == "MONTHLY":
        return lambda day: (day.replace(day=1), day.replace(day=_month_length(day)))
    if freq == "YEARLY":
        return lambda day: (date(day.year, 1, 1), date(day.year, 12, 31))
    return lambda day: (day, day)


def _aligned(freq: str, step: int, first: date, week_start: int) -> Callable[[date], bool]:
    """Whether a day lies in a period the rule's INTERVAL reaches (counting from DTSTART's)."""
    if step == 1 or freq in _UNIT_SECONDS:  # sub-daily steps under a day reach every day
        return lambda day: True
    if freq == "DAILY":
        return lambda day: (day - first).days % step == 0
    if freq == "WEEKLY":
        origin = _monday_like(first, week_start)
        return lambda day: ((_monday_like(day, week_start) - origin).days // 7) % step == 0
    if freq == "MONTHLY":
        return lambda day: ((day.year - first.year) * 12 + day.month - first.month) % step == 0
    return lambda day: (day.year - first.year) % step == 0


def _monday_like(day: date, week_start: int) -> date:
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def _week_start(rule: dict[str, Any], where: str) -> int:
    values = rule.get("WKST") or ["MO"]
    return _weekday(str(values[0]), where)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    last = min(last, _LAST_DAY)
    while day <= last:
        yield day
        day += timedelta(days=1)


def _every(start: datetime, limit: datetime, jump: timedelta) -> Iterator[datetime]:
    moment = start
    limit = min(limit, datetime.combine(_LAST_DAY, datetime.min.time()))
    while moment <= limit:
        yield moment
        moment += jump


def _numbers(rule: dict[str, Any], key: str, where: str) -> frozenset[int]:
    try:
        return frozenset(int(str(value)) for value in rule.get(key, ()))
    except ValueError:
        raise ProgramError(
            f"{where}: RRULE {key} {rule.get(key)!r} is not a list of numbers"
        ) from None


def _weekday(text: str, where: str) -> int:
    code = str(text).strip().upper()[-2:]
    if code not in _WEEKDAYS:
        raise ProgramError(f"{where}: RRULE weekday {text!r} is not one of MO, TU, ... SU")
    return _WEEKDAYS[code]


def _counted_either_way(position: int, length: int, wanted: frozenset[int]) -> bool:
    """Whether a day's position (1-based) or its count from the end (-1 = last) is wanted."""
    return position in wanted or (position - length - 1) in wanted


def _month_length(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
