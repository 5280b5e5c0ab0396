"""The command line: the only package that imports click, prints or exits.

Each command turns its arguments into domain objects (``params``), calls one use case of the
core, and formats the result (text for people, ``--json`` for machines). Errors of the core
(``PlannerError``) become one ``Error: ...`` line on stderr and exit code 2 in one place,
``group.PlannerGroup``. Heavy modules (pydantic, icalendar, pytz) are imported inside the
commands so that ``planner --help`` starts fast.

- ``app``: the App session object, stdout/stderr, exit codes, the terminal's width and colour;
- ``params``: the argument types; ``group``: the ``planner`` group and its global options;
- ``browse``, ``picks``, ``planning``, ``live``, ``exporting``: the commands, by what they do.
"""

from __future__ import annotations

import errno
import os
import sys

import click

from planner.cli import browse, exporting, live, picks, planning  # noqa: F401 (they register)
from planner.cli.app import EXIT_ERROR, App
from planner.cli.group import cli

__all__ = ["App", "cli", "main"]

OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})


def main() -> None:
    App.one_command_process = True
    try:
        cli(prog_name="planner")
    except BrokenPipeError:
        # `planner talks | head`: the reader left; exit quietly like other Unix tools.
        _drop_stdout()
        sys.exit(EXIT_ERROR)
    except OSError as exc:
        # Writing to stdout failed (`> /dev/full`, a full disk): one line, not a trace. Files
        # planner writes itself already fail as PlannerError; anything else is a bug to see.
        if exc.errno not in OUTPUT_ERRNOS:
            _internal_error(exc)
        _drop_stdout()
        click.echo(f"Error: cannot write the output ({exc.strerror or exc})", err=True)
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # a bug: still one line and exit 2, never a trace for attendees
        _internal_error(exc)


def _internal_error(exc: BaseException) -> None:
    if os.environ.get("PLANNER_DEBUG"):
        raise exc
    click.echo(
        f"Error: internal error ({type(exc).__name__}: {exc}); please report it "
        "(PLANNER_DEBUG=1 shows where it happened)",
        err=True,
    )
    sys.exit(EXIT_ERROR)


def _drop_stdout() -> None:
    """Point stdout at /dev/null: what is still buffered cannot be written, and flushing it at
    exit would fail (and print) again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
