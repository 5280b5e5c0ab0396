"""The export command: a calendar file or a timetable page."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.cli.app import App, emit, pass_app, warn
from planner.cli.group import cli
from planner.cli.params import DateType

if TYPE_CHECKING:
    from planner.actions import ExportFormat


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ics", "html"]),
    default="ics",
    show_default=True,
    help="Calendar file (ics) or a printable timetable page (html).",
)
@click.option(
    "--tz", "export_tz", metavar="ZONE", help="Write times in this zone [default: display zone]."
)
@click.option("--utc", is_flag=True, help="Write every time in UTC (...Z), without a VTIMEZONE.")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Where to write ('-' = stdout) [default: exports/<program-id>-agenda.<format>].",
)
@click.option(
    "--alarm",
    type=click.IntRange(0, 7 * 24 * 60),
    metavar="MINUTES",
    help="Reminder this many minutes before each event [default: the agenda's setting].",
)
@click.option("--name", metavar="TEXT", help="Calendar name [default: '<program> - my agenda'].")
@click.option("--all", "show_all", is_flag=True, help="html: the whole program, picks highlighted.")
@click.option("--day", type=DateType(), help="html: only this conference day (in the export zone).")
@click.option("--room", metavar="TEXT", help="html: only rooms whose name contains TEXT.")
@click.option("--force", is_flag=True, help="Overwrite FILE even if it is not an earlier export.")
@click.option(
    "--with-backups", is_flag=True, help="Also your backups (pick --maybe): tentative, free time."
)
@pass_app
def export(
    app: App,
    fmt: ExportFormat,
    export_tz: str | None,
    utc: bool,
    output: str | None,
    alarm: int | None,
    name: str | None,
    show_all: bool,
    day: Any,
    room: str | None,
    force: bool,
    with_backups: bool,
) -> None:
    """Export your agenda as .ics (Google, Outlook, Apple Calendar) or as an HTML page.

    Clashes are warned about on stderr but never block the export (exit 0).
    """
    from planner import actions

    if utc and export_tz is not None:
        raise click.UsageError("give either --tz ZONE or --utc, not both")
    if fmt == "ics" and show_all:
        raise click.UsageError("--all applies to --format html only (a calendar holds your picks)")
    if fmt == "html" and (alarm is not None or name is not None):
        raise click.UsageError("--alarm and --name apply to --format ics only")
    if fmt == "ics" and (day is not None or room is not None):
        raise click.UsageError("--day and --room apply to --format html only")
    program = app.program
    zone = actions.export_zone(program, display_tz=app.display_tz, tz=export_tz, utc=utc)
    request = actions.ExportRequest(fmt, zone, alarm, name, show_all, day, room, with_backups)
    target = None if output == "-" else Path(output or actions.default_export_path(program, fmt))
    done = actions.export(
        program, app.agenda_path, request, now=app.now(), target=target, force=force
    )
    if done.written_to is None:
        stdout = sys.stdout.buffer
        stdout.write(done.data)
        stdout.flush()
        warn(f"Wrote the export to stdout: {done.summary}")
    else:
        emit(f"Wrote {done.written_to}: {done.summary}")
    for line in done.messages:
        warn(line)
