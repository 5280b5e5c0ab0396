"""Changing and reading the agenda: pick, drop, add, settings, agenda, clashes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from planner.cli.app import EXIT_FINDINGS, App, emit, pass_app, use_color, warn
from planner.cli.group import cli
from planner.cli.params import AlarmType, ItemType, WallClockType

if TYPE_CHECKING:
    from planner.actions import EditReport
    from planner.model import Item


def _report_edit(report: EditReport) -> None:
    """Print what an agenda change did, then every clash it created (warnings: exit stays 0)."""
    for note in report.notes:
        warn(f"Note: {note}")
    for message in report.messages:
        emit(message)
    for clash in report.clashes:
        warn(f"{'Warning' if clash.is_clash else 'Note'}: {clash.message}")


@cli.command()
@click.argument("items", nargs=-1, type=ItemType())
@click.option("--search", metavar="TEXT", help="Pick what matches TEXT (as talks --search).")
@click.option("--yes", is_flag=True, help="With --search: pick every match without asking.")
@click.option(
    "--maybe", is_flag=True, help="As backups: overlapping a pick is no clash (re-pick: firm)."
)
@pass_app
def pick(app: App, items: tuple[Item, ...], search: str | None, yes: bool, maybe: bool) -> None:
    """Pick talks or sessions (a session means all of it); re-pick to confirm a change."""
    from planner import actions, present

    if bool(items) == (search is not None):
        raise click.UsageError("give the ids to pick, or --search TEXT")
    if search is not None:
        items = tuple(actions.search_items(app.program, search, zone=app.zone))
        if len(items) > 1 and not yes:
            warn(present.talks_text(app.program, items, app.zone))
            if not _confirmed(f"Pick these {len(items)}?"):
                warn("Nothing picked (answer y, or give --yes to pick every match).")
                return
    _report_edit(
        actions.pick(app.program, app.agenda_path, items, zone=app.zone, now=app.now(), maybe=maybe)
    )


def _confirmed(question: str) -> bool:
    try:
        return click.confirm(question, err=True)
    except click.Abort:  # no answer (stdin closed): nothing is done without a yes
        return False


@cli.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@pass_app
def drop(app: App, ids: tuple[str, ...]) -> None:
    """Drop picks or personal events (also picks no longer in the program)."""
    from planner import actions

    _report_edit(actions.drop(app.program, app.agenda_path, ids))


@cli.command()
@click.argument("title")
@click.option("--start", required=True, type=WallClockType(), help="e.g. '2022-08-30 12:00'.")
@click.option(
    "--end", required=True, type=WallClockType(), help="e.g. '13:00' (same day) or a date too."
)
@click.option("--location", metavar="TEXT", help="Where (a room name lets planner check the walk).")
@pass_app
def add(app: App, title: str, start: Any, end: Any, location: str | None) -> None:
    """Add a personal event; times are read in the display zone (--tz, else the program's)."""
    from datetime import time

    from planner import actions

    if isinstance(start, time):
        raise click.BadParameter("give a date too, e.g. '2022-08-30 12:00'", param_hint="--start")
    program, zone = app.program, app.zone
    _report_edit(
        actions.add_event(program, app.agenda_path, title, (start, end), location, zone=zone)
    )


@cli.command()
@click.option("--walk", type=click.IntRange(0, 24 * 60), help="Minutes to walk between rooms.")
@click.option("--alarm", type=AlarmType(), help="Default reminder in minutes, or 'none'.")
@pass_app
def settings(app: App, walk: int | None, alarm: Any) -> None:
    """Show the agenda's settings, or change them."""
    from planner import actions, present

    program = app.program
    changes: dict[str, int | None] = {}
    if walk is not None:
        changes["walk_minutes"] = walk
    if alarm is not None:
        changes["alarm_minutes"] = None if alarm == "none" else alarm
    if changes:
        current = actions.change_settings(program, app.agenda_path, changes).agenda.settings
    else:
        current = actions.read_settings(program, app.agenda_path)
    emit(present.settings_text(current, program))


@cli.command("agenda")
@click.option("--json", "as_json", is_flag=True, help='Print {"items", "clashes", "changes"}.')
@pass_app
def show_agenda(app: App, as_json: bool) -> None:
    """Your day: picks in time order with rooms, free gaps, clashes and changes since picking."""
    import shutil

    from planner import actions, dayview, present

    program, zone = app.program, app.zone
    view = actions.agenda_view(program, app.agenda_path, zone=zone)
    if as_json:
        emit(
            present.dumps(
                present.agenda_json(program, view.agenda, view.clashes, view.changes, zone)
            )
        )
        return
    day = dayview.build_day_view(program, view.agenda, view.clashes, view.changes, zone)
    width = shutil.get_terminal_size((100, 24)).columns
    emit(dayview.render_day_view(day, width=width, color=use_color()))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of clash objects.")
@click.option("--strict", is_flag=True, help="Exit 1 when there is any clash.")
@pass_app
def clashes(app: App, as_json: bool, strict: bool) -> None:
    """Every time clash and tight room change in your agenda."""
    from planner import actions, present

    found = actions.clashes(app.program, app.agenda_path, zone=app.zone)
    emit(present.dumps([c.as_json() for c in found]) if as_json else present.clashes_text(found))
    if strict and any(clash.is_clash for clash in found):
        click.get_current_context().exit(EXIT_FINDINGS)
