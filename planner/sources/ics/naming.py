"""The name a calendar goes by, when its file gives it none in X-WR-CALNAME.

The ladder: X-WR-CALNAME; else the organiser part of PRODID ("-//JRES 2022//Programme//FR"
names "JRES 2022"), unless it names the software that wrote the file (pretalx, Google, ...);
else the domain most UIDs end in ("@2023.pycon.org.au"), or for UIDs made by pretalx
("pretalx-pyconau2023-ABC123@pretalx.com", or without the "pretalx-") the event slug in
them. Only when none of these names the calendar does the file name (the caller's last
resort). The program id, and so the agenda's file and the exported UIDs, comes from the
name: a feed keeps its id when it is downloaded again under another file name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# PRODID's owner names the product's maker: for these it is software, not the conference.
_SOFTWARE_MAKERS = frozenset(
    {
        "apple", "eventbrite", "frab", "google", "ical4j", "icalendar", "indico", "meetup",
        "microsoft", "mozilla", "mozillaorg", "nextcloud", "owncloud", "pentabarf", "pretalx",
        "sabre", "sched", "vobject", "whova", "wordpress", "yahoo", "zoom",
    }
)  # fmt: skip
# Domains that host many organisations' calendars: they name nobody's conference.
_SHARED_HOSTS = frozenset(
    {
        "calendar.google.com", "google.com", "icloud.com", "meetup.com", "outlook.com",
        "eventbrite.com", "frab.cccv.de", "pretalx.com", "localhost", "localhost.localdomain",
    }
)  # fmt: skip
_HOST = re.compile(r"^(?=.*[a-z])[a-z0-9-]+(\.[a-z0-9-]+)+$")
_PRETALX_HOST = "pretalx.com"
_PRETALX_PREFIX = "pretalx-"
_FIRST_WORD = re.compile(r"[a-z0-9]+")


def calendar_name(calname: str | None, prodid: str | None, uids: Iterable[str]) -> str | None:
    """The calendar's name by the ladder above, or None when nothing in the file names it."""
    return calname or _prodid_organiser(prodid) or _uid_name(uids)


def _prodid_organiser(prodid: str | None) -> str | None:
    """The owner in a formal PRODID ("-//Owner//Product//Language"), unless it is software."""
    if not prodid or not prodid.startswith(("-//", "+//")):
        return None
    parts = prodid.split("//")
    owner = " ".join(parts[1].split()) if len(parts) > 2 else ""
    first = _FIRST_WORD.search(owner.lower().replace(".", ""))
    if first is None or first.group() in _SOFTWARE_MAKERS:
        return None
    return owner


def _uid_name(uids: Iterable[str]) -> str | None:
    """The event slug of pretalx UIDs, else the domain most UIDs end in."""
    hosts: Counter[str] = Counter()
    slugs: Counter[str] = Counter()
    for uid in uids:
        local, at, host = uid.strip().rpartition("@")
        if not at or not local:
            continue
        host = host.lower().rstrip(".")
        hosts[host] += 1
        slug = _pretalx_slug(local, host)
        if slug:
            slugs[slug] += 1
    if not hosts:
        return None
    host = hosts.most_common(1)[0][0]
    if slugs and (host == _PRETALX_HOST or slugs.total() * 2 > hosts.total()):
        return slugs.most_common(1)[0][0]
    if host in _SHARED_HOSTS or not _HOST.match(host):
        return None
    return host


def _pretalx_slug(local: str, host: str) -> str | None:
    """ "pyconau2023" from "pretalx-pyconau2023-ABC123" (any host) or, at pretalx.com,
    from "pyconau2023-ABC123": pretalx writes "pretalx-<event>-<submission code>"."""
    if local.startswith(_PRETALX_PREFIX):
        local = local[len(_PRETALX_PREFIX) :]
    elif host != _PRETALX_HOST:
        return None
    slug, dash, code = local.rpartition("-")
    return slug if dash and slug and code.isalnum() else None
