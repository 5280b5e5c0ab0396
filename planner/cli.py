"""The command line: the only module that imports click, prints or exits.

Each command turns its arguments into domain objects, calls the core, and
formats the result (text for people, ``--json`` for machines). Errors of the
core (``PlannerError``) become one ``Error: ...`` line on stderr and exit code 2
in one place, ``PlannerGroup.invoke``. Heavy modules (pydantic, icalendar,
pytz) are imported inside the commands so that ``planner --help`` starts fast.
"""

from __future__ import annotations

import errno
import os
import sys
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.errors import PlannerError, RequestError
from planner.session import DEFAULT_MAX_AGE, DEFAULT_PROGRAM, Session

if TYPE_CHECKING:
    from planner.actions import EditReport, ExportFormat
    from planner.model import Item

OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})
EXIT_FINDINGS = 1
EXIT_ERROR = 2
PROGRAM_TZ_HELP = "Timezone of a program file that gives none."


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
        except RequestError as exc:
            # A core rule about what a command needs: a usage error, with its --help hint.
            command = f"{ctx.command_path} {ctx.invoked_subcommand or ''}".strip()
            raise PlannerClickError(f"{exc} (see '{command} --help')") from None
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


class App(Session):
    """The session of one command: the global options, click's app dir (agendas, the current
    program), PLANNER_NOW (which pins the clock for tests and examples), warnings to stderr."""

    def __init__(self, *options: Any, day_change: time | None = None) -> None:
        super().__init__(
            *options,
            day_change=day_change,
            config_dir=Path(click.get_app_dir("planner")),
            pinned_now=os.environ.get("PLANNER_NOW"),
            say=warn,
        )


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


class KindType(click.ParamType):
    name = "KIND"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from planner.model import check_kind

        try:
            return check_kind(str(value))
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


class ClockType(click.ParamType):
    """A local time of day: "04:00", "4:00", or "04:00:00" as Pentabarf writes it."""

    name = "HH:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, time):
            return value
        text = str(value).strip()
        hours, _, rest = text.partition(":")
        try:
            if hours.isdigit() and len(hours) <= 2 and len(rest) in (2, 5):
                return time.fromisoformat(f"{hours.zfill(2)}:{rest}")
        except ValueError:
            pass
        self.fail(f"{value!r} is not a time of day like 04:00", param, ctx)


def emit(text: str) -> None:
    click.echo(text)


def warn(text: str) -> None:
    click.echo(text, err=True)


def _global(*decls: str, envvar: str, **options: Any) -> Any:
    """A global option that an environment variable can set too (named in --help)."""
    return click.option(*decls, envvar=envvar, show_envvar=True, **options)


