"""Every program format planner reads, in the order they are recognised.

The one list of formats: a format is added here and nowhere else. Sniffing looks at the
content, never the file name; the first format whose sniffer says yes reads the file.
Sniffers are byte tests on the file's start, kept here beside their format so that
recognising a file imports no parser; each parser is imported only when a file is in it.
"""

from __future__ import annotations

from planner.sources.base import Parse, Sample, SourceFormat

# --- sniffers ---


def _is_frab(sample: Sample) -> bool:
    # An entity declaration goes to the frab reader too, which refuses it by name.
    head = sample.data[:65536]
    return sample.markup and (b"<schedule" in head or b"<!ENTITY" in head)


def _is_ics(sample: Sample) -> bool:
    return sample.head[:15].upper().startswith(b"BEGIN:VCALENDAR")


def _is_c3voc(sample: Sample) -> bool:
    keys = sample.json_keys
    return sample.json and b"schedule" in keys and (b"conference" in keys or b"version" in keys)


def _is_sitejson(sample: Sample) -> bool:
    return sample.json and bool(sample.json_keys & {b"results", b"starttime"})


def _is_native(sample: Sample) -> bool:
    return sample.json  # any other JSON: planner's own format says what is wrong with it


def _is_csv(sample: Sample) -> bool:
    line = sample.first_line.lower()
    return (
        not sample.markup
        and b"," in line
        and b"title" in {cell.strip(b' \t\r"') for cell in line.split(b",")}
    )


def _is_daypage(sample: Sample) -> bool:
    head = sample.head
    return not sample.markup and (b"Oral:" in head or b"Timezone:" in head or b"Tutorial:" in head)


# --- parsers, imported when a file is in their format ---


def _frab() -> Parse:
    from planner.sources import frab

    return frab.parse


def _ics() -> Parse:
    from planner.sources import ics

    return ics.parse


def _c3voc() -> Parse:
    from planner.sources import c3voc

    return c3voc.parse


def _sitejson() -> Parse:
    from planner.sources import sitejson

    return sitejson.parse


def _native() -> Parse:
    from planner.sources import native

    return native.parse


def _csv() -> Parse:
    from planner.sources import csvtable

    return csvtable.parse


def _daypage() -> Parse:
    from planner.sources import daypage

    return daypage.parse


# Sniffing order matters: c3voc and the site JSON before planner's own JSON (which takes
# any JSON), and CSV before the day page, as a CSV row may well hold "Tutorial: ..." in a title.
SNIFFING_ORDER: tuple[SourceFormat, ...] = (
    SourceFormat("frab", _is_frab, _frab, "frab/Pentabarf schedule.xml"),
    SourceFormat("ics", _is_ics, _ics, "iCalendar feed (.ics)"),
    SourceFormat("c3voc", _is_c3voc, _c3voc, "c3voc schedule.json"),
    SourceFormat("sitejson", _is_sitejson, _sitejson, "conference-site JSON (results list)"),
    SourceFormat("native", _is_native, _native, "planner's own JSON"),
    SourceFormat("csv", _is_csv, _csv, "CSV with a title column"),
    SourceFormat("daypage", _is_daypage, _daypage, "a conference site's day page as text"),
)
# The order formats are named in messages and help (planner's own first).
NAMES = ("native", "daypage", "frab", "c3voc", "sitejson", "ics", "csv")
_BY_NAME = {entry.name: entry for entry in SNIFFING_ORDER}


def sniff(data: bytes) -> SourceFormat | None:
    """The format of ``data`` from its content, or None."""
    sample = Sample(data)
    if not sample.head:
        return None
    return next((entry for entry in SNIFFING_ORDER if entry.sniff(sample)), None)


def named(name: str) -> SourceFormat | None:
    return _BY_NAME.get(name)
