"""Expanding RRULE/RDATE/EXDATE series into their occurrences, with hard limits.

Occurrences are computed as wall-clock times in the series' zone (as RFC 5545 says:
a weekly 10:00 stays at 10:00 across a DST change) by dateutil.rrule, then turned into
instants by the caller. Limits, so that no rule can hang or fill memory:

- A series runs at most to the end of the program's last day (the last day any single
  event of the feed touches), and is cut there with a note. Two exceptions: with no single
  events, a series runs for one year; a series with COUNT or UNTIL that starts after that
  day keeps its own end (it is not part of the conference's days; one without an end keeps
  only its first occurrence).
- No series expands over more than one year from its DTSTART, and all series together
  over at most five years (a feed of many year-long series is not a conference program).
- A rule that cannot match in its window is never handed to dateutil (ics/rule_days.py),
  which would otherwise walk to the year 9999 looking for an occurrence.
- At most 10,000 generated occurrences in all, across the feed (DTSTART and RDATE values,
  written in the file, are always kept).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice, takewhile
from typing import Any

from planner.errors import ProgramError
from planner.sources.ics.rule_days import possible_days

MAX_OCCURRENCES = 10_000
_RULE_PARTS = frozenset(
    {"FREQ", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY"}
    | {"BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"}
)
SERIES_SPAN = timedelta(days=366)
SPAN_BUDGET = timedelta(days=1830)


@dataclass
class Budget:
    """What expansion may still spend, shared by every series of one feed."""

    occurrences: int = MAX_OCCURRENCES
    span: timedelta = SPAN_BUDGET
    exhausted_at: str | None = None  # where the occurrence cap was hit, for the note
    cut_short: list[str] = field(default_factory=list)  # series the span budget shortened

    def notes(self) -> list[str]:
        """What the limits cost, for the program's notes."""
        found = []
        if self.cut_short:
            found.append(
                f"the feed's recurring events together span more than {SPAN_BUDGET.days} days; "
                f"expanded {len(self.cut_short)} of them only in part (the first: "
                f"{self.cut_short[0]})"
            )
        if self.exhausted_at:
            found.append(
                f"stopped expanding recurring events at {MAX_OCCURRENCES} occurrences "
                f"(from the {self.exhausted_at} on)"
            )
        return found


@dataclass
class Series:
    """One recurring VEVENT's rules, all wall-clock values in the series' own zone."""

    where: str
    start: datetime  # DTSTART as a naive wall-clock time (midnight for an all-day series)
    rules: list[dict[str, Any]]  # icalendar vRecur mappings: {"FREQ": ["WEEKLY"], ...}
    extra: list[datetime] = field(default_factory=list)  # RDATE
    excluded: set[datetime] = field(default_factory=set)  # EXDATE
    last_day: date | None = None  # the program's last day (in the program's zone), for notes


def expand(
    series: Series, program_end: datetime | None, budget: Budget, notes: list[str]
) -> list[datetime]:
    """The series' occurrences (naive wall-clock times, sorted), DTSTART first unless excluded.

    DTSTART and RDATEs are written in the file and always kept; only the occurrences a
    rule generates count against the cap.
    """
    bounded = all(_is_bounded(rule) for rule in series.rules)
    limit = _limit(series, program_end, bounded, notes)
    limit = _spend_span(series, limit, budget)
    found = {series.start, *series.extra}
    generated = 0
    for moment in _merged(series, limit):
        if moment in found:
            continue
        if budget.occurrences <= 0:
            budget.exhausted_at = budget.exhausted_at or series.where
            return sorted(found - series.excluded)
        found.add(moment)
        generated += 1
        budget.occurrences -= 1
    if bounded and _goes_on_after(series, limit, generated):
        notes.append(_cut_note(series, limit))
    return sorted(found - series.excluded)


def _goes_on_after(series: Series, limit: datetime, generated: int) -> bool:
    """Whether a series with COUNT or UNTIL has an occurrence after ``limit``."""
    beyond = _add(limit, SERIES_SPAN)
    # Its occurrences up to the limit were generated once already (each rule may repeat them),
    # so this look past the limit stops soon.
    reach = (generated + len(series.extra) + len(series.excluded) + 2) * len(series.rules)
    upcoming = islice(_merged(series, beyond), reach)
    return any(moment > limit and moment not in series.excluded for moment in upcoming)


