"""Fetch a program from an ``http://`` or ``https://`` URL: one GET, every failure one line.

The standard library's ``urllib.request`` does the job: one GET with two conditional headers
needs no connection pool or async client, it verifies TLS against the system's certificates
(``ssl.create_default_context``), and it adds no install and no import cost to the commands
that never see a URL. This module is imported only when a program source is a URL.

Limits: at most ``MAX_REDIRECTS`` redirects, ``TIMEOUT_SECONDS`` for the whole fetch (connect,
headers, body, every redirect: a socket's own timeout restarts with each byte, so a server
trickling bytes would hold a command for ever; a watchdog shuts the connection down at the
deadline instead), and ``MAX_BYTES`` counted while the body streams in, so a huge or endless
answer is cut off without being held.
Any content type is accepted: the format is sniffed from the bytes, as for a file.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException, HTTPResponse

from planner.errors import ProgramError

MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 15.0
MAX_BYTES = 100 * 1024 * 1024
_CHUNK = 64 * 1024


class FetchError(ProgramError):
    """A URL that could not be fetched; ``offline`` when no server answered at all."""

    def __init__(self, message: str, *, offline: bool) -> None:
        super().__init__(message)
        self.offline = offline


@dataclass(frozen=True)
class Validators:
    """What the server said identifies the copy planner holds (for a conditional GET)."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """A server's answer: ``data`` None means 304, the copy planner holds is current."""

    url: str
    data: bytes | None
    validators: Validators


@dataclass(frozen=True)
class Limits:
    """Injectable so that tests of the timeout and the size cap run in milliseconds."""

    timeout: float = TIMEOUT_SECONDS
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS


def is_url(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def fetch(url: str, known: Validators | None = None, limits: Limits | None = None) -> Fetched:
    """GET ``url`` (conditionally when ``known`` holds validators); raise FetchError."""
    limits = limits or Limits()
    with _Deadline(limits.timeout) as deadline:
        return _fetch(url, known, limits, deadline)


def _fetch(url: str, known: Validators | None, limits: Limits, deadline: _Deadline) -> Fetched:
    request = urllib.request.Request(url, headers=_headers(known))
    opener = urllib.request.build_opener(
        _LimitedRedirects(limits.max_redirects),
        _WatchedHTTP(deadline),
        _WatchedHTTPS(deadline, ssl.create_default_context()),
    )
    try:
        with opener.open(request, timeout=limits.timeout) as response:
            data = _read_capped(url, response, limits, deadline)
            return Fetched(response.geturl(), data, _validators(response))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(url, None, _validators(exc) if exc.headers else known or Validators())
        if 300 <= exc.code < 400:  # urllib's own loop detection, or a redirect without Location
            raise FetchError(_redirect_message(url, limits), offline=False) from None
        raise FetchError(_http_message(url, exc), offline=False) from None
    except _TooManyRedirects:
        raise FetchError(_redirect_message(url, limits), offline=False) from None
    except (urllib.error.URLError, OSError, HTTPException) as exc:
        # Whatever a connection shut down by the watchdog raised, the cause is the deadline.
        message = _timeout_message(url, limits) if deadline.expired else None
        raise FetchError(message or _network_message(url, exc, limits), offline=True) from None


def _headers(known: Validators | None) -> dict[str, str]:
    from planner import __version__

    headers = {"User-Agent": f"planner/{__version__}", "Accept": "*/*"}
    if known is not None and known.etag:
        headers["If-None-Match"] = known.etag
    if known is not None and known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    return headers


def _validators(response: HTTPResponse | urllib.error.HTTPError) -> Validators:
    headers = response.headers
    return Validators(headers.get("ETag"), headers.get("Last-Modified"))


def _read_capped(url: str, response: HTTPResponse, limits: Limits, deadline: _Deadline) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(_too_big(url, limits), offline=False)
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = response.read(_CHUNK)
        if not chunk:
            # A body without a length ends as cleanly when the watchdog shut it down.
            if not deadline.finish():
                raise TimeoutError("the whole fetch took too long")
            return b"".join(chunks)
        total += len(chunk)
        if total > limits.max_bytes:
            raise FetchError(_too_big(url, limits), offline=False)
        chunks.append(chunk)


def _redirect_message(url: str, limits: Limits) -> str:
    return (
        f"{url}: more than {limits.max_redirects} redirects, or a redirect loop; give the final "
        "address of the program with --program"
    )


def _too_big(url: str, limits: Limits) -> str:
    return (
        f"{url}: the answer is larger than {_size(limits.max_bytes)}, more than any program; "
        "check the address (is it the schedule file?)"
    )


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count} bytes"


