"""The agenda as a calendar feed: what ``planner export`` writes, stable for subscribers.

Pure functions over the model, no I/O. A subscribed calendar fetches the feed again and
again, so its bytes must only change when the agenda does:

- DTSTAMP is the instant the agenda last changed (the caller passes it in: ``planner serve``
  uses the agenda file's modification time, since the agenda stores no time for a drop, a
  personal event or a settings change), never the time of the request;
- SEQUENCE is the value an export would write now, computed without recording it:
  ``to_ics`` reads ``sequence_of`` for each pick, which is the stored SEQUENCE plus one for
  an item that changed since calendars last received it. An export that then records it
  (``mark_exported``) stores that same number, so the feed never shows less than an
  export wrote and never rises by reading.

The bytes are the export's bytes with two lines added after the calendar's own properties:
``REFRESH-INTERVAL`` (RFC 7986) and ``X-PUBLISHED-TTL`` (Outlook's and Apple's spelling).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from planner.errors import ExportError

if TYPE_CHECKING:
    from planner.agenda import Agenda
    from planner.model import Program

REFRESH_LINES = b"REFRESH-INTERVAL;VALUE=DURATION:PT15M\r\nX-PUBLISHED-TTL:PT15M\r\n"
_BEGIN_CALENDAR = b"BEGIN:VCALENDAR\r\n"


@dataclass(frozen=True)
class Feed:
    data: bytes
    etag: str  # a strong validator: quoted hash of the bytes
    stamp: datetime  # DTSTAMP and Last-Modified


def with_refresh_lines(ics: bytes) -> bytes:
    """``ics`` with the refresh lines after the calendar's properties, before any component."""
    if not ics.startswith(_BEGIN_CALENDAR):
        raise ValueError("not an iCalendar stream")
    body_start = len(_BEGIN_CALENDAR)
    first_component = ics.find(b"\r\nBEGIN:", body_start)
    if first_component == -1:
        first_component = ics.rindex(b"\r\nEND:VCALENDAR")
    cut = first_component + 2
    return ics[:cut] + REFRESH_LINES + ics[cut:]


def etag_of(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def empty_calendar(name: str, zone: str) -> bytes:
    """A calendar with no events, for an agenda with nothing to export yet: a subscription
    made before the first pick stays valid and fills in later (an export refuses instead)."""
    from icalendar import Calendar

    from planner.export.ics import PRODID
    from planner.export.serialise import to_bytes

    cal = Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone)
    return to_bytes(cal)


def build_feed(program: Program, agenda: Agenda, *, zone: str, stamp: datetime) -> Feed:
    """The feed for ``agenda``: the export's bytes (zone ``zone``, DTSTAMP ``stamp``) plus
    the refresh lines, with its ETag."""
    from planner.export.ics import to_ics

    try:
        data = to_ics(program, agenda, zone=zone, now=stamp, alarm_minutes=None, name=None).data
    except ExportError:
        data = empty_calendar(f"{program.name} - my agenda", zone)
    data = with_refresh_lines(data)
    return Feed(data=data, etag=etag_of(data), stamp=stamp)