def _cut_note(series: Series, limit: datetime) -> str:
    if limit >= _add(series.start, SERIES_SPAN):
        return f"{series.where}: repeats for more than a year; expanded its first year only"
    return (
        f"{series.where}: repeats past the program's last day ({series.last_day}); expanded "
        "it up to that day"
    )


def _is_bounded(rule: dict[str, Any]) -> bool:
    return "COUNT" in rule or "UNTIL" in rule


def _limit(
    series: Series, program_end: datetime | None, bounded: bool, notes: list[str]
) -> datetime:
    longest = _add(series.start, SERIES_SPAN)
    if bounded:
        # Cut at the program's end too (expand() says so if the rule went on); a series that
        # starts after it is not part of the conference's days, so its own end holds.
        if program_end is None or program_end <= series.start:
            return longest
        return min(program_end, longest)
    if program_end is None:
        notes.append(
            f"{series.where}: repeats without end and the feed has no single events to date "
            "the program; expanded it over one year"
        )
        return longest
    if program_end < series.start:
        notes.append(
            f"{series.where}: repeats without end and starts after the program's last day; "
            "kept its first occurrence only"
        )
    else:
        notes.append(
            f"{series.where}: repeats without end; expanded it up to the program's last day "
            f"({series.last_day})"
        )
    return min(program_end, longest)


def _spend_span(series: Series, limit: datetime, budget: Budget) -> datetime:
    wanted = max(limit - series.start, timedelta(0))
    if wanted <= budget.span:
        budget.span -= wanted
        return limit
    allowed = budget.span
    budget.span = timedelta(0)
    budget.cut_short.append(series.where)
    return series.start + allowed


def _merged(series: Series, limit: datetime) -> Iterator[datetime]:
    """Every rule's occurrences up to ``limit``, merged in order (duplicates allowed)."""
    streams = [_occurrences(rule, series, limit) for rule in series.rules]
    return heapq.merge(*streams)


def _occurrences(rule: dict[str, Any], series: Series, limit: datetime) -> Iterator[datetime]:
    from dateutil.rrule import rrulestr

    parts = {key: value for key, value in rule.items() if key in _RULE_PARTS}
    until = _until(rule.get("UNTIL"), series)
    stop = limit if until is None else min(until, limit)
    count = _count(rule.get("COUNT"), series.where)
    window = possible_days(rule, series.start, stop, series.where)
    if window is None:
        return iter(())
    try:
        recurrence = rrulestr(_rule_text(parts), dtstart=series.start, ignoretz=True)
        recurrence = recurrence.replace(until=stop)  # type: ignore[union-attr]
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise ProgramError(f"{series.where}: RRULE cannot be read ({exc})") from None
    last_day = window[1]
    # Stop reading past the last possible day: dateutil would go on looking for an
    # occurrence after UNTIL, which for some rules is centuries away.
    return takewhile(lambda moment: moment.date() <= last_day, islice(recurrence, count))


def _rule_text(parts: dict[str, Any]) -> str:
    from icalendar import vRecur

    return vRecur(parts).to_ical().decode("ascii", "replace")


def _until(values: Any, series: Series) -> datetime | None:
    """UNTIL as a wall-clock time of the series (the caller turned instants into wall time)."""
    if not values:
        return None
    value = values[0] if isinstance(values, list) else values
    if isinstance(value, datetime) and value.tzinfo is None:
        return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time.max)
    raise ProgramError(f"{series.where}: RRULE UNTIL {value!r} is not a date or date-time")


def _count(values: Any, where: str) -> int | None:
    if not values:
        return None
    value = values[0] if isinstance(values, list) else values
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ProgramError(f"{where}: RRULE COUNT {value!r} is not a whole number") from None
    if count < 1:
        raise ProgramError(f"{where}: RRULE COUNT {count} must be at least 1")
    return count


def _add(moment: datetime, delta: timedelta) -> datetime:
    try:
        return moment + delta
    except OverflowError:
        return datetime.max
