"""The ASGI application: routes, error answers, and the security checks around them."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from planner.errors import PlannerError
from planner.web import routes
from planner.web.core import Served
from planner.web.page import page
from planner.web.security import Guard, SecurityMiddleware


def create_app(served: Served, guard: Guard) -> Starlette:
    """The app for one program and agenda; ``guard`` says which Host and token it accepts."""
    app = Starlette(
        routes=[
            Route("/", page, methods=["GET"]),
            Route("/agenda.ics", routes.feed, methods=["GET"]),
            Route("/api/program", routes.program_api, methods=["GET"]),
            Route("/api/items/{id:path}", routes.item_api, methods=["GET"]),
            Route("/api/agenda", routes.agenda_api, methods=["GET"]),
            Route("/api/picks", routes.pick_api, methods=["POST"]),
            Route("/api/picks/{id:path}", routes.drop_pick_api, methods=["DELETE"]),
            Route("/api/events", routes.add_event_api, methods=["POST"]),
            Route("/api/events/{id:path}", routes.drop_event_api, methods=["DELETE"]),
            Route("/static/{name}", routes.static, methods=["GET"]),
        ],
        middleware=[Middleware(SecurityMiddleware, guard=guard)],
        exception_handlers={
            PlannerError: planner_error,
            HTTPException: http_error,
            Exception: server_error,
        },
    )
    app.state.served = served
    app.state.token = guard.token
    return app


async def planner_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PlannerError)
    return JSONResponse({"error": str(exc)}, status_code=routes.status_of(exc))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: f"no such page: {request.url.path}", 405: "method not allowed here"}
    message = messages.get(exc.status_code, exc.detail)
    return JSONResponse({"error": message}, status_code=exc.status_code)


async def server_error(request: Request, exc: Exception) -> Response:
    # A bug, not the attendee's input: one line, no traceback in the page.
    return JSONResponse(
        {"error": f"internal error ({type(exc).__name__}); the agenda was not changed by it"},
        status_code=500,
    )
