"""The current program and the web face: use, programs, refresh, serve."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from planner.cli.app import EXIT_FINDINGS, App, emit, pass_app
from planner.cli.group import cli

if TYPE_CHECKING:
    pass


@cli.command()
@click.argument("source", required=False)
@click.option("--bundled", metavar="NAME", help="Go back to a bundled program (e.g. mlsys2022).")
@pass_app
def use(app: App, source: str | None, bundled: str | None) -> None:
    """Make SOURCE (file, URL, bundled name, or a program used before, by id) the current
    program for every later command without --program; alone, show the current one."""
    from planner import actions

    if source is not None and bundled is not None:
        raise click.UsageError("give either SOURCE or --bundled NAME, not both")
    chosen = source if bundled is None else bundled
    if chosen is not None:
        program = actions.use_program(app, chosen, bundled=bundled is not None)
        emit(f"Now using {program.id}: {program.name}")
    for line in actions.current_program_lines(app):
        emit(line)


@cli.command()
@pass_app
def programs(app: App) -> None:
    """List the programs that have an agenda, with their pick counts (* marks the current one)."""
    from planner import actions

    for line in actions.programs_lines(app):
        emit(line)


@cli.command()
@click.option("--strict", is_flag=True, help="Exit 1 when a pick changed.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (schema in README).")
@pass_app
def refresh(app: App, strict: bool, as_json: bool) -> None:
    """Load the current program again now (a URL is asked whatever --max-age says) and show
    what changed for your picks, new clashes, and items added or removed."""
    from planner import present
    from planner.refresh import refresh as refresh_now

    app.force_fetch = True
    report = refresh_now(app.program, app.loading, app.agenda_path, app.zone)
    emit(present.dumps(present.refresh_json(report)) if as_json else present.refresh_text(report))
    if strict and report.picks_changed:
        click.get_current_context().exit(EXIT_FINDINGS)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@pass_app
def serve(app: App, host: str, port: int, open_browser: bool) -> None:
    """Serve the program and your agenda as a local web page, JSON API and calendar feed.

    Any --host other than 127.0.0.1 / localhost needs the token printed in the URL.
    """
    from planner.web import core
    from planner.web import serve as run_server

    served = core.Served(app.program, app.agenda_path, app.zone, app.now)
    run_server(served, host, port, open_browser=open_browser, say=emit)
