"""Running the app: bind first (a port in use is one clear error), then serve with uvicorn
until Ctrl-C or SIGTERM, which uvicorn turns into a clean shutdown."""

from __future__ import annotations

import errno
import signal
import socket
from collections.abc import Callable

from planner.errors import PlannerError
from planner.web.core import Served
from planner.web.security import Guard, needs_token, new_token, url_host

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or PlannerError saying why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise PlannerError(f"--host {host!r}: not an address of this machine ({exc.strerror})")
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PlannerError(
                f"{url_host(host)}:{port} is already in use; stop the other server or "
                "choose another port with --port"
            ) from None
        raise PlannerError(f"cannot listen on {url_host(host)}:{port} ({exc.strerror})") from None
    sock.set_inheritable(True)
    return sock


def serve(
    served: Served,
    host: str,
    port: int,
    *,
    open_browser: bool,
    say: Callable[[str], None],
) -> None:
    """Serve ``served`` on host:port until stopped; ``say`` prints the URL for the attendee."""
    import uvicorn

    from planner.web.app import create_app

    sock = bind(host, port)
    port = sock.getsockname()[1]  # --port 0: the free port the system chose
    token = new_token() if needs_token(host) else None
    app = create_app(served, Guard.for_bind(host, port, token))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    # Ctrl-C or SIGTERM at any moment from here asks the server to stop. uvicorn shuts down
    # gracefully, then raises the signal again for the handlers it found: these, so planner
    # ends with exit code 0 instead of dying by the signal.
    previous = {number: signal.signal(number, server.handle_exit) for number in STOP_SIGNALS}
    try:
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        url = f"http://{url_host(shown_host)}:{port}/" + (f"?token={token}" if token else "")
        say(f"planner serve: {served.program.name} at {url}")
        say("Press Ctrl-C to stop.")
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        server.run(sockets=[sock])
    finally:
        sock.close()
        for number, handler in previous.items():
            signal.signal(number, handler)
    say("planner serve: stopped.")