@click.group(cls=PlannerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@_global(
    "--program",
    "program_source",
    envvar="PLANNER_PROGRAM",
    metavar="SOURCE",
    help="Program file (any supported format), http(s) URL, or a bundled program's name "
    f"[default: the one chosen with `planner use`, else {DEFAULT_PROGRAM}].",
)
@_global(
    "--program-format",
    envvar="PLANNER_PROGRAM_FORMAT",
    type=click.Choice(["native", "daypage", "frab", "c3voc", "sitejson", "ics", "csv"]),
    help="Force the program format instead of detecting it from the content.",
)
@_global("--program-tz", envvar="PLANNER_PROGRAM_TZ", metavar="ZONE", help=PROGRAM_TZ_HELP)
@_global(
    "--agenda",
    "agenda_option",
    envvar="PLANNER_AGENDA",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Agenda file [default: <app dir>/agendas/<program-id>.json].",
)
@_global("--tz", "display_tz", envvar="PLANNER_TZ", metavar="ZONE", help="Show times in this zone.")
@_global(
    "--max-age",
    envvar="PLANNER_MAX_AGE",
    type=click.IntRange(0, 7 * 24 * 60),
    default=DEFAULT_MAX_AGE,
    show_default=True,
    metavar="MINUTES",
    help="Use a program fetched from a URL this long before asking the server again "
    "(0: always ask).",
)
@_global(
    "--day-change",
    envvar="PLANNER_DAY_CHANGE",
    type=ClockType(),
    help="The local time a conference day ends at: an item before it is listed under the "
    "day before [default: the program's own days, else 04:00].",
)
@click.version_option(package_name="planner", prog_name="planner")
@click.pass_context
def cli(
    ctx: click.Context,
    program_source: str | None,
    program_format: str | None,
    program_tz: str | None,
    agenda_option: Path | None,
    display_tz: str | None,
    max_age: int,
    day_change: time | None,
) -> None:
    """Plan your conference: browse the program, pick talks, see clashes, export .ics."""
    options = (program_source, program_format, program_tz, agenda_option, display_tz, max_age)
    ctx.obj = App(*options, day_change=day_change)


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
        emit(present.talks_text(app.program, items, zone, width=_listing_width()))


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


# --- agenda commands (pick, drop, add, settings, agenda, clashes, check) ---


class WallClockType(click.ParamType):
    """A wall-clock time "2022-08-30 12:00" (read later in the display zone), or "12:00" alone."""

    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from datetime import time

        from planner.actions import parse_wall_clock

        if isinstance(value, (datetime, time)):
            return value
        try:
            return parse_wall_clock(str(value), "time")
        except PlannerError:
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


def _report_edit(report: EditReport) -> None:
    """Print what an agenda change did, then every clash it created (warnings: exit stays 0)."""
    for note in report.notes:
        warn(f"Note: {note}")
    for message in report.messages:
        emit(message)
    for clash in report.clashes:
        warn(f"{'Warning' if clash.is_clash else 'Note'}: {clash.message}")


def _listing_width() -> int | None:
    """The terminal's width for a listing to fit (COLUMNS first, as shutil reads it); None
    when the output goes to a pipe or a file, where a cut title would be lost to grep."""
    import shutil

    if not os.environ.get("COLUMNS", "").strip().isdigit() and not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def _use_color() -> bool:
    # NO_COLOR (https://no-color.org): any non-empty value turns colours off.
    stream = sys.stdout
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


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
    emit(dayview.render_day_view(day, width=width, color=_use_color()))


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


# --- planning commands (suggest, plan): planner.rank and its stemmer are imported only here ---


class ClockType(click.ParamType):
    """A local clock time "09:30" (read on the --day, in the display zone)."""

    name = "HH:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import re
        from datetime import time

        if isinstance(value, time):
            return value
        found = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", str(value))
        if found and int(found[1]) < 24 and int(found[2]) < 60:
            return time(int(found[1]), int(found[2]))
        self.fail(f"{value!r} is not a clock time like 09:30", param, ctx)


def _ranking_options(command: Any) -> Any:
    command = click.option(
        "--like",
        multiple=True,
        metavar="ID",
        help="Also rank by likeness to this item (repeatable; 'picks': your current picks).",
    )(command)
    return click.argument("interests", nargs=-1, metavar="[INTERESTS]...")(command)


def _tell_about_ranking(found: Any) -> None:
    for text in found.unmatched:
        warn(f"Note: no item matches {text!r}")
    for note in found.notes:
        warn(f"Note: {note}")


@cli.command()
@_ranking_options
@click.option(
    "--kind", type=KindType(), help="Only items of this kind (talk, paper, session, ...)."
)
@click.option("--day", type=DateType(), help="Only this date (in the display zone).")
@click.option(
    "--limit", type=click.IntRange(min=1), help="Show this many [default: 20; --json: all]."
)
@click.option("--json", "as_json", is_flag=True, help='Print [{"id", "score", "matched"}].')
@pass_app
def suggest(
    app: App,
    interests: tuple[str, ...],
    like: tuple[str, ...],
    kind: str | None,
    day: Any,
    limit: int | None,
    as_json: bool,
) -> None:
    """Rank the program by your interests (words, "quoted phrases") and --like items."""
    from planner import plan_view, planning, present

    program, zone = app.program, app.zone
    found = planning.suggest(
        program, app.agenda_path, planning.Wanted(interests, like), zone=zone, kind=kind, day=day
    )
    _tell_about_ranking(found.ranking)
    if as_json:
        emit(present.dumps([entry.as_json() for entry in found.entries[:limit]]))
    else:
        emit(plan_view.suggest_text(program, found.entries, zone, limit=limit))


@cli.command()
@_ranking_options
@click.option("--day", type=DateType(), help="Plan only this date (in the display zone).")
@click.option("--from", "start", type=ClockType(), help="Plan from this time on the day.")
@click.option("--until", "end", type=ClockType(), help="Plan up to this time on the day.")
@click.option(
    "--keep-picks/--replace",
    default=True,
    help="Plan around your picks (default), or from scratch; personal events are always kept.",
)
@click.option(
    "--min-score",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Choose only items scoring above this.",
)
@click.option("--apply", "apply_plan", is_flag=True, help="Pick the added items (one change).")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON (schema in README).")
@pass_app
def plan(
    app: App,
    interests: tuple[str, ...],
    like: tuple[str, ...],
    day: Any,
    start: Any,
    end: Any,
    keep_picks: bool,
    min_score: float,
    apply_plan: bool,
    as_json: bool,
) -> None:
    """The best clash-free agenda for your interests: exact, walks included."""
    import shutil

    from planner import plan_view, planning, present

    program, zone = app.program, app.zone
    request = planning.PlanRequest(
        planning.Wanted(interests, like),
        planning.day_window(program, zone, day, start, end),
        keep_picks,
        min_score,
    )
    planned = planning.plan_day(
        program, app.agenda_path, request, zone=zone, now=app.now(), apply=apply_plan
    )
    _tell_about_ranking(planned.proposal.ranking)
    if as_json:
        emit(present.dumps(planned.proposal.plan.as_json()))
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        emit(plan_view.plan_text(program, planned, zone, width=width, color=_use_color()))
    if planned.applied is not None:
        _report_applied(planned, to_stderr=as_json)


def _report_applied(planned: Any, *, to_stderr: bool) -> None:
    say = warn if to_stderr else emit
    say("")
    for outcome in planned.applied.outcomes:
        say(outcome.message)
    for clash in planned.created:
        warn(f"Warning: {clash.message}")
    undo = planned.applied.undo_command()
    say(f"Undo: {undo}" if undo else "Nothing picked: your agenda already holds this plan.")


# --- the current program (use, programs) and the web face (serve) ---


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


# --- export command ---


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
