"""The checks every request passes before a route sees it (it is a server, on a laptop).

- Host: the request must name the address the server listens on (127.0.0.1, localhost, or
  the ``--host`` value, with the port), so a page of another site whose name was rebound to
  127.0.0.1 (DNS rebinding) is refused. A wildcard bind (0.0.0.0, ::) listens on every
  address of the machine, so any Host is taken there; the token still guards it.
- Token: any bind other than 127.0.0.1 / localhost needs the token planner printed in the
  URL (``?token=``); it is then kept in a cookie. No token: 401.
- Changes (POST, DELETE) only when ``Origin`` (or, without one, ``Referer``) is the server
  itself: another origin or neither header gets 403. Other methods than GET/HEAD/POST/DELETE
  get 405.
- Bodies larger than ``MAX_BODY_BYTES`` (by Content-Length) get 413 before they are read;
  routes also stop reading at that size.
- Every answer carries a Content-Security-Policy (scripts and styles from this server only;
  the timetable's inline ``style`` attributes allowed, nothing else inline) and friends.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_NAMES = ("127.0.0.1", "localhost")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
TOKEN_COOKIE = "planner_token"
MAX_BODY_BYTES = 1024 * 1024  # a pick list of every id of a 20,000-item program fits
SAFE_METHODS = frozenset({"GET", "HEAD"})
CHANGE_METHODS = frozenset({"POST", "DELETE"})
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def needs_token(host: str) -> bool:
    """Every bind but 127.0.0.1 / localhost (127.0.0.2 and ::1 included) needs the token."""
    return host.lower() not in LOOPBACK_NAMES


def new_token() -> str:
    return secrets.token_urlsafe(24)


def url_host(host: str) -> str:
    """``host`` as it appears in a URL (an IPv6 address in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


@dataclass(frozen=True)
class Guard:
    """What the checks accept: Host header values, and the token (None: not needed)."""

    hosts: frozenset[str]
    any_host: bool
    token: str | None

    @classmethod
    def for_bind(cls, host: str, port: int, token: str | None) -> Guard:
        names = {*LOOPBACK_NAMES, url_host(host)}
        hosts = {f"{name}:{port}".lower() for name in names}
        if port == 80:
            hosts |= {name.lower() for name in names}
        return cls(frozenset(hosts), host in WILDCARD_HOSTS, token)

    def host_ok(self, host: str) -> bool:
        return bool(host) and (self.any_host or host.lower() in self.hosts)

    def token_ok(self, offered: str | None) -> bool:
        return self.token is None or (
            offered is not None and secrets.compare_digest(offered.encode(), self.token.encode())
        )


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            status, message = refusal
            await _send_error(send, status, message)
            return
        from_query = _query_token(scope)
        set_cookie = self.guard.token is not None and from_query == self.guard.token

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(SECURITY_HEADERS)
                if set_cookie:
                    cookie = f"{TOKEN_COOKIE}={self.guard.token}; Path=/; HttpOnly; SameSite=Strict"
                    extra.append((b"set-cookie", cookie.encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "")
        if not self.guard.host_ok(host):
            return 400, (
                f"this server does not answer for the host {host!r}; "
                "open it by the address `planner serve` printed"
            )
        if not self.guard.token_ok(_query_token(scope) or _cookie_token(headers)):
            return 401, (
                "this planner needs its token: open the URL with ?token=... that "
                "`planner serve` printed"
            )
        method = scope["method"]
        if method not in SAFE_METHODS | CHANGE_METHODS:
            return 405, f"{method} is not supported; changes are POST or DELETE"
        if method in CHANGE_METHODS and not _same_origin(headers, host):
            return 403, (
                "a change must come from this planner's own page (the Origin or Referer "
                "header names another site, or neither is sent)"
            )
        length = headers.get("content-length", "0")
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            return 413, f"the request body is larger than {MAX_BODY_BYTES // 1024} KB"
        return None


def _headers(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").lower()
        if key not in found:  # the first of repeated headers
            found[key] = value.decode("latin-1")
    return found


def _query_token(scope: Scope) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[0] if values else None


def _cookie_token(headers: dict[str, str]) -> str | None:
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is no token
        return None
    morsel = cookie.get(TOKEN_COOKIE)
    return morsel.value if morsel is not None else None


def _same_origin(headers: dict[str, str], host: str) -> bool:
    """Origin (else Referer) is http://<the Host this request was sent to>."""
    claimed = headers.get("origin") or headers.get("referer")
    if not claimed or claimed == "null":
        return False
    parts = urlsplit(claimed)
    return parts.scheme == "http" and parts.netloc.lower() == host.lower()


async def _send_error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
