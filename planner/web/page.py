"""The page: one day of the timetable grid (the HTML export's own layout), a list view for
narrow screens, search and filters, the zone selector, and the "My agenda" panel.

Rendered by jinja2 with autoescaping on: every program text is escaped where it enters the
markup; the grid comes already escaped from ``planner.export.html``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from planner.errors import PlannerError
from planner.web import core


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("planner.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


async def page(request: Request) -> HTMLResponse:
    from starlette.concurrency import run_in_threadpool

    door = request.app.state.served
    query = request.query_params
    try:
        zone = core.zone_of(door, query.get("tz"))
        # The day is the grid's, not a filter: the page lists a filter's matches on every day.
        filters = replace(core.Listing.from_query(query), day="")
        current = await run_in_threadpool(core.read_agenda, door)
        context = await run_in_threadpool(_context, request, door, current, zone, filters)
    except PlannerError as exc:
        from planner.web.routes import status_of

        html = environment().get_template("error.html").render(message=str(exc))
        return HTMLResponse(html, status_code=status_of(exc))
    return HTMLResponse(environment().get_template("page.html").render(**context))


def _context(
    request: Request, door: core.Served, current: Any, zone: str, filters: core.Listing
) -> dict[str, Any]:
    table = core.timetable(door, current, zone)
    days = [day.date for day in table.days]
    chosen = _chosen_day(request.query_params.get("day"), days)
    day = next((d for d in table.days if d.date == chosen), None)
    if filters.filtered:
        listed = core.find_items(door, zone, filters)
    else:
        listed = core.find_items(door, zone, core.Listing(day=chosen.isoformat())) if chosen else []
    clashes = core.clashes(door, current, zone)
    clashing = {item_id for clash in clashes for item_id in clash.items}
    picked = {pick.id for pick in current.picks}
    covered = core.covering(door, current)
    token = request.app.state.token
    keep = [("tz", zone), *filters.params()]
    return {
        "program": door.program,
        "zone": zone,
        "zone_names": core.zone_names(),
        "kinds": core.program_kinds(),
        "rooms": [room.name for room in door.program.rooms],
        **core.labels(door),
        "chosen_tracks": {track.casefold() for track in filters.tracks},
        "chosen_languages": {language.casefold() for language in filters.languages},
        "filters": filters,
        "days": [
            {
                "date": d,
                "href": "?" + urlencode([*keep, ("day", d.isoformat())]),
                "chosen": d == chosen,
            }
            for d in days
        ],
        "chosen": chosen,
        "grid": Markup(core.day_html(day, zone)) if day is not None else None,
        "matches": [item.id for item in listed] if filters.filtered else [],
        "listed": [
            {
                "item": item,
                "when": core.when(item, zone),
                "picked": item.id in picked,
                "covered": item.id in covered,
                "clash": item.id in clashing,
            }
            for item in listed
        ],
        "picks": core.agenda_json(door, current, zone)["items"],
        "events": current.events,
        "clashes": clashes,
        "day_view": core.day_view_text(door, current, zone),
        "ics_href": _feed_query(zone, token),
        "webcal": _webcal(request, zone, token),
    }


def _chosen_day(text: str | None, days: list[date]) -> date | None:
    if text:
        try:
            wanted = date.fromisoformat(text)
        except ValueError:
            wanted = None
        if wanted in days:
            return wanted
    return days[0] if days else None


def _feed_query(zone: str, token: str | None) -> str:
    params = {"tz": zone, **({"token": token} if token else {})}
    return "/agenda.ics?" + urlencode(params)


def _webcal(request: Request, zone: str, token: str | None) -> str:
    host = request.headers.get("host", "")
    return f"webcal://{host}{_feed_query(zone, token)}"
