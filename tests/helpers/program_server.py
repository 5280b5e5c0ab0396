"""A program server for the live tests: http.server on 127.0.0.1 only, any port, in a thread.

What it answers is set on ``Served``: a body, a status, the validators it sends (a matching
If-None-Match or If-Modified-Since gets a 304), a delay, a drip (the body one byte at a time,
this many seconds apart, after headers that promise all of it); ``/redirect`` and ``/hop/N``
redirect.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


class Served:
    """What the test server answers: a body, a status, and the validators it sends."""

    def __init__(self) -> None:
        self.body = (FIXTURES / "live_frab_v1.xml").read_bytes()
        self.status = 200
        self.etag: str | None = '"v1"'
        self.last_modified: str | None = None
        self.delay = 0.0
        self.drip = 0.0
        self.requests: list[dict[str, str]] = []


@contextmanager
def program_server() -> Iterator[tuple[str, Served]]:
    """The base URL (``http://127.0.0.1:PORT``) and what the server answers."""
    served = Served()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            served.requests.append(dict(self.headers))
            if self.path == "/redirect":
                self._redirect("/program.xml")
                return
            if self.path.startswith("/hop/"):
                self._redirect(f"/hop/{int(self.path[5:]) + 1}")
                return
            time.sleep(served.delay)
            not_modified = (served.etag and self.headers.get("If-None-Match") == served.etag) or (
                served.last_modified
                and self.headers.get("If-Modified-Since") == served.last_modified
            )
            status = 304 if not_modified and served.status == 200 else served.status
            self.send_response(status)
            if served.etag:
                self.send_header("ETag", served.etag)
            if served.last_modified:
                self.send_header("Last-Modified", served.last_modified)
            body = b"" if status == 304 else served.body
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if served.drip:
                self._drip(body)
            else:
                self.wfile.write(body)

        def _drip(self, body: bytes) -> None:
            try:
                for offset in range(len(body)):
                    self.wfile.write(body[offset : offset + 1])
                    self.wfile.flush()
                    time.sleep(served.drip)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should

        def _redirect(self, where: str) -> None:
            self.send_response(302)
            self.send_header("Location", where)
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", served
    finally:
        httpd.shutdown()
        httpd.server_close()
