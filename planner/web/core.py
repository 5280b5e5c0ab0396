"""The web face's one door into the core: each function does what a CLI command does.

Every route calls these and nothing else of planner; they return data (JSON-ready dicts,
bytes, the timetable model) and raise ``PlannerError`` like the core. Changes to the agenda
are the use cases of ``planner.actions`` that the CLI calls too, so both faces give the same
messages, clashes and files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from planner.errors import NotFoundError, PlannerError

if TYPE_CHECKING:
    from planner import actions
    from planner.agenda import Agenda
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


# --- reading (talks, show, agenda, clashes) -------------------------------------------------


def read_agenda(served: Served) -> Agenda:
    from planner import agenda

    return agenda.read_agenda(served.agenda_path, served.program)


@dataclass(frozen=True)
class Listing:
    """What a listing asks for, as the query string gives it (``planner talks``'s filters).

    Empty means any. ``tracks`` and ``languages`` are alternatives, as ``--track A --track
    B`` are: ``?track=A&track=B``. The rules (exact track in any case, the error naming the
    closest one) are ``planner.query``'s, so both faces answer alike.
    """

    day: str = ""
    room: str = ""
    kind: str = ""
    search: str = ""
    tracks: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, query: QueryParams) -> Listing:
        def given(key: str) -> tuple[str, ...]:
            return tuple(value for value in query.getlist(key) if value.strip())

        texts = {key: query.get(key) or "" for key in ("day", "room", "kind", "search")}
        return cls(**texts, tracks=given("track"), languages=given("language"))

    @property
    def filtered(self) -> bool:
        """Whether it asks for more than a day (the page then lists the matches)."""
        return bool(self.room or self.kind or self.search or self.tracks or self.languages)

    def params(self) -> list[tuple[str, str]]:
        """The query string that asks for it again (the page's day links keep the filters)."""
        single = [(key, getattr(self, key)) for key in ("day", "search", "kind", "room")]
        repeated = [("track", t) for t in self.tracks] + [("language", t) for t in self.languages]
        return [(key, value) for key, value in single + repeated if value]


class QueryParams(Protocol):
    """A request's query string: starlette's ``QueryParams`` or anything with its reads."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[str]: ...


def talks_json(served: Served, zone: str, listing: Listing) -> list[dict[str, Any]]:
    """``planner talks --json`` with the same filters."""
    return [present_item(item, zone) for item in find_items(served, zone, listing)]


def find_items(served: Served, zone: str, listing: Listing) -> list[Item]:
    """The items ``planner talks`` lists for these filters, in its order."""
    from planner.model import check_kind
    from planner.query import Wanted, filter_items

    wanted = Wanted(
        day=_day(listing.day),
        room=listing.room or None,
        kind=check_kind(listing.kind) if listing.kind else None,
        search=listing.search or None,
        tracks=listing.tracks,
        languages=listing.languages,
    )
    return filter_items(served.program, wanted, zone=zone)


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PlannerError(f"day {text!r} is not a date like 2022-08-30")


def labels(served: Served) -> dict[str, list[str]]:
    """The program's tracks and languages, for the page's filters: each once (in any case,
    as the filter matches them), in the spelling first met, sorted."""
    found: dict[str, dict[str, str]] = {"tracks": {}, "languages": {}}
    for item in served.program.items:
        for key, label in (("tracks", item.track), ("languages", item.language)):
            if label:
                found[key].setdefault(label.casefold(), label)
    return {key: sorted(seen.values(), key=str.casefold) for key, seen in found.items()}


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
    from planner.agenda import agenda_clashes

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


# --- changing the agenda (pick, drop, add): planner.actions, as the CLI calls them ---------


def pick(served: Served, ids: list[str], zone: str) -> EditReport:
    """``planner pick ID...``: under the agenda's lock, then the clashes the picks created."""
    from planner import actions

    items = actions.find_items(served.program, ids)
    done = actions.pick(served.program, served.agenda_path, items, zone=zone, now=served.now())
    return _report(done)


def drop(served: Served, ids: list[str], zone: str) -> EditReport:
    """``planner drop ID...``: picks (also vanished ones) and personal events."""
    from planner import actions

    return _report(actions.drop(served.program, served.agenda_path, ids))


def add_event(
    served: Served, title: str, start: str, end: str, location: str | None, zone: str
) -> EditReport:
    """``planner add TITLE --start --end [--location]``: times read in ``zone``."""
    from planner import actions

    start_at = actions.parse_wall_clock(start, "start")
    if isinstance(start_at, time):
        raise PlannerError("start: give a date too, e.g. '2022-08-30 12:00'")
    when = (start_at, actions.parse_wall_clock(end, "end"))
    done = actions.add_event(served.program, served.agenda_path, title, when, location, zone=zone)
    return _report(done)


def _report(done: actions.EditReport) -> EditReport:
    """The use case's report as JSON-ready data: every outcome, the clashes it created."""
    outcomes = [
        {
            "action": outcome.action,
            "covered_by": outcome.covered_by,
            "id": outcome.id,
            "message": outcome.message,
            "tba": outcome.tba,
        }
        for outcome in done.outcomes
    ]
    return EditReport(outcomes, [clash.message for clash in done.clashes], list(done.notes))


# --- export (the feed) and the timetable ----------------------------------------------------


def agenda_stamp(served: Served) -> datetime:
    """When the agenda last changed: its file's modification time, to the second, in UTC.

    The agenda stores when each pick was made, but not when one was dropped, an event added
    or a setting changed; every one of those rewrites the file, so its mtime is the one time
    that moves with every change and stays put while nothing changes. No file yet: the epoch.
    The file is the one the agenda is read from (a former id's, until the first change).
    """
    from planner.agenda.store import stored_file

    try:
        seconds = int(os.stat(stored_file(served.agenda_path, served.program)).st_mtime)
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
