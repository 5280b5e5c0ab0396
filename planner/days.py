"""Which conference day an item or event is listed under: one rule for every face.

A program's own days (frab/Pentabarf ``<day date start end>``, c3voc ``day_start`` and
``day_end``) decide for the instants inside them, whatever zone they are shown in. Any other
instant belongs to its date in the display zone, or to the date before when its wall-clock
time there is earlier than the day change: the program's ``day_change`` (a Pentabarf file's,
or ``--day-change``), else 04:00. So a 02:00 set is listed under the night it ends, and
``--day-change 00:00`` gives calendar dates. Instants never change, only the day they are
listed under.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, time, timedelta

from planner import timezones
from planner.model import ConferenceDay, Program

DEFAULT_DAY_CHANGE = time(4, 0)
# How many earlier days an instant is checked against: days may overlap their neighbours
# (a day_end after the next day_start), never more.
_OVERLAPPING = 2


class ConferenceDays:
    """The day rule of one program; ``day_of`` remembers each instant it was asked about
    (programs repeat the same few start times thousands of times)."""

    def __init__(self, program: Program, zone: str) -> None:
        self.zone = zone
        self.day_change = DEFAULT_DAY_CHANGE if program.day_change is None else program.day_change
        self._days: list[ConferenceDay] = sorted(program.days, key=lambda day: day.start)
        self._starts = [day.start for day in self._days]
        self._known: dict[datetime, date] = {}

    def day_of(self, moment: datetime) -> date:
        found = self._known.get(moment)
        if found is None:
            found = self._known[moment] = self._day_of(moment)
        return found

    def _day_of(self, moment: datetime) -> date:
        position = bisect_right(self._starts, moment)
        for day in reversed(self._days[max(0, position - _OVERLAPPING) : position]):
            if moment < day.end:
                return day.date
        return timezones.conference_date(moment, self.zone, self.day_change)


def with_day_change(program: Program, day_change: time | None) -> Program:
    """``program`` with its days cut at ``day_change`` (``--day-change``), which then wins over
    the file's own days and day change; the same program when None. Items are shared, not
    copied: only the day rule differs."""
    if day_change is None:
        return program
    return program.model_copy(update={"day_change": day_change, "days": []})


def day_bounds(program: Program, day: date, zone: str) -> tuple[datetime, datetime]:
    """The instants conference day ``day`` runs between: the program's own day where it gives
    one, else from the day change on ``day`` to the day change on the next date."""
    own = next((found for found in program.days if found.date == day), None)
    if own is not None:
        return own.start, own.end
    change = DEFAULT_DAY_CHANGE if program.day_change is None else program.day_change
    return (
        timezones.combine(day, change, zone)[0],
        timezones.combine(day + timedelta(days=1), change, zone)[0],
    )


def clock_on_day(
    program: Program, day: date, clock: time, zone: str, *, closing: bool = False
) -> datetime:
    """The instant a wall-clock time names on conference day ``day``: a time before the day
    change is in the night after it (``--from 01:00`` on a congress day is the small hours);
    ``closing`` (an ``--until``): the day change itself is the end of that night too."""
    change = DEFAULT_DAY_CHANGE if program.day_change is None else program.day_change
    night = clock <= change if closing else clock < change
    on = day + timedelta(days=1) if night and change != time(0) else day
    return timezones.combine(on, clock, zone)[0]
