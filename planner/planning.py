"""The rules of `planner suggest` and `planner plan`: what to rank by, which part of the
program to plan, what the plan keeps, and what applying it changes: pure functions over the
program and the agenda, and the two use cases a face calls (``suggest``, ``plan_day``), which
read and change the agenda only through planner.agenda. The CLI turns options into these
arguments and prints what they return.

- What to rank by: interests (free words and phrases) and/or ``--like`` ids, where the word
  ``picks`` stands for the current picks. Neither is a RequestError that says what to give.
- The ranking is planner.rank's (BM25; a session is worth the sum of its parts), and its
  scores are exactly what the plan maximises (planner.plan).
- ``keep_picks``: the current firm picks and personal events are fixed and planned around;
  without it only personal events are. Backups (`pick --maybe`) are never fixed: the plan
  may choose among them by score, and one it passes over stays a backup.
- Applying a plan picks its added items in one locked change of the agenda (``plan_day`` runs
  ``plan_and_pick`` inside ``agenda.update_agenda``, so the plan is made from the agenda as it
  is under the lock). It never drops a pick: ``planner drop`` of the added ids undoes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import cast

from planner.agenda import (
    Agenda,
    EditResult,
    Pick,
    Snapshot,
    agenda_clashes,
    covered_by,
    pick,
    read_agenda,
    sweep_agenda,
    update_agenda,
    walk_rule,
)
from planner.clashes import Clash
from planner.errors import RequestError
from planner.model import Item, Program
from planner.plan import Plan, Window, best_agenda, fixed_slots
from planner.rank import Ranked, parse_interests, rank

LIKE_PICKS = "picks"  # --like picks: the current picks
ASK_FOR = (
    'give interests (free words, a phrase in quotes: sparsity "gpu kernels") '
    "or --like ID (--like picks: items like your picks)"
)


@dataclass(frozen=True)
class Wanted:
    """What the attendee asked for: interests and the ids (or ``picks``) to be like."""

    interests: tuple[str, ...] = ()
    like: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranking:
    """Every timed item, best first, and what the attendee should be told about the query."""

    ranked: list[Ranked]
    unmatched: tuple[str, ...]  # interests that match no item
    notes: tuple[str, ...]

    def scores(self) -> dict[str, float]:
        return {ranked.id: ranked.score for ranked in self.ranked}

    def matched(self) -> dict[str, tuple[str, ...]]:
        return {ranked.id: ranked.matched for ranked in self.ranked}


def ranking(program: Program, agenda: Agenda, wanted: Wanted) -> Ranking:
    """Rank the program; an unknown ``like`` id raises NotFoundError naming the closest ids."""
    interests = [text for text in wanted.interests if text.strip()]
    if not interests and not wanted.like:
        raise RequestError(f"nothing to rank by: {ASK_FOR}")
    like, notes = _liked_ids(program, agenda, wanted.like)
    if not interests and not like:
        what = (
            "your agenda has no picks to be like"
            if LIKE_PICKS in wanted.like and not agenda.picks
            else "no liked item has a time yet"
        )
        raise RequestError(f"--like: {what}; {ASK_FOR}")
    ranked = rank(program, interests, like)
    seen = {word for entry in ranked for word in entry.matched}
    unmatched = tuple(query.text for query in parse_interests(interests) if query.text not in seen)
    return Ranking(ranked, unmatched, tuple(notes))


def _liked_ids(
    program: Program, agenda: Agenda, like: Sequence[str]
) -> tuple[list[str], list[str]]:
    from planner.query import resolve_id

    by_id = program.item_map()
    ids: list[str] = []
    for text in like:
        if text == LIKE_PICKS:
            ids.extend(p.id for p in agenda.picks if p.id in by_id)
        else:
            ids.append(resolve_id(program, text).id)
    untimed = [item_id for item_id in dict.fromkeys(ids) if by_id[item_id].start is None]
    notes = [
        f"--like {item_id}: its time is to be announced, so it is not ranked and adds nothing"
        for item_id in untimed
    ]
    return [item_id for item_id in dict.fromkeys(ids) if item_id not in untimed], notes


def suggestions(
    program: Program,
    found: Ranking,
    *,
    zone: str,
    kind: str | None = None,
    day: date | None = None,
) -> list[Ranked]:
    """The ranking cut to one kind and/or one local day, still best first."""
    from planner.days import ConferenceDays

    by_id = program.item_map()
    days = ConferenceDays(program, zone)

    def wanted(entry: Ranked) -> bool:
        item = by_id[entry.id]
        if kind is not None and item.kind != kind:
            return False
        return day is None or days.day_of(item.start) == day  # type: ignore[arg-type]

    return [entry for entry in found.ranked if wanted(entry)]


def day_window(
    program: Program,
    zone: str,
    day: date | None,
    start: time | None = None,
    end: time | None = None,
) -> Window:
    """The part of the program to plan: a conference day (``--day``, as ``talks`` lists it),
    cut by wall-clock times on it (a time before the day change is in the night after)."""
    from planner.days import ConferenceDays, clock_on_day, day_bounds

    if day is None and (start is not None or end is not None):
        listed = ConferenceDays(program, zone)
        days = sorted({listed.day_of(i.start) for i in program.items if i.start is not None})
        if len(days) != 1:
            raise RequestError(
                f"--from/--until need --day DATE: {program.id} spans {len(days)} days"
                + (f" ({days[0]} to {days[-1]})" if days else "")
            )
        day = days[0]
    if day is None:
        return Window()
    begin, day_end = day_bounds(program, day, zone)
    if start is not None:
        begin = clock_on_day(program, day, start, zone)
    if end is None:
        return Window(begin, None, starts_before=day_end)
    finish = clock_on_day(program, day, end, zone, closing=True)
    if finish <= begin:
        raise RequestError(
            f"--until {end:%H:%M} is not after --from {(start or time(0)):%H:%M}; "
            "give an --until later in the day"
        )
    return Window(begin, finish)


@dataclass(frozen=True)
class PlanRequest:
    """What `planner plan` was asked: by what to rank, where, around what, above which score."""

    wanted: Wanted
    window: Window = field(default_factory=Window)
    keep_picks: bool = True  # False (--replace): only personal events stay fixed
    min_score: float = 0.0


@dataclass(frozen=True)
class Proposal:
    """The best agenda for a request, the ranking it maximised, and the request."""

    plan: Plan
    ranking: Ranking
    request: PlanRequest

    def added_items(self, program: Program) -> list[Item]:
        by_id = program.item_map()
        return [by_id[item_id] for item_id in self.plan.added]


def propose(program: Program, agenda: Agenda, request: PlanRequest) -> Proposal:
    """The exact best clash-free agenda for this request (see planner.plan)."""
    found = ranking(program, agenda, request.wanted)
    picks = [p.id for p in agenda.picks]
    firm = [p.id for p in agenda.picks if not p.maybe]
    plan = best_agenda(
        program,
        found.scores(),
        fixed=fixed_slots(program, firm if request.keep_picks else (), agenda.events),
        walk=walk_rule(program, agenda),
        picks=picks,
        min_score=request.min_score,
        window=request.window,
    )
    if request.keep_picks:
        # Backups are choices, not commitments: one the plan passes over stays a backup.
        backups = {p.id for p in agenda.picks if p.maybe}
        plan = replace(plan, dropped=tuple(i for i in plan.dropped if i not in backups))
    return Proposal(plan, found, request)


def proposed_agenda(program: Program, agenda: Agenda, proposal: Proposal) -> Agenda:
    """The proposed day as an agenda, for the day view: the plan's items (kept picks as they
    are, with the talks they cover), and the personal events inside the window."""
    by_id = program.item_map()
    planned = [choice.id for choice in proposal.plan.items]
    existing = {p.id: p for p in agenda.picks}
    picks = [
        existing.get(item_id) or Pick(id=item_id, snapshot=Snapshot.of(by_id[item_id]))
        for item_id in planned
    ]
    kept = set(planned)
    covering = covered_by(program, agenda)
    picks += [p for p in agenda.picks if covering.get(p.id) in kept and p.id not in kept]
    window = proposal.request.window
    closes = window.end or window.starts_before
    events = [
        event
        for event in agenda.events
        if (closes is None or event.start < closes)
        and (window.start is None or event.end > window.start)
    ]
    return Agenda(
        program_id=agenda.program_id, picks=picks, events=events, settings=agenda.settings
    )


@dataclass(frozen=True)
class AppliedPlan(EditResult):
    """What `plan --apply` did: the agenda change, and the proposal made under the lock from
    the agenda as it was then (``before``)."""

    proposal: Proposal | None = None
    before: Agenda | None = None

    def undo_command(self) -> str | None:
        """The one command that undoes it: drop what it added (None: it added nothing)."""
        added = [outcome.id for outcome in self.outcomes if outcome.action == "added"]
        return f"planner drop {' '.join(added)}" if added else None


def plan_and_pick(
    agenda: Agenda, program: Program, request: PlanRequest, *, zone: str, now: datetime
) -> AppliedPlan:
    """Plan from ``agenda`` and pick the plan's added items: the pure operation that
    ``agenda.update_agenda`` runs under the lock, so plan and change see one agenda. It never
    drops a pick, so ``planner drop`` of what it added restores the agenda."""
    proposal = propose(program, agenda, request)
    picked = pick(agenda, program, proposal.added_items(program), zone=zone, now=now)
    return AppliedPlan(picked.agenda, picked.outcomes, proposal=proposal, before=agenda)


# --- the use cases -----------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestions:
    """`planner suggest`: the ranking (with what to tell about the query) and its entries."""

    ranking: Ranking
    entries: list[Ranked]


def suggest(
    program: Program,
    agenda_path: Path,
    wanted: Wanted,
    *,
    zone: str,
    kind: str | None = None,
    day: date | None = None,
) -> Suggestions:
    found = ranking(program, read_agenda(agenda_path, program), wanted)
    return Suggestions(found, suggestions(program, found, zone=zone, kind=kind, day=day))


@dataclass(frozen=True)
class Planned:
    """`planner plan`: the proposal, the day to show (the plan's items with the personal
    events), the clashes among what it keeps, and what --apply did, if asked."""

    proposal: Proposal
    shown: Agenda
    clashes: list[Clash]
    applied: AppliedPlan | None = None
    created: list[Clash] = field(default_factory=list)  # clashes the apply created


def plan_day(
    program: Program,
    agenda_path: Path,
    request: PlanRequest,
    *,
    zone: str,
    now: datetime,
    apply: bool = False,
) -> Planned:
    """Plan (and with ``apply`` pick the added items, under the agenda's lock)."""
    applied = None
    created: list[Clash] = []
    if apply:
        applied = update_agenda(
            agenda_path,
            program,
            lambda current: plan_and_pick(current, program, request, zone=zone, now=now),
        )
        # plan_and_pick always sets both; the defaults only serve the dataclass's field order.
        proposal, before = cast(Proposal, applied.proposal), cast(Agenda, applied.before)
        created = [f.worded(zone) for f in sweep_agenda(program, applied.agenda, applied.touched())]
    else:
        before = read_agenda(agenda_path, program)
        proposal = propose(program, before, request)
    shown = proposed_agenda(program, before, proposal)
    return Planned(proposal, shown, agenda_clashes(program, shown, zone=zone), applied, created)
