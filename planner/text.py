"""Wording shared by every face and format: one place, so the CLI, the exports and the web
page say a time the same way. Pure functions, no I/O."""

from __future__ import annotations

from datetime import datetime

from planner import timezones

# --- clock and span wording ---

TO_BE_ANNOUNCED = "to be announced"


def clock(moment: datetime | None, zone: str, *, with_day: bool = False) -> str:
    """``14:05`` (or ``Tue 30 Aug 14:05``) in ``zone``; "to be announced" for no time."""
    if moment is None:
        return TO_BE_ANNOUNCED
    local = timezones.to_zone(moment, zone)
    return f"{local:%a %d %b %H:%M}" if with_day else f"{local:%H:%M}"


def span(start: datetime, end: datetime, zone: str) -> str:
    """``14:05-14:30`` in ``zone``; with weekdays (``Tue 23:50-Wed 00:10``) across midnight."""
    local_start, local_end = timezones.to_zone(start, zone), timezones.to_zone(end, zone)
    if local_start.date() != local_end.date():
        return f"{local_start:%a %H:%M}-{local_end:%a %H:%M}"
    return f"{local_start:%H:%M}-{local_end:%H:%M}"


def time_range(start: datetime | None, end: datetime | None, zone: str, *, tba: str) -> str:
    """``23:45-00:45+1`` in ``zone`` (``+N``: ends N days later); ``tba`` for no time."""
    if start is None or end is None:
        return tba
    return local_range(timezones.to_zone(start, zone), timezones.to_zone(end, zone))


def local_range(local_start: datetime, local_end: datetime, *, dash: str = "-") -> str:
    """``23:45-00:45+1`` for two wall-clock times already in the zone meant."""
    days = (local_end.date() - local_start.date()).days
    later = f"+{days}" if days else ""
    return f"{local_start:%H:%M}{dash}{local_end:%H:%M}{later}"


def dated_span(start: datetime, end: datetime) -> str:
    """``2022-08-30 14:05-14:30`` in the times' own offset (as a program file gives them)."""
    return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
