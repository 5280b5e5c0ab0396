"""The ``planner`` group: its global options (each with an environment variable), and the
one place where the core's errors and click's usage errors become one ``Error: ...`` line."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

import click

from planner.cli.app import EXIT_ERROR, App
from planner.cli.params import ClockType
from planner.errors import PlannerError, RequestError
from planner.session import DEFAULT_MAX_AGE, DEFAULT_PROGRAM

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
