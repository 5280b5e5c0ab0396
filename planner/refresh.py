"""`planner refresh`: load the current program again now and say what that changed for me.

The report holds three things. What changed for each pick since the attendee last confirmed
it (the agenda's own change report: moved, room, renamed, vanished), the clashes among the
picks that the program as of the last refresh did not have, and how many items the whole
program gained and lost since the last refresh. Data only: the CLI words it.

"The last refresh" is a copy of the program's bytes kept in the user cache dir
(``<cache>/refreshed/<program id>.json`` and ``.body``, replaced atomically) at every refresh,
and by `planner use` when it makes a program current and none is kept yet (``keep_baseline``),
so that the first refresh of a file can say what was added and removed since. A first refresh
with no copy kept (a program given with --program only) compares with the copy a URL's cache
held before fetching, if any; otherwise it has nothing to compare with and says so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import PlannerError

if TYPE_CHECKING:
    from planner.agenda import Agenda, Change
    from planner.clashes import Clash
    from planner.model import Item, Program
    from planner.remote import Loading, Obtained
    from planner.sources.base import SourceContext


@dataclass(frozen=True)
class ProgramDelta:
    """Items of the whole program since the last refresh, matched by GUID (else id)."""

    added: list[Item]
    removed: list[Item]


@dataclass(frozen=True)
class RefreshReport:
    program: Program
    source: str
    how: str  # "fetched", "not-modified", "cached" (offline: the copy kept), or "read"
    changes: list[Change]  # for the picks, since each was last confirmed
    new_clashes: list[Clash]  # among the picks, since the last refresh (all: first refresh)
    delta: ProgramDelta | None  # None: no earlier refresh to compare with
    warnings: list[str] = field(default_factory=list)

    @property
    def picks_changed(self) -> bool:
        return bool(self.changes)


def compare(
    program: Program, previous: Program | None, agenda: Agenda, zone: str
) -> tuple[list[Change], list[Clash], ProgramDelta | None]:
    """The pure part of a refresh: the picks' changes, new clashes, and the program's delta."""
    from planner import agenda as agendas

    agenda_clashes = agendas.agenda_clashes
    changes = agendas.changes(program, agenda, zone)
    clashes = agenda_clashes(program, agenda, zone=zone)
    if previous is None:
        return changes, clashes, None
    before = {(clash.kind, clash.items) for clash in agenda_clashes(previous, agenda, zone=zone)}
    new_clashes = [clash for clash in clashes if (clash.kind, clash.items) not in before]
    return changes, new_clashes, program_delta(previous, program)


def program_delta(previous: Program, program: Program) -> ProgramDelta:
    old = {_identity(item): item for item in previous.items}
    new = {_identity(item): item for item in program.items}
    return ProgramDelta(
        added=[item for key, item in new.items() if key not in old],
        removed=[item for key, item in old.items() if key not in new],
    )


def _identity(item: Item) -> str:
    # The GUID where the file has one: a talk the conference renumbered is the same talk.
    return (item.guid or item.id).lower()


def refresh(program: Program, loading: Loading, agenda_path: Path, zone: str) -> RefreshReport:
    """The report for ``program`` just loaded through ``loading`` (with ``force`` set, so a
    URL was asked for now); remembers this copy as the last refresh."""
    from planner import agenda as agendas

    loaded = loading.last_parsed  # before parsing the earlier copy replaces it
    source, how = _source_of(loading), _how(loading.obtained)
    memory = RefreshMemory(loading.cache_dir)
    previous = memory.recall(program.id, loading) or _held_before(loading, loaded)
    current = agendas.read_agenda(agenda_path, program)
    changes, new_clashes, delta = compare(program, previous, current, zone)
    if loaded is not None:
        memory.keep(program.id, *loaded)
    return RefreshReport(
        program=program,
        source=source,
        how=how,
        changes=changes,
        new_clashes=new_clashes,
        delta=delta,
    )


def keep_baseline(program_id: str, loading: Loading) -> None:
    """Keep the program ``loading`` just parsed as what the next refresh compares with,
    unless a refresh (or an earlier `use`) kept one: that one stays the baseline."""
    loaded = loading.last_parsed
    memory = RefreshMemory(loading.cache_dir)
    if loaded is not None and not memory.holds(program_id):
        memory.keep(program_id, *loaded)


def _held_before(
    loading: Loading, loaded: tuple[bytes, SourceContext, str | None, str | None] | None
) -> Program | None:
    """The copy a URL's cache held before this fetch (first refresh of a program)."""
    obtained = loading.obtained
    if obtained is None or obtained.previous is None or loaded is None:
        return None
    _, context, fmt, zone = loaded
    try:
        return loading.parse(obtained.previous, context, fmt=fmt, zone=zone)
    except PlannerError:
        return None


def _source_of(loading: Loading) -> str:
    if loading.obtained is not None:
        return loading.obtained.copy.url
    return loading.last_parsed[1].label if loading.last_parsed is not None else "?"


def _how(obtained: Obtained | None) -> str:
    if obtained is None:
        return "read"
    if obtained.fetched:
        return "fetched"
    return "cached" if obtained.warnings else "not-modified"


class RefreshMemory:
    """The program's bytes as of the last refresh, with what is needed to parse them again."""

    def __init__(self, cache_dir: Path) -> None:
        from planner.files import RecordStore

        self.store = RecordStore(Path(cache_dir) / "refreshed")

    def holds(self, program_id: str) -> bool:
        return self.store.holds(program_id)

    def recall(self, program_id: str, loading: Loading) -> Program | None:
        """The program as the last refresh saw it; None when there is none or it does not load
        (the cache only helps: a refresh never fails because of it)."""
        from planner.sources.base import SourceContext

        found = self.store.read(program_id)
        if found is None:
            return None
        record, body = found
        try:
            today = date.fromisoformat(record["today"]) if record.get("today") else None
            context = SourceContext(label=record["label"], stem=record["stem"], today=today)
            previous = loading.parse(body, context, fmt=record["fmt"], zone=record["zone"])
        except (OSError, ValueError, KeyError, TypeError, PlannerError):
            return None
        return previous if previous.id == program_id else None

    def keep(
        self,
        program_id: str,
        data: bytes,
        context: SourceContext,
        fmt: str | None,
        zone: str | None,
    ) -> None:
        """Keep ``data`` as the program the next refresh compares with (best effort: the next
        refresh compares with an older copy, or with none, when it cannot be written)."""
        record = {
            "program_id": program_id,
            "label": context.label,
            "stem": context.stem,
            "fmt": fmt,
            "zone": zone,
            "today": context.today.isoformat() if context.today else None,
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        self.store.write(program_id, record, data)