def _http_message(url: str, exc: urllib.error.HTTPError) -> str:
    if exc.code == 404:
        hint = "check the address (the conference may have moved its schedule)"
    elif exc.code in (401, 403):
        hint = "the server refuses planner; download the file and give its path with --program"
    elif exc.code >= 500:
        hint = "the server has a problem; try again later"
    else:
        hint = "check the address"
    reason = f" {' '.join(str(exc.reason).split())}" if exc.reason else ""
    return f"{url}: the server answered {exc.code}{reason}; {hint}"


def _timeout_message(url: str, limits: Limits) -> str:
    return (
        f"{url}: no complete answer within {limits.timeout:g} s; check your connection, "
        "or try again later"
    )


def _network_message(url: str, exc: BaseException, limits: Limits) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return _timeout_message(url, limits)
    if isinstance(reason, ssl.SSLCertVerificationError):
        what = f"the server's TLS certificate does not verify ({reason.verify_message})"
        hint = "planner only reads servers with a valid certificate; download the file instead"
    elif isinstance(reason, ssl.SSLError):
        what = f"TLS failed ({reason.reason or reason})"
        hint = "check the address, or download the file and give its path"
    elif isinstance(reason, socket.gaierror):
        what = "the server's name does not resolve"
        hint = "check the address and your connection"
    elif isinstance(reason, ConnectionRefusedError):
        what = "the connection was refused"
        hint = "check the address, or try again later"
    else:
        what = f"cannot fetch ({getattr(reason, 'strerror', None) or reason})"
        hint = "check the address and your connection"
    return f"{url}: {what}; {hint}"


class _TooManyRedirects(Exception):
    pass


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        seen = getattr(req, "redirects_followed", 0)
        if seen >= self.limit:
            raise _TooManyRedirects
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.redirects_followed = seen + 1  # type: ignore[attr-defined]
        return new


class _Deadline:
    """The whole fetch's deadline: at it, a watchdog shuts down every connection the fetch
    opened (a read blocked in another thread wakes up at once), and ``expired`` says why."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.expired = False
        self._done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        self.finish()

    def finish(self) -> bool:
        """Mark the fetch done; False when the deadline had already passed."""
        with self._lock:
            self._done = True
            return not self.expired

    def connect(self, address: tuple[str, int], timeout: float, *args: object) -> socket.socket:
        """socket.create_connection, no longer than the time left, and watched."""
        left = self.at - time.monotonic()
        if left <= 0:
            self._expire()
            raise TimeoutError("the whole fetch took too long")
        sock = socket.create_connection(address, min(timeout, left), *args)  # type: ignore[arg-type]
        with self._lock:
            self._sockets.append(sock)
            late = self.expired
        if late:
            _shut(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    # shutdown, not close: close leaves a recv blocked in another thread waiting. An OSError:
    # already closed, by the server or by urllib.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(_watched(http.client.HTTPConnection, self.deadline), req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self.deadline = deadline
        self.context = context

    def https_open(self, req):  # type: ignore[no-untyped-def]
        connection = _watched(http.client.HTTPSConnection, self.deadline)
        return self.do_open(connection, req, context=self.context)


def _watched(kind: type[http.client.HTTPConnection], deadline: _Deadline):  # type: ignore[no-untyped-def]
    """A connection class for urllib whose sockets the deadline's watchdog can shut down."""

    def make(host: str, **kwargs: object) -> http.client.HTTPConnection:
        connection = kind(host, **kwargs)  # type: ignore[arg-type]
        # http.client opens its socket through this attribute (HTTPS too, before TLS).
        connection._create_connection = deadline.connect  # type: ignore[attr-defined]
        return connection

    return make
