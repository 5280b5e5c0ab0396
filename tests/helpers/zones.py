"""Where zoneinfo's offsets change: the expectation export tests check against."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc


def offset_changes(zone: str, year: int) -> list[tuple[datetime, timedelta]]:
    """(UTC instant, new offset) wherever zoneinfo's offset for ``zone`` changes in ``year``.

    Found day by day, then to the quarter hour: every offset change in the zone data falls on one.
    """
    tz = ZoneInfo(zone)
    found = []
    day, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    while day < end:
        following = day + timedelta(days=1)
        if day.astimezone(tz).utcoffset() != following.astimezone(tz).utcoffset():
            moment = day
            while moment.astimezone(tz).utcoffset() == day.astimezone(tz).utcoffset():
                moment += timedelta(minutes=15)
            found.append((moment, moment.astimezone(tz).utcoffset()))
        day = following
    return found
