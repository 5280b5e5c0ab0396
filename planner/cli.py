"""The command line: the only module that imports click, prints or exits.

Each command turns its arguments into domain objects, calls the core, and
formats the result (text for people, ``--json`` for machines). Errors of the
core (``PlannerError``) become one ``Error: ...`` line on stderr and exit code 2
in one place, ``PlannerGroup.invoke``. Heavy modules (pydantic, icalendar,
pytz) are imported inside the commands so that ``planner --help`` starts fast.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.errors import PlannerError

if TYPE_CHECKING:
    from planner.current import ProgramSource
    from planner.model import Item, Program
    from planner.remote import Loading

OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})
EXIT_FINDINGS = 1
EXIT_ERROR = 2
DEFAULT_PROGRAM = "mlsys2022"
DEFAULT_MAX_AGE = 15  # minutes a fetched program is used before the server is asked again


class PlannerClickError(click.ClickException):
    exit_code = EXIT_ERROR


class PlannerGroup(click.Group):
    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise _one_line_usage_error(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PlannerError as exc:
            raise PlannerClickError(str(exc)) from None
        except click.UsageError as exc:
            raise _one_line_usage_error(exc) from None


def _one_line_usage_error(exc: click.UsageError) -> PlannerClickError:
    """Click's four lines (Usage, Try, blank, Error) as the one ``Error:`` line the README
    promises, with the hint to --help inside it."""
    command = exc.ctx.command_path if exc.ctx is not None else "planner"
    message = " ".join(exc.format_message().split())
    return PlannerClickError(f"{message} (see '{command} --help')")


class App:
    """What the global options chose; loads the program once, on first use."""

    # A plain class, not a dataclass: importing dataclasses costs start-up time on every command.

    # main() sets it: the process runs this one command and ends, so what it loads may be frozen
    # out of the cycle collector (a test runner calling cli() in-process must not be).
    one_command_process = False

    def __init__(
        self,
        program_source: str | None = None,
        program_format: str | None = None,
        program_tz: str | None = None,
        agenda_option: Path | None = None,
        display_tz: str | None = None,
        max_age: int = DEFAULT_MAX_AGE,
    ) -> None:
        self.program_source = program_source  # None: the `use`d program, else the bundled one
        self.program_format = program_format
        self.program_tz = program_tz
        self.agenda_option = agenda_option
        self.display_tz = display_tz
        self.max_age = max_age
        self.force_fetch = False  # `planner refresh` asks the server whatever the copy's age
        self._program: Program | None = None
        self._loading: Loading | None = None

    @property
    def program(self) -> Program:
        if self._program is None:
            if not self.one_command_process:
                self._program = self._load()
                return self._program
            # The program lives as long as this process: frozen, its objects are left out of
            # every later cycle collection, which otherwise walks all of them again and again
            # (a third of a 20,000-item browse). Frozen before the collector is back on, so
            # not even one collection walks them.
            was_enabled = gc.isenabled()
            gc.disable()
            try:
                self._program = self._load()
            finally:
                gc.freeze()
                if was_enabled:
                    gc.enable()
        return self._program

    def _load(self) -> Program:
        from planner.sources import load

        chosen = self.chosen_source()
        try:
            return load(
                chosen.source,
                fmt=chosen.program_format,
                zone=chosen.program_tz,
                today=self.now().date(),
                loading=self.loading,
            )
        finally:
            for line in self.loading.warnings:
                warn(line)
            self.loading.warnings.clear()

    def chosen_source(self) -> ProgramSource:
        """--program (or PLANNER_PROGRAM), else the program chosen with `planner use`, else the
        bundled default; --program-tz and --program-format given now win over remembered ones."""
        from planner.current import ProgramSource, read

        if self.program_source is not None:
            return ProgramSource(self.program_source, self.program_tz, self.program_format)
        remembered = read(self.config_dir).current_source()
        if remembered is None:
            return ProgramSource(DEFAULT_PROGRAM, self.program_tz, self.program_format)
        return ProgramSource(
            remembered.source,
            self.program_tz or remembered.program_tz,
            self.program_format or remembered.program_format,
        )

    @property
    def loading(self) -> Loading:
        """The caches every load goes through (URL copies, parsed programs)."""
        if self._loading is None:
            from planner.remote import Loading

            self._loading = Loading(
                user_cache_dir(), self.now(), max_age_minutes=self.max_age, force=self.force_fetch
            )
        return self._loading

    @property
    def config_dir(self) -> Path:
        return Path(click.get_app_dir("planner"))

    @property
    def zone(self) -> str:
        """The display zone: ``--tz``, else the program's own."""
        from planner.timezones import check_zone

        return check_zone(self.display_tz) if self.display_tz is not None else self.program.timezone

    def now(self) -> datetime:
        """The current instant; PLANNER_NOW (ISO 8601 with offset) pins it for tests and examples."""
        from planner.timezones import UTC, parse_aware

        pinned = os.environ.get("PLANNER_NOW")
        if pinned:
            try:
                return parse_aware(pinned)
            except ValueError:
                raise PlannerError(
                    f"PLANNER_NOW={pinned!r} is not an ISO 8601 time with an offset"
                ) from None
        return datetime.now(UTC)

    @property
    def agenda_path(self) -> Path:
        if self.agenda_option is not None:
            return self.agenda_option
        return self.agenda_folder / f"{self.program.id}.json"

    @property
    def agenda_folder(self) -> Path:
        return self.config_dir / "agendas"


