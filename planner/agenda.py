"""The attendee's agenda: picks, personal events and settings, kept safely on disk.

This is the one module that writes the agenda file. Reading never needs the lock
(writes replace the file atomically, so a reader sees the old or the new agenda);
every change goes lock -> read -> change -> atomic write -> unlock.

The lock is ``fcntl.flock`` on ``<agenda name>.lock`` beside the agenda: the standard
library does the job on the POSIX systems planner runs on, so a dependency such as
``filelock`` would add nothing but an install. The lock file is never deleted,
because deleting a lock file lets two writers lock two different files.

Versions: 1 had no ``picked_at``; 2 records when each pick was made; 3 records what the
last export wrote for a changed item (``exported``), so that SEQUENCE never falls; 4 records each
pick's ``guid`` (what its calendar UID is made of, now that frab and c3voc items show short
ids) and whether the last export wrote a vanished pick as cancelled. An older file is
read as it is and rewritten in the current version on the next save, after its exact
bytes were kept as ``<name>.v<old>.bak`` beside it. A newer or unknown version is
never touched.
"""

from __future__ import annotations

import json
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from glob import escape as glob_escape
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from planner import timezones
from planner.errors import AgendaError, PlannerError
from planner.files import NotARegularFile, link_target, read_regular, write_atomic
from planner.model import Item, Moment, PersonalEvent, Program, sort_key

AGENDA_VERSION = 4
DEFAULT_WALK_MINUTES = 5
LOCK_TIMEOUT_SECONDS = 15.0
EVENT_PREFIX = "my-"
# One person's agenda is a few hundred KB even with every talk of a big program picked.
MAX_AGENDA_BYTES = 64 * 1024 * 1024
LEFT_AS_IS = "the file was left as it is; repair it or move it away to start a new agenda"


class Snapshot(BaseModel):
    """The item as it was when picked, to tell the attendee what changed since."""

    model_config = ConfigDict(extra="forbid")

    title: str
    start: Moment | None = None
    end: Moment | None = None
    room: str | None = None

    @classmethod
    def of(cls, item: Item) -> Snapshot:
        return cls(title=item.title, start=item.start, end=item.end, room=item.room)


