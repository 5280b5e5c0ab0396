"""The command line: the only module that imports click, prints or exits.

Each command turns its arguments into domain objects, calls the core, and
formats the result (text for people, ``--json`` for machines). Errors of the
core (``PlannerError``) become one ``Error: ...`` line on stderr and exit code 2
in one place, ``PlannerGroup.invoke``. Heavy modules (pydantic, icalendar,
pytz) are imported inside the commands so that ``planner --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.errors import PlannerError

if TYPE_CHECKING:
    from planner.model import Item, Program

EXIT_FINDINGS = 1
EXIT_ERROR = 2
DEFAULT_PROGRAM = "mlsys2022"


class PlannerClickError(click.ClickException):
    exit_code = EXIT_ERROR


class PlannerGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlannerError as exc:
            raise PlannerClickError(str(exc)) from None


@dataclass
class App:
    """What the global options chose; loads the program once, on first use."""

    program_source: str = DEFAULT_PROGRAM
    program_format: str | None = None
    program_tz: str | None = None
    agenda_option: Path | None = None
    display_tz: str | None = None
    _program: Program | None = field(default=None, repr=False)

    @property
    def program(self) -> Program:
        if self._program is None:
            from planner.sources import load

            self._program = load(
                self.program_source, fmt=self.program_format, zone=self.program_tz
            )
        return self._program

    @property
    def zone(self) -> str:
        """The display zone: ``--tz``, else the program's own."""
        from planner.timezones import check_zone

        return check_zone(self.display_tz) if self.display_tz else self.program.timezone

    def now(self) -> datetime:
        """The current instant; PLANNER_NOW (ISO 8601 with offset) pins it for tests and examples."""
        from planner.timezones import UTC, parse_aware

        pinned = os.environ.get("PLANNER_NOW")
        if pinned:
            try:
                return parse_aware(pinned)
            except ValueError:
                raise PlannerError(f"PLANNER_NOW={pinned!r} is not an ISO 8601 time with an offset") from None
        return datetime.now(UTC)

    @property
    def agenda_path(self) -> Path:
        if self.agenda_option is not None:
            return self.agenda_option
        folder = Path(click.get_app_dir("planner")) / "agendas"
        return folder / f"{self.program.id}.json"


pass_app = click.make_pass_decorator(App, ensure=True)


class ItemType(click.ParamType):
    """An item id (exact, or a unique case-insensitive prefix) turned into the Item."""

    name = "ID"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Item:
        from planner.model import Item
        from planner.query import resolve_id

        if isinstance(value, Item):
            return value
        app = ctx.find_object(App) if ctx else None
        try:
            return resolve_id((app or App()).program, str(value))
        except PlannerError as exc:
            self.fail(str(exc), param, ctx)


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from datetime import date

        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date like 2022-08-30", param, ctx)


def emit(text: str) -> None:
    click.echo(text)


def warn(text: str) -> None:
    click.echo(text, err=True)


@click.group(cls=PlannerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--program",
    "program_source",
    envvar="PLANNER_PROGRAM",
    default=DEFAULT_PROGRAM,
    show_default=True,
    metavar="SOURCE",
    help="Program file (any supported format) or a bundled program's name.",
)
@click.option(
    "--program-format",
    type=click.Choice(["native", "daypage", "frab", "c3voc", "sitejson", "ics", "csv"]),
    help="Force the program format instead of detecting it from the content.",
)
@click.option("--program-tz", metavar="ZONE", help="Timezone of a program file that gives none.")
@click.option(
    "--agenda",
    "agenda_option",
    envvar="PLANNER_AGENDA",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Agenda file [default: <app dir>/agendas/<program-id>.json].",
)
@click.option("--tz", "display_tz", envvar="PLANNER_TZ", metavar="ZONE", help="Show times in this zone.")
@click.version_option(package_name="planner", prog_name="planner")
@click.pass_context
def cli(
    ctx: click.Context,
    program_source: str,
    program_format: str | None,
    program_tz: str | None,
    agenda_option: Path | None,
    display_tz: str | None,
) -> None:
    """Plan your conference: browse the program, pick talks, see clashes, export .ics."""
    ctx.obj = App(program_source, program_format, program_tz, agenda_option, display_tz)


@cli.command()
@click.option("--day", type=DateType(), help="Only this date (in the display zone), e.g. 2022-08-30.")
@click.option("--room", metavar="TEXT", help="Only rooms whose name contains TEXT.")
@click.option("--kind", metavar="KIND", help="Only items of this kind (talk, paper, session, ...).")
@click.option("--search", metavar="TEXT", help="Match titles, speakers and abstracts, any case.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (schema in README).")
@pass_app
def talks(app: App, day: Any, room: str | None, kind: str | None, search: str | None, as_json: bool) -> None:
    """List the program by day: time, room, id, title."""
    from planner import present
    from planner.model import KINDS
    from planner.query import filter_items

    if kind is not None and kind not in KINDS:
        raise click.BadParameter(f"{kind!r} is not one of {', '.join(KINDS)}", param_hint="--kind")
    zone = app.zone
    items = filter_items(app.program, zone=zone, day=day, room=room, kind=kind, search=search)
    if as_json:
        emit(present.dumps([present.item_json(item, zone) for item in items]))
    else:
        emit(present.talks_text(app.program, items, zone))


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


@cli.command("import")
@click.argument("source")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout."
)
@pass_app
def import_(app: App, source: str, output: Path | None) -> None:
    """Convert any supported program file to planner's native JSON."""
    from planner.files import write_atomic
    from planner.sources import load

    program = load(source, fmt=app.program_format, zone=app.program_tz)
    text = program.model_dump_json(indent=2) + "\n"
    if output is None:
        emit(text.rstrip("\n"))
        return
    write_atomic(output, text.encode("utf-8"))
    warn(f"Wrote {output}: {program.name}, {len(program.items)} items, zone {program.timezone}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of planner's native program format."""
    from planner import present
    from planner.model import Program

    emit(present.dumps(Program.model_json_schema()))


# --- agenda commands (pick, drop, add, settings, agenda, clashes, check) ---

# --- export command ---


def main() -> None:
    try:
        cli(prog_name="planner")
    except BrokenPipeError:
        # `planner talks | head`: the reader left; exit quietly like other Unix tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_ERROR)
