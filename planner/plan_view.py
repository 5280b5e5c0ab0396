"""Text views of `planner suggest` and `planner plan`: pure functions from data to text.

The proposed day is drawn by planner.dayview, the layout of `planner agenda`, with each
item's score, the words that earned it and whether the plan adds or keeps it; the total and
the difference to the current agenda come last.
"""

from __future__ import annotations

from planner import timezones
from planner.dayview import Note, Segment, build_day_view, render_day_view
from planner.model import Program
from planner.planning import Planned, Proposal
from planner.present import time_range
from planner.rank import Ranked

SUGGEST_LIMIT = 20  # lines the text view of `suggest` shows unless --limit says otherwise
# A session liked by many words matches dozens: the text view names the first few (--json all).
SHOWN_WORDS = 6


def score_text(score: float) -> str:
    return f"{score:.2f}"


def words_text(words: tuple[str, ...]) -> str:
    shown = ", ".join(words[:SHOWN_WORDS])
    return shown + (f", +{len(words) - SHOWN_WORDS} more" if len(words) > SHOWN_WORDS else "")


def suggest_text(program: Program, entries: list[Ranked], zone: str, *, limit: int | None) -> str:
    """The matching items, best first: score, time, id, [the words that matched], title."""
    matching = [entry for entry in entries if entry.score > 0]
    if not matching:
        return "No item matches."
    shown = matching[: SUGGEST_LIMIT if limit is None else limit]
    by_id = program.item_map()
    days = {timezones.local_date(by_id[e.id].start, zone) for e in shown}  # type: ignore[arg-type]
    lines = [f"{len(matching)} items match (times in {zone}); best first:"]
    id_width = max((len(entry.id) for entry in shown), default=0)
    for entry in shown:
        item = by_id[entry.id]
        when = time_range(item.start, item.end, zone)
        if len(days) > 1:
            when = f"{timezones.to_zone(item.start, zone):%a %d %b} {when}"  # type: ignore[arg-type]
        mark = "~" if item.estimated else " "
        lines.append(
            f"{score_text(entry.score):>7}  {when}{mark} {entry.id:<{id_width}}  "
            f"[{words_text(entry.matched)}]  {item.title}"
        )
    if len(matching) > len(shown):
        lines.append(f"... and {len(matching) - len(shown)} more (--limit N shows more)")
    return "\n".join(lines)


def plan_text(program: Program, planned: Planned, zone: str, *, width: int, color: bool) -> str:
    """The proposed day (planning.Planned) with each item's score, the total and the diff."""
    proposal = planned.proposal
    plan = proposal.plan
    view = build_day_view(program, planned.shown, planned.clashes, [], zone)
    view.title = f"{program.name}: proposed agenda"
    view.empty = "Nothing to plan: no item scores above the minimum in this part of the program."
    scores = {choice.id: choice.score for choice in plan.items}
    matched = proposal.ranking.matched()
    added = set(plan.added)
    for row in [*view.rows, *view.tba]:
        if row.id not in scores:
            continue
        words = matched.get(row.id, ())
        why = f"score {score_text(scores[row.id])}" + (f" ({words_text(words)})" if words else "")
        note = Note("added", f"added, {why}") if row.id in added else Note("dim", f"kept, {why}")
        row.notes.insert(0, note)
    view.footer = _footer(program, proposal, len(planned.clashes), planned.applied is not None)
    return render_day_view(view, width=width, color=color)


def _footer(
    program: Program, proposal: Proposal, clash_count: int, applying: bool
) -> list[list[Segment]]:
    plan = proposal.plan
    by_id = program.item_map()
    count = len(plan.items)
    lines: list[list[Segment]] = [
        [
            (
                f"Total score {score_text(plan.total)}: {count} item{'s' if count != 1 else ''} "
                f"({len(plan.added)} added, {len(plan.kept)} kept).",
                "plain",
            )
        ]
    ]
    for item_id in plan.dropped:
        title = by_id[item_id].title if item_id in by_id else ""
        lines.append([(f"- dropped {item_id}: {title}", "clash")])
    if plan.dropped:
        lines.append([("  (--apply only adds; `planner drop ID...` drops these)", "dim")])
    if clash_count:
        noun = "clash" if clash_count == 1 else "clashes"
        lines.append(
            [
                (
                    f"! {clash_count} {noun} among what you keep (the plan leaves them as they are)",
                    "clash",
                )
            ]
        )
    if plan.estimated:
        lines.append(
            [
                (
                    f"~ rests on estimated times: {', '.join(plan.estimated)} (`planner show ID`)",
                    "dim",
                )
            ]
        )
    if not applying:
        if plan.added:
            noun = "item" if len(plan.added) == 1 else "items"
            lines.append(
                [(f"Nothing written; --apply picks the {len(plan.added)} added {noun}.", "plain")]
            )
        else:
            lines.append([("Nothing to add: your agenda already holds this plan.", "plain")])
    return lines
