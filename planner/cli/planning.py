"""Planning: suggest and plan. planner.rank and its stemmer are imported only here, inside
the commands, so every other command starts as fast as before."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from planner.cli.app import App, emit, pass_app, use_color, warn
from planner.cli.group import cli
from planner.cli.params import ClockType, DateType, KindType

if TYPE_CHECKING:
    pass


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
@click.option("--day", type=DateType(), help="Only this conference day (as talks lists it).")
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
@click.option("--day", type=DateType(), help="Plan only this conference day (as talks lists it).")
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
        emit(plan_view.plan_text(program, planned, zone, width=width, color=use_color()))
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
