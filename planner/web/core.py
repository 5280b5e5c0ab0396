"""The web face's one door into the core: each function does what a CLI command does.

Every route calls these and nothing else of planner; they return data (JSON-ready dicts,
bytes, the timetable model) and raise ``PlannerError`` like the core. Their bodies mirror
``planner/cli.py`` today (``pick`` + ``_report_edit``, ``export`` + ``_ics_export``, ...)
and call the same core functions, so that once the use-case layer exists they become
one-line calls into it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import NotFoundError, PlannerError

if TYPE_CHECKING:
    from planner.agenda import Agenda, EditResult
    from planner.export.timetable import Timetable
    from planner.feed import Feed
    from planner.model import Item, Program


@dataclass(frozen=True)
class Served:
    """What ``planner serve`` was started with: the program loaded once, the agenda file,
    the display zone (``--tz``, else the program's) and the clock (PLANNER_NOW pins it)."""

    program: Program
    agenda_path: Path
    zone: str
    now: Callable[[], datetime]


@dataclass
class EditReport:
    """What an agenda change did, as the CLI prints it: its lines, its warnings, its notes."""

    outcomes: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # clashes the change created
    notes: list[str] = field(default_factory=list)  # how a wall-clock time was read

    def as_json(self) -> dict[str, Any]:
        return {
            "messages": [outcome["message"] for outcome in self.outcomes],
            "notes": self.notes,
            "outcomes": self.outcomes,
            "warnings": self.warnings,
        }


# --- zones and ids (App.zone, ItemType) ---------------------------------------------------


def zone_of(served: Served, text: str | None) -> str:
    """The zone a request asks for (any IANA name or alias), else the server's display zone."""
    from planner.timezones import check_zone

    return served.zone if text is None or not text.strip() else check_zone(text)


def resolve_items(served: Served, ids: Iterable[str]) -> list[Item]:
    """Ids (exact, or a unique prefix) turned into program items, as ``planner pick`` reads them."""
    from planner.query import resolve_id

    return [resolve_id(served.program, text) for text in ids]


# --- reading (talks, show, agenda, clashes) -------------------------------------------------


def read_agenda(served: Served) -> Agenda:
    from planner import agenda

    return agenda.read_agenda(served.agenda_path, served.program)


def talks_json(
    served: Served,
    zone: str,
    *,
    day: date | None = None,
    room: str | None = None,
    kind: str | None = None,
    search: str | None = None,
) -> list[dict[str, Any]]:
    """``planner talks --json`` with the same filters."""
    return [present_item(item, zone) for item in find_items(served, zone, day, room, kind, search)]


def find_items(
    served: Served,
    zone: str,
    day: date | None,
    room: str | None,
    kind: str | None,
    search: str | None,
) -> list[Item]:
    """The items ``planner talks`` lists for these filters, in its order."""
    from planner.model import KINDS
    from planner.query import filter_items

    if kind and kind not in KINDS:
        raise PlannerError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    return filter_items(served.program, zone=zone, day=day, room=room, kind=kind, search=search)


def present_item(item: Item, zone: str, *, full: bool = False) -> dict[str, Any]:
    from planner.present import item_json

    return item_json(item, zone, full=full)


def when(item: Item, zone: str) -> str:
    """ "Tue 30 Aug 14:45-15:45" in ``zone`` (the list view's time column)."""
    from planner import timezones
    from planner.present import TBA, time_range

    if item.start is None:
        return TBA
    local = timezones.to_zone(item.start, zone)
    return f"{local:%a %d %b} {time_range(item.start, item.end, zone)}"


def show_json(served: Served, item_id: str, zone: str) -> dict[str, Any]:
    """``planner show ID --json``: one item with its abstract; an unknown id raises."""
    item = served.program.item_map().get(item_id)
    if item is None:
        raise NotFoundError(f"no item {item_id!r} in {served.program.id}")
    return present_item(item, zone, full=True)


def agenda_json(served: Served, current: Agenda, zone: str) -> dict[str, Any]:
    """``planner agenda --json``: {"changes", "clashes", "items"}."""
    from planner import agenda, present

    program = served.program
    found = clashes(served, current, zone)
    return present.agenda_json(
        program, current, found, agenda.changes(program, current, zone), zone
    )


def clashes(served: Served, current: Agenda, zone: str) -> list[Any]:
    """``planner clashes``: every clash of the agenda, worded in ``zone``."""
    from planner.clashes import agenda_clashes

    return agenda_clashes(served.program, current, zone=zone)


def day_view_text(served: Served, current: Agenda, zone: str) -> str:
    """``planner agenda`` as it prints without colour: the day, free gaps, changes, clashes."""
    from planner import agenda, dayview

    program = served.program
    view = dayview.build_day_view(
        program,
        current,
        clashes(served, current, zone),
        agenda.changes(program, current, zone),
        zone,
    )
    return dayview.render_day_view(view, width=88, color=False)


# --- changing the agenda (pick, drop, add) --------------------------------------------------


def pick(served: Served, ids: list[str], zone: str) -> EditReport:
    """``planner pick ID...``: under the agenda's lock, then the clashes the picks created."""
    from planner import agenda

    program, items, now = served.program, resolve_items(served, ids), served.now()
    result = agenda.update_agenda(
        served.agenda_path,
        program,
        lambda current: agenda.pick(current, program, items, zone=zone, now=now),
    )
    return _report(served, result, zone)


def drop(served: Served, ids: list[str], zone: str) -> EditReport:
    """``planner drop ID...``: picks (also vanished ones) and personal events."""
    from planner import agenda

    program = served.program
    result = agenda.update_agenda(
        served.agenda_path, program, lambda current: agenda.drop(current, program, ids)
    )
    return _report(served, result, zone, with_clashes=False)


def add_event(
    served: Served, title: str, start: str, end: str, location: str | None, zone: str
) -> EditReport:
    """``planner add TITLE --start --end [--location]``: times read in ``zone``."""
    from planner import agenda

    program = served.program
    start_at, end_at, notes = event_times(start, end, zone)
    result = agenda.update_agenda(
        served.agenda_path,
        program,
        lambda current: agenda.add_event(
            current, program, title, start_at, end_at, location, zone=zone
        ),
    )
    report = _report(served, result, zone)
    report.notes = notes
    return report


def _report(
    served: Served, result: EditResult, zone: str, *, with_clashes: bool = True
) -> EditReport:
    """cli._report_edit as data: every outcome, then each clash touching what was added."""
    from planner.clashes import clashes_touching

    report = EditReport(
        outcomes=[
            {
                "action": outcome.action,
                "covered_by": outcome.covered_by,
                "id": outcome.id,
                "message": outcome.message,
                "tba": outcome.tba,
            }
            for outcome in result.outcomes
        ]
    )
    if with_clashes:
        found = clashes_touching(served.program, result.agenda, result.touched(), zone=zone)
        report.warnings = [clash.message for clash in found]
    return report


def event_times(start: str, end: str, zone: str) -> tuple[datetime, datetime, list[str]]:
    """cli._event_times: "2022-08-30 12:00" (or ISO 8601 with an offset) read in ``zone``;
    the end may be "13:00" alone (the start's day); says how a skipped or repeated time was read."""
    from planner import timezones

    start_value, end_value = _wall_clock(start, "start"), _wall_clock(end, "end")
    if isinstance(start_value, time):
        raise PlannerError("start: give a date too, e.g. '2022-08-30 12:00'")
    return timezones.event_span(start_value, end_value, zone)


def _wall_clock(text: str, name: str) -> datetime | time:
    text = str(text).strip()
    try:
        return time.fromisoformat(text) if len(text) <= 5 else datetime.fromisoformat(text)
    except ValueError:
        raise PlannerError(
            f"{name}: {text!r} is not a time like '2022-08-30 12:00' (or '13:00')"
        ) from None


# --- export (the feed) and the timetable ----------------------------------------------------


def agenda_stamp(served: Served) -> datetime:
    """When the agenda last changed: its file's modification time, to the second, in UTC.

    The agenda stores when each pick was made, but not when one was dropped, an event added
    or a setting changed; every one of those rewrites the file, so its mtime is the one time
    that moves with every change and stays put while nothing changes. No file yet: the epoch.
    """
    try:
        seconds = int(os.stat(served.agenda_path).st_mtime)
    except OSError:
        seconds = 0
    return datetime.fromtimestamp(seconds, timezone.utc)


def export_feed(served: Served, current: Agenda, zone: str) -> Feed:
    """``planner export -o -`` (ics, in ``zone``) as a feed: the same bytes, DTSTAMP the
    agenda's last change, SEQUENCE as an export would write it, never recorded (a GET)."""
    from planner.feed import build_feed

    return build_feed(served.program, current, zone=zone, stamp=agenda_stamp(served))


def timetable(served: Served, current: Agenda, zone: str) -> Timetable:
    """The whole program laid out by day (``planner export --format html --all``'s model)."""
    from planner.export import timetable as layout

    return layout.build(
        served.program,
        current,
        zone=zone,
        now=served.now(),
        show_all=True,
        clashes=clashes(served, current, zone),
    )


def day_html(day: Any, zone: str) -> str:
    """One day's grid, rendered by the HTML export's own code (already escaped)."""
    from planner.export.html import render_day

    return render_day(day, zone)


def timetable_css() -> str:
    from planner.export.html import CSS

    return CSS


def zone_names() -> list[str]:
    from planner.timezones import common_zone_names

    return common_zone_names()


def covering(served: Served, current: Agenda) -> dict[str, str]:
    """Pick id -> the picked session that covers it (``agenda --json``'s ``covered_by``)."""
    from planner.agenda import covered_by

    return covered_by(served.program, current)


def program_kinds() -> tuple[str, ...]:
    from planner.model import KINDS

    return tuple(KINDS)