class Pick(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    snapshot: Snapshot
    # The .ics SEQUENCE: rises each time an export or a re-pick meets a new time, room or title.
    sequence: int = Field(default=0, ge=0)
    # When the attendee picked it; None for picks made before version 2 recorded it.
    picked_at: Moment | None = None
    # The item as the last export wrote it, when that differed from the snapshot (a change the
    # attendee has not confirmed by picking again); None when exports wrote the snapshot.
    exported: Snapshot | None = None
    # The item's GUID where its id is a short one: the calendar UID, and how the pick finds its
    # item again when a refreshed program renumbers it. None for items without one.
    guid: str | None = None
    # True when the last export wrote this pick as cancelled (its item vanished).
    cancelled: bool = False

    @property
    def uid_key(self) -> str:
        """What the pick's calendar UID is made of: the GUID when there is one (UIDs written
        before short ids stay the same), else the id."""
        return self.guid or self.id

    def written(self) -> Snapshot:
        """The item as calendars last received it (or will, on the first export)."""
        return self.exported or self.snapshot


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    walk_minutes: int = Field(default=DEFAULT_WALK_MINUTES, ge=0, le=24 * 60)
    alarm_minutes: int | None = Field(default=None, ge=0, le=7 * 24 * 60)


class Agenda(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[4] = AGENDA_VERSION
    program_id: str
    picks: list[Pick] = []
    events: list[PersonalEvent] = []
    settings: Settings = Settings()

    @model_validator(mode="after")
    def _ids_unique(self) -> Agenda:
        seen: set[str] = set()
        for entry_id in [pick.id for pick in self.picks] + [event.id for event in self.events]:
            if entry_id in seen:
                raise ValueError(f"id {entry_id!r} appears twice in the agenda")
            seen.add(entry_id)
        return self

    def pick_ids(self) -> set[str]:
        return {pick.id for pick in self.picks}

    def find_pick(self, item_id: str) -> Pick | None:
        return next((pick for pick in self.picks if pick.id == item_id), None)

    def find_event(self, event_id: str) -> PersonalEvent | None:
        return next((event for event in self.events if event.id == event_id), None)


# --- reading and writing -------------------------------------------------------------


def read_agenda(path: Path, program: Program | str) -> Agenda:
    """The agenda at ``path`` (empty when the file does not exist yet); no lock needed.

    ``program`` is the program (or only its id): given the program, picks stored under
    another id of an item (a GUID, from before short ids) are read under its id now
    (``adopt_ids``); the next save writes them so.
    """
    return _read_stored(Path(path), program).agenda


@dataclass(frozen=True)
class _Stored:
    """The agenda as read, with what a save needs to keep an older version's backup."""

    agenda: Agenda
    data: bytes | None  # the file's exact bytes; None when there is no file yet
    version: int
    ids_adopted: bool = False  # picks were read under other ids (adopt_ids): keep a backup


def _read_stored(path: Path, program: Program | str) -> _Stored:
    program_id = program if isinstance(program, str) else program.id
    data = _read_bytes(path)
    if data is None:
        return _Stored(Agenda(program_id=program_id), None, AGENDA_VERSION)
    agenda, version = _parse(path, data, program_id)
    if not isinstance(program, str):
        adopted = adopt_ids(agenda, program)
        if adopted is not agenda:
            return _Stored(adopted, data, version, ids_adopted=True)
    return _Stored(agenda, data, version)


def _save(path: Path, agenda: Agenda, stored: _Stored) -> None:
    """Write under the lock: first the backup of an older version, then the agenda."""
    if stored.data is not None and (stored.version < AGENDA_VERSION or stored.ids_adopted):
        keep_backup(path, stored.data, stored.version)
    write_agenda(path, agenda)


@contextmanager
def edit_agenda(path: Path, program_id: Program | str) -> Iterator[Agenda]:
    """Lock, read and yield the agenda; write it back atomically if the block changed it."""
    path = link_target(Path(path))
    with agenda_lock(path):
        stored = _read_stored(path, program_id)
        agenda = stored.agenda.model_copy(deep=True)
        yield agenda
        if agenda != stored.agenda:
            _save(path, agenda, stored)


Result = TypeVar("Result", bound="EditResult")


def update_agenda(
    path: Path, program_id: Program | str, operation: Callable[[Agenda], Result]
) -> Result:
    """Apply a pure operation (Agenda -> EditResult) under the lock and save what it returns."""
    path = link_target(Path(path))
    with agenda_lock(path):
        stored = _read_stored(path, program_id)
        result = operation(stored.agenda)
        if result.agenda != stored.agenda:
            _save(path, result.agenda, stored)
    return result


def write_agenda(path: Path, agenda: Agenda) -> None:
    """Replace the file atomically; callers hold the lock (edit_agenda, update_agenda)."""
    data = (agenda.model_dump_json(indent=2) + "\n").encode("utf-8")
    try:
        write_atomic(link_target(Path(path)), data)
    except PlannerError as exc:
        raise AgendaError(str(exc)) from None


def keep_backup(path: Path, data: bytes, version: int) -> Path:
    """Keep an older version's exact bytes beside the agenda; never overwrite another backup."""
    candidates = [path.with_name(f"{path.name}.v{version}.bak")] + [
        path.with_name(f"{path.name}.v{version}-{n}.bak") for n in range(2, 100)
    ]
    for backup in candidates:
        existing = _read_bytes(backup)
        if existing == data:
            return backup
        if existing is None:
            try:
                write_atomic(backup, data)
            except PlannerError as exc:
                raise AgendaError(
                    f"{path}: cannot keep the version {version} agenda as {backup.name} before "
                    f"updating it ({exc}); the agenda was left as it is"
                ) from None
            return backup
    raise AgendaError(f"{path}: too many backups beside it; move some {path.name}.v*.bak away")


def _remove_leftover_temp_files(path: Path) -> None:
    # Every agenda writer holds the lock while its temp file exists, so under the lock any
    # temp file of this agenda was left by a writer killed before its replace. Exactly the
    # eight random characters mkstemp uses: an export that happens to be named
    # "<agenda>.ics" writes ".<agenda>.ics.XXXXXXXX.tmp" without this lock.
    for leftover in path.parent.glob(f".{glob_escape(path.name)}.{'?' * 8}.tmp"):
        with suppress(OSError):
            leftover.unlink()


@contextmanager
def agenda_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive flock on ``<name>.lock`` beside the agenda.

    Taking the lock also clears what killed writers left, even when the command then changes
    nothing (picking an already picked talk), so no temp file outlives the next pick, drop,
    add or settings command.
    """
    import fcntl

    path = link_target(path)
    lock_path = path.with_name(path.name + ".lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise AgendaError(f"{lock_path}: cannot create the agenda's lock file ({_reason(exc)})")
    try:
        _wait_for_lock(fd, lock_path, fcntl)
        _remove_leftover_temp_files(path)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _wait_for_lock(fd: int, lock_path: Path, fcntl: object) -> None:
    # Non-blocking tries with a deadline, so a stuck planner elsewhere gives a clear error
    # instead of a command that hangs for ever.
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[attr-defined]
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise AgendaError(
                    f"{lock_path}: another planner has been changing this agenda for "
                    f"{LOCK_TIMEOUT_SECONDS:.0f} s; try again when it has finished"
                ) from None
            time.sleep(0.005)
        except OSError as exc:
            raise AgendaError(f"{lock_path}: cannot lock the agenda ({_reason(exc)})") from None


def _read_bytes(path: Path) -> bytes | None:
    try:
        return read_regular(path, MAX_AGENDA_BYTES)
    except NotARegularFile as exc:
        raise AgendaError(f"{path}: {exc}; give an agenda file with --agenda") from None
    except IsADirectoryError:
        raise AgendaError(f"{path}: is a folder, not an agenda file; give a file with --agenda")
    except OSError as exc:
        raise AgendaError(f"{path}: cannot read the agenda ({_reason(exc)}); {LEFT_AS_IS}")


def _parse(path: Path, data: bytes, program_id: str) -> tuple[Agenda, int]:
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise AgendaError(f"{path}: not a planner agenda (not UTF-8 text); {LEFT_AS_IS}") from None
    except RecursionError:
        raise AgendaError(
            f"{path}: not a planner agenda (nested too deeply); {LEFT_AS_IS}"
        ) from None
    except json.JSONDecodeError as exc:
        raise AgendaError(
            f"{path}: not a planner agenda (broken JSON at line {exc.lineno}, column {exc.colno}); "
            f"{LEFT_AS_IS}"
        ) from None
    if not isinstance(raw, dict) or "version" not in raw:
        raise AgendaError(f"{path}: not a planner agenda (no version field); {LEFT_AS_IS}")
    version = raw["version"]
    if type(version) is not int or not (OLDEST_VERSION <= version <= AGENDA_VERSION):
        raise AgendaError(
            f"{path}: agenda format version {version!r}, but this planner reads versions "
            f"{OLDEST_VERSION} to {AGENDA_VERSION}; use the planner that wrote it "
            "(the file was left as it is)"
        )
    try:
        agenda = Agenda.model_validate(_migrate(raw, version))
    except ValidationError as exc:
        from planner.sources import describe_validation_error

        raise AgendaError(
            f"{path}: not a valid agenda ({describe_validation_error(exc)}); {LEFT_AS_IS}"
        ) from None
    if agenda.program_id != program_id:
        raise AgendaError(
            f"{path}: this is the agenda of program {agenda.program_id!r}, not {program_id!r}; "
            "choose another file with --agenda (the file was left as it is)"
        )
    return agenda, version


def _from_v1(raw: dict) -> dict:
    # Version 1 has the same fields minus picked_at, which stays unknown (None).
    return {**raw, "version": 2}


def _from_v2(raw: dict) -> dict:
    # Version 2 has the same fields minus exported: no export has been recorded yet.
    return {**raw, "version": 3}


def _from_v3(raw: dict) -> dict:
    # Version 3 has the same fields minus guid (found again by adopt_ids once the program is
    # known) and cancelled (no cancellation exported yet).
    return {**raw, "version": 4}


MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _from_v1, 2: _from_v2, 3: _from_v3}
OLDEST_VERSION = min(MIGRATIONS)


def _migrate(raw: dict, version: int) -> dict:
    """Bring a parsed file of an older version up to the current shape, step by step."""
    while version < AGENDA_VERSION:
        raw = MIGRATIONS[version](raw)
        version += 1
    return raw


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


# --- what the agenda holds -------------------------------------------------------------


def ancestors(item_id: str, by_id: dict[str, Item]) -> list[str]:
    """Ids of the item's parent, grandparent, ... (nearest first); cycles are cut."""
    chain: list[str] = []
    current = by_id.get(item_id)
    while current is not None and current.parent and current.parent not in chain:
        if current.parent == item_id:
            break
        chain.append(current.parent)
        current = by_id.get(current.parent)
    return chain


def covered_by(program: Program, agenda: Agenda) -> dict[str, str]:
    """Pick id -> the nearest picked ancestor (session, tutorial) that covers it."""
    by_id = program.item_map()
    picked = agenda.pick_ids()
    covering: dict[str, str] = {}
    for pick in agenda.picks:
        for ancestor in ancestors(pick.id, by_id):
            if ancestor in picked:
                covering[pick.id] = ancestor
                break
    return covering


def exported_items(program: Program, agenda: Agenda) -> list[Item]:
    """The picked program items to show or export once each, by start (TBA last)."""
    by_id = program.item_map()
    covered = covered_by(program, agenda)
    items = [by_id[p.id] for p in agenda.picks if p.id in by_id and p.id not in covered]
    return sorted(items, key=sort_key)


def adopt_ids(agenda: Agenda, program: Program) -> Agenda:
    """The agenda with each pick under its item's id in ``program``, and its GUID recorded;
    ``agenda`` itself when nothing changes (the common case costs one lookup per pick).

    A pick stored under an item's GUID (agendas made before short ids) or whose GUID names an
    item now under another id (a refreshed feed that renumbered it) takes the item's id; its
    snapshot, SEQUENCE and export record go with it. A pick found nowhere stays as it is
    (vanished, never dropped). Two picks that turn out to be one item become one pick, with
    the higher SEQUENCE.
    """
    tree = program.tree
    by_id = tree.by_id
    if all(pick.id in by_id and pick.guid == by_id[pick.id].guid for pick in agenda.picks):
        return agenda
    picks: dict[str, Pick] = {}
    for pick in agenda.picks:
        # The GUID names the talk; the id only where the pick has no GUID (or the program none).
        if pick.guid and tree.by_guid:
            item = tree.by_guid.get(pick.guid.lower())
        else:
            item = tree.find(pick.id)
        if item is None:
            picks.setdefault(pick.id, pick)
            continue
        moved = pick.model_copy(update={"id": item.id, "guid": item.guid})
        twin = picks.get(item.id)
        if twin is not None:
            moved = twin if twin.sequence >= moved.sequence else moved
        picks[item.id] = moved
    return agenda.model_copy(update={"picks": list(picks.values())})


def vanished_picks(program: Program, agenda: Agenda) -> list[Pick]:
    by_id = program.item_map()
    return [pick for pick in agenda.picks if pick.id not in by_id]


@dataclass(frozen=True)
class Change:
    """Something about a pick that differs from when it was picked."""

    id: str
    kind: Literal["moved", "room", "renamed", "vanished"]
    message: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "message": self.message}


def changes(program: Program, agenda: Agenda, zone: str | None = None) -> list[Change]:
    """Every change since picking, in agenda time order; a vanished pick is listed, not dropped."""
    zone = zone or program.timezone
    by_id = program.item_map()
    found: list[Change] = []
    for pick in sorted(agenda.picks, key=lambda p: _pick_order(p, by_id)):
        item = by_id.get(pick.id)
        if item is None:
            found.append(Change(pick.id, "vanished", "no longer in the program"))
        else:
            found.extend(changes_of(pick.snapshot, item, zone))
    return found


def changes_of(snapshot: Snapshot, item: Item, zone: str) -> list[Change]:
    found: list[Change] = []
    moved = _moved_message(snapshot, item, zone)
    if moved:
        found.append(Change(item.id, "moved", moved))
    if snapshot.room != item.room:
        found.append(
            Change(
                item.id,
                "room",
                f"room changed from {snapshot.room or 'unknown'} to {item.room or 'unknown'}",
            )
        )
    if snapshot.title != item.title:
        found.append(Change(item.id, "renamed", f"renamed (was {snapshot.title!r})"))
    return found


def _moved_message(snapshot: Snapshot, item: Item, zone: str) -> str | None:
    if snapshot.start == item.start and snapshot.end == item.end:
        return None
    if item.start is None:
        return f"time now to be announced (was {_clock(snapshot.start, zone)})"
    if snapshot.start is None:
        return f"now scheduled at {_clock(item.start, zone, with_day=True)} (was to be announced)"
    if snapshot.start != item.start:
        day_changed = timezones.local_date(snapshot.start, zone) != timezones.local_date(
            item.start, zone
        )
        return (
            f"moved from {_clock(snapshot.start, zone, with_day=day_changed)} "
            f"to {_clock(item.start, zone, with_day=day_changed)}"
        )
    return f"now ends at {_clock(item.end, zone)} (was {_clock(snapshot.end, zone)})"


def _clock(moment: datetime | None, zone: str, *, with_day: bool = False) -> str:
    if moment is None:
        return "to be announced"
    local = timezones.to_zone(moment, zone)
    return f"{local:%a %d %b %H:%M}" if with_day else f"{local:%H:%M}"


def _pick_order(pick: Pick, by_id: dict[str, Item]) -> tuple[bool, datetime | None, str]:
    item = by_id.get(pick.id)
    start = item.start if item is not None else pick.snapshot.start
    return (start is None, start, pick.id)


def sequence_of(pick: Pick, item: Item | None) -> int:
    """The SEQUENCE to export: one more than stored when the item differs from what calendars
    last received, or vanished since (exported as cancelled); ``record_export`` then stores
    it, so it never falls."""
    if item is None:
        return pick.sequence if pick.cancelled else pick.sequence + 1
    if pick.cancelled or not _same(pick.written(), item):
        return pick.sequence + 1
    return pick.sequence


def cancelled_picks(program: Program, agenda: Agenda) -> list[Pick]:
    """The picks whose item vanished and that calendars have seen with a time: an .ics
    export writes them as cancelled (at their last written time) until they are dropped."""
    by_id = program.item_map()
    return [
        pick for pick in agenda.picks if pick.id not in by_id and pick.written().start is not None
    ]


def _same(seen: Snapshot, item: Item) -> bool:
    # Field by field: the same test as Snapshot.of(item) == seen without validating a new
    # Snapshot for each of an export's thousands of picks.
    return (seen.title, seen.start, seen.end, seen.room) == (
        item.title,
        item.start,
        item.end,
        item.room,
    )


def record_export(agenda: Agenda, program: Program) -> EditResult:
    """The agenda after an .ics export (see ``mark_exported``), as a pure function."""
    new = agenda.model_copy(deep=True)
    mark_exported(new, program)
    return EditResult(new, [])


def mark_exported(agenda: Agenda, program: Program) -> None:
    """Record an .ics export in ``agenda`` (in place; the caller holds the lock): each pick
    the file holds whose item changed since calendars last received it keeps the raised
    SEQUENCE and what was written."""
    for pick, item in _changed_since_written(agenda, program):
        pick.sequence += 1
        pick.exported = Snapshot.of(item)
        pick.cancelled = False
    for pick in _newly_cancelled(agenda, program):
        pick.sequence += 1
        pick.cancelled = True


def export_pending(agenda: Agenda, program: Program) -> bool:
    """Whether an .ics export of this agenda raises some SEQUENCE (so must be recorded)."""
    return bool(_changed_since_written(agenda, program) or _newly_cancelled(agenda, program))


def _newly_cancelled(agenda: Agenda, program: Program) -> list[Pick]:
    return [pick for pick in cancelled_picks(program, agenda) if not pick.cancelled]


def _changed_since_written(agenda: Agenda, program: Program) -> list[tuple[Pick, Item]]:
    # Only what the file holds: a talk that became "to be announced" gets no event.
    in_file = {item.id: item for item in exported_items(program, agenda) if item.announced}
    return [
        (pick, in_file[pick.id])
        for pick in agenda.picks
        if pick.id in in_file and (pick.cancelled or not _same(pick.written(), in_file[pick.id]))
    ]


# --- changing the agenda: pure functions returning the new agenda and what happened -----

Action = Literal[
    "added",
    "refreshed",
    "covered",
    "now_covered",
    "dropped",
    "only_covered",
    "not_picked",
    "settings",
]


@dataclass(frozen=True)
class Outcome:
    """What one operation did to one id, with a sentence for the attendee."""

    id: str
    action: Action
    message: str
    covered_by: str | None = None
    tba: bool = False


@dataclass(frozen=True)
class EditResult:
    agenda: Agenda
    outcomes: list[Outcome] = field(default_factory=list)
    note: str | None = None  # e.g. how a wall-clock time was read

    def touched(self) -> set[str]:
        """Ids that were added or refreshed: the ones whose clashes the attendee should see now."""
        return {o.id for o in self.outcomes if o.action in ("added", "refreshed")}


def pick(
    agenda: Agenda,
    program: Program,
    items: Iterable[Item],
    *,
    zone: str | None = None,
    now: datetime | None = None,
) -> EditResult:
    """Pick items: add them, refresh their snapshot if already picked, or say what covers them.

    ``now`` is recorded as each new pick's ``picked_at`` (the caller passes the clock in).
    """
    zone = zone or program.timezone
    new = _copy_for_edit(agenda)
    picks = _PickIndex(new, program)
    outcomes: list[Outcome] = []
    for item in items:
        outcomes.extend(_pick_one(picks, item, zone, now))
    return EditResult(new, outcomes)


class _PickIndex:
    """The picks of one change by id and position, kept up to date as picks are added, so
    that each pick costs the same however many the agenda already holds (was quadratic)."""

    def __init__(self, agenda: Agenda, program: Program) -> None:
        self.agenda = agenda
        self.by_id = program.item_map()
        self.children = program.children_map()
        self.picks = {pick.id: pick for pick in agenda.picks}
        self.position = {pick.id: index for index, pick in enumerate(agenda.picks)}

    def own_copy(self, pick: Pick) -> Pick:
        """The pick, copied into this change before it is changed (the input stays as it was)."""
        copied = pick.model_copy(deep=True)
        self.agenda.picks[self.position[pick.id]] = copied
        self.picks[pick.id] = copied
        return copied

    def add(self, pick: Pick) -> None:
        self.position[pick.id] = len(self.agenda.picks)
        self.agenda.picks.append(pick)
        self.picks[pick.id] = pick

    def picked_ancestor(self, item_id: str) -> str | None:
        return next((a for a in ancestors(item_id, self.by_id) if a in self.picks), None)

    def newly_covered(self, item_id: str) -> list[str]:
        """Picks below ``item_id`` with no pick between: those it now covers, in pick order."""
        return self._picks_below(item_id, through_picks=False)

    def picked_below(self, item_id: str) -> list[str]:
        """Every pick anywhere below ``item_id``, in pick order."""
        return self._picks_below(item_id, through_picks=True)

    def _picks_below(self, item_id: str, *, through_picks: bool) -> list[str]:
        found: list[str] = []
        seen = {item_id}
        below = [child.id for child in self.children.get(item_id, [])]
        while below:
            child = below.pop()
            if child in seen:
                continue
            seen.add(child)
            picked = child in self.picks
            if picked:
                found.append(child)
            if through_picks or not picked:
                below.extend(grandchild.id for grandchild in self.children.get(child, []))
        return sorted(found, key=self.position.__getitem__)


def _copy_for_edit(agenda: Agenda) -> Agenda:
    """A copy whose lists an edit may change; the picks themselves are shared until one is
    changed (_PickIndex.own_copy). A deep copy of 18,000 picks cost more than the edit."""
    return agenda.model_copy(update={"picks": list(agenda.picks), "events": list(agenda.events)})


def _pick_one(picks: _PickIndex, item: Item, zone: str, now: datetime | None) -> list[Outcome]:
    existing = picks.picks.get(item.id)
    if existing is not None:
        return [_refresh(picks.own_copy(existing), item, zone)]
    cover = picks.picked_ancestor(item.id)
    if cover is not None:
        return [
            Outcome(
                item.id,
                "covered",
                f"{item.id} is part of {_kind_and_id(picks.by_id[cover])}, which you picked: "
                "nothing added",
                covered_by=cover,
            )
        ]
    picks.add(Pick(id=item.id, snapshot=Snapshot.of(item), picked_at=now, guid=item.guid))
    outcomes = [_added(item, zone)]
    for other in picks.newly_covered(item.id):
        outcomes.append(
            Outcome(
                other,
                "now_covered",
                f"{other} stays picked and is now covered by {item.id}",
                covered_by=item.id,
            )
        )
    return outcomes


def _added(item: Item, zone: str) -> Outcome:
    if not item.announced:
        return Outcome(
            item.id,
            "added",
            f"added {item.id}: {item.title} (time to be announced: no clash checks or calendar "
            "entry until it has a time)",
            tba=True,
        )
    where = item.room or "room unknown"
    when = f"{_clock(item.start, zone, with_day=True)}-{_clock(item.end, zone)}"
    return Outcome(item.id, "added", f"added {item.id}: {item.title} ({when}, {where})")


def _refresh(existing: Pick, item: Item, zone: str) -> Outcome:
    seen = changes_of(existing.snapshot, item, zone)
    if not seen and not existing.cancelled:
        return Outcome(item.id, "refreshed", f"{item.id} is already picked and up to date")
    if existing.cancelled or not _same(existing.written(), item):  # not raised by an export
        existing.sequence += 1
    existing.snapshot = Snapshot.of(item)
    existing.exported = None
    existing.cancelled = False
    if not seen:
        return Outcome(item.id, "refreshed", f"{item.id} is back in the program; noted it")
    what = "; ".join(change.message for change in seen)
    return Outcome(item.id, "refreshed", f"{item.id} is already picked; noted the change: {what}")


def _kind_and_id(item: Item) -> str:
    return f"{item.kind} {item.id}"


def drop(agenda: Agenda, program: Program, ids: Iterable[str]) -> EditResult:
    """Drop picks and personal events by id (program ids also by unique prefix)."""
    new = _copy_for_edit(agenda)
    picks = _PickIndex(new, program)
    outcomes = [_drop_one(picks, resolve_drop_id(new, program, text, picks)) for text in ids]
    new.picks = [pick for pick in new.picks if pick.id in picks.picks]
    return EditResult(new, outcomes)


def resolve_drop_id(
    agenda: Agenda, program: Program, text: str, picks: _PickIndex | None = None
) -> str:
    """The exact id meant: a pick (also a vanished one), a personal event, or a program item.

    Exact ids first (the agenda's, then the program's); then a prefix unique among the
    agenda's own entries, since drop acts on the agenda; then one unique in the program.
    """
    from planner.errors import NotFoundError
    from planner.query import resolve_id

    picked = picks.picks if picks is not None else {pick.id: pick for pick in agenda.picks}
    if text in picked or text in program.item_map() or agenda.find_event(text) is not None:
        return text
    own = list(picked) + [event.id for event in agenda.events]
    prefixed = [entry for entry in own if entry.lower().startswith(text.lower())]
    if len(prefixed) == 1:
        return prefixed[0]
    if prefixed:
        raise NotFoundError(
            f"id {text!r} is ambiguous in your agenda: it could be {', '.join(sorted(prefixed))}"
        )
    try:
        return resolve_id(program, text).id
    except NotFoundError as exc:
        raise NotFoundError(
            f"{exc}; your personal events: {', '.join(e.id for e in agenda.events) or 'none'}"
        ) from None


def _drop_one(picks: _PickIndex, target: str) -> Outcome:
    agenda, by_id = picks.agenda, picks.by_id
    event = agenda.find_event(target)
    if event is not None:
        agenda.events.remove(event)
        return Outcome(target, "dropped", f"dropped your event {target}: {event.title}")
    existing = picks.picks.pop(target, None)
    if existing is not None:
        return _dropped(picks, existing)
    cover = picks.picked_ancestor(target)
    if cover is not None:
        return Outcome(
            target,
            "only_covered",
            f"{target} is only covered by {_kind_and_id(by_id[cover])}, which you picked: "
            f"nothing changed (drop {cover} to drop it)",
            covered_by=cover,
        )
    return Outcome(target, "not_picked", f"{target} is not in your agenda: nothing changed")


def _dropped(picks: _PickIndex, dropped_pick: Pick) -> Outcome:
    by_id = picks.by_id
    item = by_id.get(dropped_pick.id)
    title = item.title if item is not None else dropped_pick.snapshot.title
    message = f"dropped {dropped_pick.id}: {title}"
    cover = picks.picked_ancestor(dropped_pick.id)
    if cover is not None:
        message += f" (it stays in your agenda as part of {_kind_and_id(by_id[cover])})"
    kept = picks.picked_below(dropped_pick.id)
    if kept:
        message += f"; its talks you picked stay: {', '.join(kept)}"
    return Outcome(dropped_pick.id, "dropped", message, covered_by=cover)


def add_event(
    agenda: Agenda,
    program: Program,
    title: str,
    start: datetime,
    end: datetime,
    location: str | None = None,
    *,
    zone: str | None = None,
) -> EditResult:
    """Add a personal event with a fresh ``my-<slug>`` id."""
    title = _one_line(title)
    if not title:
        raise PlannerError("a personal event needs a title, e.g. planner add 'Lunch with Bob' ...")
    if start.tzinfo is None or end.tzinfo is None:
        raise PlannerError("personal event times must carry a timezone")  # a bug in the caller
    if end <= start:
        raise PlannerError(
            f"the event ends ({end.isoformat()}) before or when it starts ({start.isoformat()}); "
            "give an --end after --start"
        )
    new = agenda.model_copy(deep=True)
    event_id = new_event_id(title, new, program)
    location = _one_line(location or "") or None
    new.events.append(
        PersonalEvent(id=event_id, title=title, start=start, end=end, location=location)
    )
    zone = zone or program.timezone
    when = f"{_clock(start, zone, with_day=True)}-{_clock(end, zone)}"
    where = f", {location}" if location else ""
    return EditResult(
        new, [Outcome(event_id, "added", f"added your event {event_id}: {title} ({when}{where})")]
    )


def _one_line(text: str) -> str:
    """What the attendee typed, safe to print: no terminal escapes, no line breaks."""
    from planner.sources.control_characters import without_controls

    return " ".join(without_controls(text).split())


def new_event_id(title: str, agenda: Agenda, program: Program) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:40].strip("-") or "event"
    taken = agenda.pick_ids() | {e.id for e in agenda.events} | set(program.item_map())
    candidate = f"{EVENT_PREFIX}{slug}"
    number = 2
    while candidate in taken:
        candidate = f"{EVENT_PREFIX}{slug}-{number}"
        number += 1
    return candidate


UNSET = object()


def change_settings(
    agenda: Agenda, *, walk_minutes: object = UNSET, alarm_minutes: object = UNSET
) -> EditResult:
    """Set walking minutes and/or the default alarm (None clears the alarm)."""
    new = agenda.model_copy(deep=True)
    values = new.settings.model_dump()
    if walk_minutes is not UNSET:
        values["walk_minutes"] = walk_minutes
    if alarm_minutes is not UNSET:
        values["alarm_minutes"] = alarm_minutes
    try:
        new.settings = Settings.model_validate(values)
    except ValidationError as exc:
        from planner.sources import describe_validation_error

        raise PlannerError(f"invalid setting: {describe_validation_error(exc)}") from None
    outcome = Outcome(
        "settings", "settings", "settings saved" if new != agenda else "settings unchanged"
    )
    return EditResult(new, [outcome])
