"""How planner marks the files it exports, in one place: the .ics PRODID and the HTML
generator tag are written from here, and an existing file is recognised as an earlier
export (one an export may replace without --force) by the same text. No icalendar here:
checking a target must not load the calendar library."""

from __future__ import annotations

import re

from planner import __version__

PRODID_VENDOR = "-//planner//"
PRODID = f"{PRODID_VENDOR}planner {__version__}//EN"
GENERATOR = f"planner {__version__}"
GENERATOR_TAG = f'<meta name="generator" content="{GENERATOR}">'

# Any version's: an export of an older planner is still an earlier export.
_EARLIER_EXPORT = re.compile(
    re.escape(f"PRODID:{PRODID_VENDOR}".encode())
    + b"|"
    + re.escape(b'<meta name="generator" content="planner')
)


def is_planner_export(head: bytes) -> bool:
    """Whether a file's first bytes show an .ics or HTML page planner wrote."""
    return _EARLIER_EXPORT.search(head) is not None