def user_cache_dir() -> Path:
    """planner's folder in the user cache directory (what ``platformdirs.user_cache_dir`` gives,
    without the dependency): only copies and parses live there, safe to delete at any time."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "planner"
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "planner" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if Path(base).is_absolute() else Path.home() / ".cache") / "planner"


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
        # An unknown id or a bad program is a project error, not a usage error: let it reach
        # PlannerGroup.invoke, which prints the one "Error: ..." line.
        return resolve_id((app or App()).program, str(value))


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
    show_envvar=True,
    metavar="SOURCE",
    help="Program file (any supported format), http(s) URL, or a bundled program's name "
    f"[default: the one chosen with `planner use`, else {DEFAULT_PROGRAM}].",
)
@click.option(
    "--program-format",
    envvar="PLANNER_PROGRAM_FORMAT",
    show_envvar=True,
    type=click.Choice(["native", "daypage", "frab", "c3voc", "sitejson", "ics", "csv"]),
    help="Force the program format instead of detecting it from the content.",
)
@click.option(
    "--program-tz",
    envvar="PLANNER_PROGRAM_TZ",
    show_envvar=True,
    metavar="ZONE",
    help="Timezone of a program file that gives none.",
)
@click.option(
    "--agenda",
    "agenda_option",
    envvar="PLANNER_AGENDA",
    show_envvar=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Agenda file [default: <app dir>/agendas/<program-id>.json].",
)
@click.option(
    "--tz",
    "display_tz",
    envvar="PLANNER_TZ",
    show_envvar=True,
    metavar="ZONE",
    help="Show times in this zone.",
)
@click.option(
    "--max-age",
    envvar="PLANNER_MAX_AGE",
    show_envvar=True,
    type=click.IntRange(0, 7 * 24 * 60),
    default=DEFAULT_MAX_AGE,
    show_default=True,
    metavar="MINUTES",
    help="Use a program fetched from a URL this long before asking the server again "
    "(0: always ask).",
)
@click.version_option(package_name="planner", prog_name="planner")
@click.pass_context
def cli(
    ctx: click.Context,
    program_source: str,
    program_format: str | None,
    program_tz: str | None,
    agenda_option: Path | None,
    display_tz: str | None,
    max_age: int,
) -> None:
    """Plan your conference: browse the program, pick talks, see clashes, export .ics."""
    ctx.obj = App(program_source, program_format, program_tz, agenda_option, display_tz, max_age)


@cli.command()
@click.option(
    "--day", type=DateType(), help="Only this date (in the display zone), e.g. 2022-08-30."
)
@click.option("--room", metavar="TEXT", help="Only rooms whose name contains TEXT.")
@click.option("--kind", metavar="KIND", help="Only items of this kind (talk, paper, session, ...).")
@click.option("--search", metavar="TEXT", help="Match titles, speakers and abstracts, any case.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (schema in README).")
@pass_app
def talks(
    app: App, day: Any, room: str | None, kind: str | None, search: str | None, as_json: bool
) -> None:
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
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of stdout.",
)
@click.option("--force", is_flag=True, help="Overwrite FILE even if it is not a planner program.")
@pass_app
def import_(app: App, source: str, output: Path | None, force: bool) -> None:
    """Convert any supported program file to planner's native JSON."""
    from planner.files import write_atomic
    from planner.sources import load

    program = load(
        source,
        fmt=app.program_format,
        zone=app.program_tz,
        today=app.now().date(),
        loading=app.loading,
    )
    for line in app.loading.warnings:
        warn(line)
    text = program.model_dump_json(indent=2) + "\n"
    if output is None:
        emit(text.rstrip("\n"))
        return
    if output.exists() and not force and not _head_matches(output, PROGRAM_MARKER):
        raise PlannerError(
            f"{output}: exists and is not a planner program (an agenda, the source itself?); "
            "use --force to overwrite it, or -o another file"
        )
    write_atomic(output, text.encode("utf-8"))
    warn(f"Wrote {output}: {program.name}, {len(program.items)} items, zone {program.timezone}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of planner's native program format."""
    from planner import present
    from planner.model import Program

    emit(present.dumps(Program.model_json_schema()))


# --- agenda commands (pick, drop, add, settings, agenda, clashes, check) ---


class WallClockType(click.ParamType):
    """A wall-clock time "2022-08-30 12:00" (read later in the display zone), or "12:00" alone."""

    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from datetime import time

        if isinstance(value, (datetime, time)):
            return value
        text = str(value).strip()
        try:
            return time.fromisoformat(text) if len(text) <= 5 else datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a time like '2022-08-30 12:00' (or '13:00')", param, ctx)


class AlarmType(click.ParamType):
    """Minutes before an event, or "none" to have no reminder."""

    name = "MINUTES"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip().lower()
        if text in ("none", "off"):
            return "none"
        if text.isdigit():
            return int(text)
        self.fail(f"{value!r} is not a number of minutes (or 'none')", param, ctx)


def _report_edit(app: App, result: Any) -> None:
    """Print what an agenda change did, then every clash it created (warnings: exit stays 0)."""
    from planner.clashes import clashes_touching

    for outcome in result.outcomes:
        emit(outcome.message)
    for clash in clashes_touching(app.program, result.agenda, result.touched(), zone=app.zone):
        warn(f"Warning: {clash.message}")


def _event_times(start: Any, end: Any, zone: str) -> tuple[datetime, datetime, list[str]]:
    """Read --start/--end in the display zone; say how a skipped or repeated local time was read."""
    from datetime import time

    from planner import timezones

    if isinstance(start, time):
        raise click.BadParameter("give a date too, e.g. '2022-08-30 12:00'", param_hint="--start")
    return timezones.event_span(start, end, zone)


def _use_color() -> bool:
    # NO_COLOR (https://no-color.org): any non-empty value turns colours off.
    stream = sys.stdout
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


@cli.command()
@click.argument("items", nargs=-1, required=True, type=ItemType())
@pass_app
def pick(app: App, items: tuple[Item, ...]) -> None:
    """Pick talks or sessions (a session means all of it); re-pick to confirm a change."""
    from planner import agenda

    program, zone, now = app.program, app.zone, app.now()
    result = agenda.update_agenda(
        app.agenda_path,
        program.id,
        lambda current: agenda.pick(current, program, items, zone=zone, now=now),
    )
    _report_edit(app, result)


@cli.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@pass_app
def drop(app: App, ids: tuple[str, ...]) -> None:
    """Drop picks or personal events (also picks no longer in the program)."""
    from planner import agenda

    program = app.program
    result = agenda.update_agenda(
        app.agenda_path, program, lambda current: agenda.drop(current, program, ids)
    )
    for outcome in result.outcomes:
        emit(outcome.message)


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
    from planner import agenda

    program, zone = app.program, app.zone
    start_at, end_at, notes = _event_times(start, end, zone)
    for note in notes:
        warn(f"Note: {note}")
    result = agenda.update_agenda(
        app.agenda_path,
        program.id,
        lambda current: agenda.add_event(
            current, program, title, start_at, end_at, location, zone=zone
        ),
    )
    _report_edit(app, result)


@cli.command()
@click.option("--walk", type=click.IntRange(0, 24 * 60), help="Minutes to walk between rooms.")
@click.option("--alarm", type=AlarmType(), help="Default reminder in minutes, or 'none'.")
@pass_app
def settings(app: App, walk: int | None, alarm: Any) -> None:
    """Show the agenda's settings, or change them."""
    from planner import agenda, present

    program = app.program
    if walk is None and alarm is None:
        current = agenda.read_agenda(app.agenda_path, program)
    else:
        changes: dict[str, Any] = {}
        if walk is not None:
            changes["walk_minutes"] = walk
        if alarm is not None:
            changes["alarm_minutes"] = None if alarm == "none" else alarm
        result = agenda.update_agenda(
            app.agenda_path, program, lambda now: agenda.change_settings(now, **changes)
        )
        current = result.agenda
    emit(present.settings_text(current.settings, program))


@cli.command("agenda")
@click.option("--json", "as_json", is_flag=True, help='Print {"items", "clashes", "changes"}.')
@pass_app
def show_agenda(app: App, as_json: bool) -> None:
    """Your day: picks in time order with rooms, free gaps, clashes and changes since picking."""
    import shutil

    from planner import agenda, dayview, present
    from planner.clashes import agenda_clashes

    program, zone = app.program, app.zone
    current = agenda.read_agenda(app.agenda_path, program)
    clashes = agenda_clashes(program, current, zone=zone)
    changes = agenda.changes(program, current, zone)
    if as_json:
        emit(present.dumps(present.agenda_json(program, current, clashes, changes, zone)))
        return
    view = dayview.build_day_view(program, current, clashes, changes, zone)
    width = shutil.get_terminal_size((100, 24)).columns
    emit(dayview.render_day_view(view, width=width, color=_use_color()))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of clash objects.")
@click.option("--strict", is_flag=True, help="Exit 1 when there is any clash.")
@pass_app
def clashes(app: App, as_json: bool, strict: bool) -> None:
    """Every time clash and tight room change in your agenda."""
    from planner import agenda, present
    from planner.clashes import agenda_clashes

    program = app.program
    found = agenda_clashes(program, agenda.read_agenda(app.agenda_path, program), zone=app.zone)
    emit(present.dumps([c.as_json() for c in found]) if as_json else present.clashes_text(found))
    if strict and found:
        click.get_current_context().exit(EXIT_FINDINGS)


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


# --- the current program (use, programs) ---


@cli.command()
@click.argument("source", required=False)
@click.option("--bundled", metavar="NAME", help="Go back to a bundled program (e.g. mlsys2022).")
@pass_app
def use(app: App, source: str | None, bundled: str | None) -> None:
    """Make SOURCE (file, URL, bundled name, or a program used before, by id) the current
    program for every later command without --program; alone, show the current one."""
    from planner import current

    if source is not None and bundled is not None:
        raise click.UsageError("give either SOURCE or --bundled NAME, not both")
    chosen = source if bundled is None else bundled
    if chosen is not None:
        known = current.read(app.config_dir).known.get(chosen)
        picked = known or current.ProgramSource(
            current.normalised(chosen), app.program_tz, app.program_format
        )
        app.program_source, app.program_tz, app.program_format = (
            picked.source,
            picked.program_tz,
            picked.program_format,
        )
        program = app.program  # loads it: a source that does not load is never remembered
        current.remember(app.config_dir, program.id, None if bundled else picked)
        emit(f"Now using {program.id}: {program.name}")
    _describe_current(app)


def _describe_current(app: App) -> None:
    from planner import current

    chosen, program = app.chosen_source(), app.program
    emit(
        f"Program: {program.id}: {program.name} ({len(program.items)} items, zone {program.timezone})"
    )
    obtained = app.loading.obtained
    if obtained is not None:
        from planner.remote import age_text

        age = age_text(app.now() - obtained.copy.confirmed_at)
        emit(f"Source: {chosen.source} (copy fetched {age} ago)")
    else:
        emit(f"Source: {chosen.source}")
    if chosen.program_tz:
        emit(f"Read in: {chosen.program_tz} (--program-tz)")
    picks = next(
        (a.picks for a in current.agendas(app.agenda_folder) if a.path == app.agenda_path), 0
    )
    emit(f"Agenda: {app.agenda_path} ({picks} pick{'s' if picks != 1 else ''})")


@cli.command()
@pass_app
def programs(app: App) -> None:
    """List the programs that have an agenda, with their pick counts (* marks the current one)."""
    from planner import current

    remembered = current.read(app.config_dir)
    found = current.agendas(app.agenda_folder)
    if not found:
        emit(
            "No agendas yet; pick talks with `planner pick ID` (choose a program with `planner use`)"
        )
        return
    width = max(len(summary.program_id) for summary in found)
    for summary in found:
        mark = "*" if summary.program_id == (remembered.current or DEFAULT_PROGRAM) else " "
        known = remembered.known.get(summary.program_id)
        where = (
            known.source if known else ("bundled" if summary.program_id == DEFAULT_PROGRAM else "")
        )
        count = f"{summary.picks} pick{'s' if summary.picks != 1 else ''}"
        emit(f"{mark} {summary.program_id:<{width}}  {count:>9}  {where}".rstrip())


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


# --- serve command ---


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


# --- export command ---

EXPORT_MARKER = rb'PRODID:-//planner//|<meta name="generator" content="planner'
PROGRAM_MARKER = rb'"format"\s*:\s*"planner-program"'  # native JSON, compact or indented
# An export prints every clash up to this many; a bigger agenda's clashes (a 2,000-pick one
# has thousands) would bury the summary, so it gets the first few and a count.
CLASH_WARNINGS_IN_FULL = 10
CLASH_WARNINGS_FIRST = 5

if TYPE_CHECKING:
    from planner.clashes import FoundClash


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
@click.option("--day", type=DateType(), help="html: only this date (in the export zone).")
@click.option("--room", metavar="TEXT", help="html: only rooms whose name contains TEXT.")
@click.option("--force", is_flag=True, help="Overwrite FILE even if it is not an earlier export.")
@pass_app
def export(
    app: App,
    fmt: str,
    export_tz: str | None,
    utc: bool,
    output: str | None,
    alarm: int | None,
    name: str | None,
    show_all: bool,
    day: Any,
    room: str | None,
    force: bool,
) -> None:
    """Export your agenda as .ics (Google, Outlook, Apple Calendar) or as an HTML page.

    Clashes are warned about on stderr but never block the export (exit 0).
    """
    from planner import agenda, timezones

    _check_export_options(fmt, export_tz, utc, alarm, name, show_all)
    if fmt == "ics" and (day is not None or room is not None):
        raise click.UsageError("--day and --room apply to --format html only")
    program = app.program
    zone = None if utc else (timezones.check_zone(export_tz) if export_tz is not None else app.zone)
    only = _page_items(program, zone or "UTC", day, room)
    default = Path("exports") / f"{program.id}-agenda.{fmt}"
    current = agenda.read_agenda(app.agenda_path, program)
    target = _export_target(output, default, force)  # None: stdout
    if fmt == "ics" and agenda.export_pending(current, program):
        # A SEQUENCE rises: build the file and remember the SEQUENCE under the agenda's lock (a
        # busy lock stops the export before anything is written). The file is written after
        # the lock is released, so a slow reader of stdout never holds up other commands; a
        # write that fails then leaves SEQUENCE one higher than calendars saw, never lower.
        with agenda.edit_agenda(app.agenda_path, program) as locked:
            lines = _export_file(app, locked, fmt, zone, alarm, name, show_all)
            agenda.mark_exported(locked, program)
    else:
        lines = _export_file(app, current, fmt, zone, alarm, name, show_all, only)
    _write_export(lines.data, target, lines.summary)
    for line in lines.notes:
        warn(line)


class _ExportFile:
    """The bytes of an export, its one-line summary, and the lines for stderr."""

    def __init__(self, data: bytes, summary: str, notes: list[str]) -> None:
        self.data, self.summary, self.notes = data, summary, notes


def _export_file(
    app: App,
    current: Any,
    fmt: str,
    zone: str | None,
    alarm: int | None,
    name: str | None,
    show_all: bool,
    only: frozenset[str] | None = None,
) -> _ExportFile:
    from planner.clashes import sweep_agenda

    program = app.program
    found = sweep_agenda(program, current)
    clash_zone = zone or app.zone
    if fmt == "html":
        from planner.export.html import to_html

        worded = [clash.worded(clash_zone) for clash in found]
        page = to_html(
            program,
            current,
            zone=zone or "UTC",
            now=app.now(),
            show_all=show_all,
            clashes=worded,
            only=only,
        )
        data, summary, notes = page.encode("utf-8"), f"zone {zone or 'UTC'}", []
    else:
        data, summary, notes = _ics_export(app, current, zone, alarm, name)
    return _ExportFile(data, summary, notes + _clash_warnings(found, clash_zone))


def _page_items(program: Program, zone: str, day: Any, room: str | None) -> frozenset[str] | None:
    """The ids an html page is cut to with --day / --room (None: no cut)."""
    from planner.query import filter_items

    if day is None and room is None:
        return None
    return frozenset(item.id for item in filter_items(program, zone=zone, day=day, room=room))


def _clash_warnings(found: list[FoundClash], zone: str) -> list[str]:
    """Every clash up to a screenful; beyond that the first few and where to see them all."""
    shown = found if len(found) <= CLASH_WARNINGS_IN_FULL else found[:CLASH_WARNINGS_FIRST]
    lines = [f"Warning: {clash.worded(zone).message}" for clash in shown]
    if len(found) > len(shown):
        lines.append(
            f"Warning: ... and {len(found) - len(shown)} more clashes ({len(found)} in all); "
            "`planner clashes` lists every one"
        )
    return lines


def _ics_export(
    app: App, current: Any, zone: str | None, alarm: int | None, name: str | None
) -> tuple[bytes, str, list[str]]:
    """The .ics bytes, the one-line summary, and the lines for stderr."""
    from planner.export.ics import to_ics

    result = to_ics(app.program, current, zone=zone, now=app.now(), alarm_minutes=alarm, name=name)
    summary = f"{result.events} event{'s' if result.events != 1 else ''}, zone {result.zone}"
    if result.cancelled:
        summary += f" ({result.cancelled} cancelled: no longer in the program)"
    if result.utc and result.zone != "UTC":
        summary += " (times written in UTC)"
    notes = [f"Left out (time to be announced): {i.id}: {i.title}" for i in result.left_out]
    notes += [f"Warning: {message}" for message in result.warnings]
    return result.data, summary, notes


def _check_export_options(
    fmt: str, export_tz: str | None, utc: bool, alarm: int | None, name: str | None, show_all: bool
) -> None:
    if utc and export_tz is not None:
        raise click.UsageError("give either --tz ZONE or --utc, not both")
    if fmt == "ics" and show_all:
        raise click.UsageError("--all applies to --format html only (a calendar holds your picks)")
    if fmt == "html" and (alarm is not None or name is not None):
        raise click.UsageError("--alarm and --name apply to --format ics only")


def _export_target(output: str | None, default: Path, force: bool) -> Path | None:
    """Where the export goes (None: stdout), never over a file that is not an earlier export."""
    from planner.errors import ExportError

    if output == "-":
        return None
    path = Path(output) if output else default
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name with -o")
    if path.exists() and not force and not _head_matches(path, EXPORT_MARKER):
        raise ExportError(
            f"{path}: exists and is not an earlier planner export; "
            "use --force to overwrite it, or -o another file"
        )
    return path


def _write_export(data: bytes, target: Path | None, summary: str) -> None:
    from planner.files import write_atomic

    if target is None:
        stdout = sys.stdout.buffer
        stdout.write(data)
        stdout.flush()
        warn(f"Wrote the export to stdout: {summary}")
        return
    write_atomic(target, data)
    emit(f"Wrote {target}: {summary}")


def _head_matches(path: Path, marker: bytes) -> bool:
    """Whether the file's first 4 KB match ``marker`` (an earlier planner output)."""
    import re

    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False  # unreadable: treat as foreign; --force still overwrites
    return re.search(marker, head) is not None


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
            raise
        _drop_stdout()
        click.echo(f"Error: cannot write the output ({exc.strerror or exc})", err=True)
        sys.exit(EXIT_ERROR)


def _drop_stdout() -> None:
    """Point stdout at /dev/null: what is still buffered cannot be written, and flushing it at
    exit would fail (and print) again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
