"""``planner serve``: the agenda as a local web page, a JSON API and a calendar feed.

The only package that imports the web framework (starlette, uvicorn, jinja2). Every call
into the core goes through ``planner.web.core``; ``planner.cli`` imports this package only inside
the ``serve`` command, so no other command pays for it at start-up.
"""

from __future__ import annotations

from planner.web.server import serve

__all__ = ["serve"]
