"""The JSON API, the feed and the static assets; every answer of the core through web.core.

API (documented in the README, "planner serve"): the same JSON shapes as the CLI's --json.
Errors are JSON ``{"error": "..."}`` with 400 (bad input, unknown zone, a track or language
the program lacks), 404 (unknown id), 409 (the agenda cannot be changed as asked), 413 (body
too large); never a traceback.
"""

from __future__ import annotations

import json
from email.utils import format_datetime
from importlib import resources
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from planner.errors import AgendaError, ExportError, FilterError, NotFoundError, PlannerError
from planner.web import core
from planner.web.security import MAX_BODY_BYTES

STATIC_TYPES = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}
CALENDAR_TYPE = "text/calendar; charset=utf-8"


class BadRequest(PlannerError):
    """A request the API cannot read (not JSON, wrong shape)."""


class BodyTooLarge(PlannerError):
    """A body over MAX_BODY_BYTES, sent without a Content-Length that told so."""


def status_of(exc: PlannerError) -> int:
    if isinstance(exc, FilterError):
        return 400  # a track or language the program lacks: a bad filter, as a bad kind is
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, BodyTooLarge):
        return 413
    if isinstance(exc, (AgendaError, ExportError)):
        return 409
    return 400  # ZoneError, BadRequest, a bad time or kind


def served(request: Request) -> core.Served:
    return request.app.state.served


def zone(request: Request) -> str:
    return core.zone_of(served(request), request.query_params.get("tz"))


async def read_json(request: Request) -> dict[str, Any]:
    """The body as a JSON object, read up to MAX_BODY_BYTES."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge(f"the request body is larger than {MAX_BODY_BYTES // 1024} KB")
        chunks.append(chunk)
    try:
        data = json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadRequest('the request body is not JSON; send e.g. {"ids": ["talk-id"]}')
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object")
    return data


def _strings(data: dict[str, Any], key: str, example: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise BadRequest(f"{key!r} must be a non-empty list of strings, e.g. {example}")
    return value


def _text(data: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadRequest(f"{key!r} must be a string")
    return value


# --- reading ------------------------------------------------------------------------------


async def program_api(request: Request) -> Response:
    """GET /api/program: `planner talks --json` with its filters (day, room, kind, search,
    track and language; the last two repeatable, as --track and --language)."""
    listing = core.Listing.from_query(request.query_params)
    return JSONResponse(core.talks_json(served(request), zone(request), listing))


async def item_api(request: Request) -> Response:
    """GET /api/items/{id}: `planner show ID --json`."""
    return JSONResponse(core.show_json(served(request), request.path_params["id"], zone(request)))


async def agenda_api(request: Request) -> Response:
    """GET /api/agenda: `planner agenda --json`."""
    door, shown_zone = served(request), zone(request)
    current = await run_in_threadpool(core.read_agenda, door)
    return JSONResponse(core.agenda_json(door, current, shown_zone))


# --- changing -----------------------------------------------------------------------------


async def pick_api(request: Request) -> Response:
    """POST /api/picks {"ids": [...]}: `planner pick`."""
    shown_zone = zone(request)
    ids = _strings(await read_json(request), "ids", '{"ids": ["deeppool"]}')
    report = await run_in_threadpool(core.pick, served(request), ids, shown_zone)
    return JSONResponse(report.as_json())


async def drop_pick_api(request: Request) -> Response:
    """DELETE /api/picks/{id}: `planner drop ID` for a pick."""
    return await _drop(request, request.path_params["id"], want_event=False)


async def drop_event_api(request: Request) -> Response:
    """DELETE /api/events/{id}: `planner drop ID` for a personal event."""
    return await _drop(request, request.path_params["id"], want_event=True)


async def _drop(request: Request, entry_id: str, *, want_event: bool) -> Response:
    door, shown_zone = served(request), zone(request)
    current = await run_in_threadpool(core.read_agenda, door)
    if want_event and current.find_event(entry_id) is None:
        raise NotFoundError(f"no personal event {entry_id!r} in your agenda")
    report = await run_in_threadpool(core.drop, door, [entry_id], shown_zone)
    outcome = report.outcomes[0]
    if outcome["action"] == "not_picked":
        raise NotFoundError(outcome["message"])
    if outcome["action"] == "only_covered":
        raise AgendaError(outcome["message"])
    return JSONResponse(report.as_json())


async def add_event_api(request: Request) -> Response:
    """POST /api/events {"title", "start", "end", "location"}: `planner add`."""
    shown_zone = zone(request)
    data = await read_json(request)
    title, start, end = (_text(data, key) for key in ("title", "start", "end"))
    location = _text(data, "location", required=False)
    report = await run_in_threadpool(
        core.add_event, served(request), title, start, end, location, shown_zone
    )
    return JSONResponse(report.as_json(), status_code=201)


# --- the feed and the assets ----------------------------------------------------------------


async def feed(request: Request) -> Response:
    """GET /agenda.ics[?tz=ZONE]: what `planner export` writes, for calendar subscriptions."""
    door, shown_zone = served(request), zone(request)
    current = await run_in_threadpool(core.read_agenda, door)
    built = await run_in_threadpool(core.export_feed, door, current, shown_zone)
    headers = {
        "ETag": built.etag,
        "Last-Modified": format_datetime(built.stamp, usegmt=True),
        "Cache-Control": "no-cache",
    }
    if _matches(request.headers.get("if-none-match"), built.etag):
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return Response(built.data, media_type=CALENDAR_TYPE, headers=headers)


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    offered = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in offered or etag in offered


async def static(request: Request) -> Response:
    """Planner's own assets, by name from a fixed list: no path of the disk is reachable."""
    name = request.path_params["name"]
    if name == "timetable.css":
        return Response(core.timetable_css(), media_type="text/css; charset=utf-8")
    if name not in STATIC_TYPES:
        raise NotFoundError(f"no asset {name!r}")
    data = resources.files("planner.web").joinpath("static", name).read_bytes()
    return Response(data, media_type=STATIC_TYPES[name], headers={"Cache-Control": "no-cache"})
