"""Browsing the program: talks, show, check, import, schema."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.cli.app import EXIT_FINDINGS, App, emit, listing_width, pass_app, warn
from planner.cli.group import cli
from planner.cli.params import DateType, ItemType, KindType

if TYPE_CHECKING:
    from planner.model import Item


@cli.command()
@click.option(
    "--day",
    type=DateType(),
    help="Only this conference day (in the display zone), e.g. 2022-08-30.",
)
@click.option("--room", metavar="TEXT", help="Only rooms whose name contains TEXT.")
@click.option(
    "--kind", type=KindType(), help="Only items of this kind (talk, paper, session, ...)."
)
@click.option(
    "--track",
    "tracks",
    multiple=True,
    metavar="TEXT",
    help="Only this track (any case; repeatable).",
)
@click.option(
    "--language",
    "languages",
    multiple=True,
    metavar="TEXT",
    help="Only this language, as the program writes it (en, de; any case; repeatable).",
)
@click.option("--search", metavar="TEXT", help="Match titles, speakers and abstracts, any case.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (schema in README).")
@pass_app
def talks(app: App, as_json: bool, **wanted: Any) -> None:
    """List the program by conference day: time, room, id, title."""
    from planner import present
    from planner.query import Wanted, filter_items

    zone = app.zone
    items = filter_items(app.program, Wanted(**wanted), zone=zone)
    if as_json:
        emit(present.dumps([present.item_json(item, zone) for item in items]))
    else:
        emit(present.talks_text(app.program, items, zone, width=listing_width()))


@cli.command()
@click.argument("item", type=ItemType())
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_app
def show(app: App, item: Item, as_json: bool) -> None:
    """Show one item in full."""
    from planner import present

    if as_json:
        emit(present.dumps(present.item_json(item, app.zone, full=True)))
    else:
        emit(present.show_text(app.program, item, app.zone))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of findings.")
@pass_app
def check(app: App, as_json: bool) -> None:
    """Check the program itself: double-booked rooms, bad times, estimates, loader notes."""
    from planner import present
    from planner.clashes import check_program

    findings = check_program(app.program, zone=app.zone)
    if as_json:
        emit(present.dumps([finding.as_json() for finding in findings]))
    else:
        emit(present.findings_text(app.program, findings))
    if any(finding.severity == "error" for finding in findings):
        click.get_current_context().exit(EXIT_FINDINGS)


@cli.command("import")
@click.argument("source")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of stdout.",
)
@click.option("--force", is_flag=True, help="Overwrite FILE even if it is not a planner program.")
@pass_app
def import_(app: App, source: str, output: Path | None, force: bool) -> None:
    """Convert any supported program file to planner's native JSON."""
    from planner.actions import import_program

    imported = import_program(
        source,
        fmt=app.program_format,
        zone=app.program_tz,
        today=app.now().date(),
        target=output,
        force=force,
        loading=app.loading,
    )
    app.tell_warnings()
    if output is None:
        emit(imported.text.rstrip("\n"))
    else:
        warn(f"Wrote {output}: {imported.summary}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of planner's native program format."""
    from planner import present
    from planner.model import Program

    emit(present.dumps(Program.model_json_schema()))
