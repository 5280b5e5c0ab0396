"""The agenda file: read, validate, migrate, lock, keep backups, write atomically.

This is the one module that writes the agenda file. Reading never needs the lock
(writes replace the file atomically, so a reader sees the old or the new agenda);
every change goes lock -> read -> change -> atomic write -> unlock.

The lock is ``fcntl.flock`` on ``<agenda name>.lock`` beside the agenda: the standard
library does the job on the POSIX systems planner runs on, so a dependency such as
``filelock`` would add nothing but an install. The lock file is never deleted,
because deleting a lock file lets two writers lock two different files.

Versions: 1 had no ``picked_at``; 2 records when each pick was made; 3 records what the
last export wrote for a changed item (``exported``), so that SEQUENCE never falls; 4 marks
backups (``maybe``: `planner pick ID --maybe`) and records each pick's ``guid`` (what its
calendar UID is made of, now that frab and c3voc items show short ids) and whether the last
export wrote a vanished pick as cancelled; within version 4, ``exported_maybe`` (optional,
written only while set, so older version 4 files and planners are unaffected) records a
switch between backup and firm that no export has carried yet. An older file is
read as it is and rewritten in the current version on the next save, after its exact
bytes were kept as ``<name>.v<old>.bak`` beside it. A newer or unknown version is
never touched.

Former ids: a program may have gone by another id (``Program.former_ids``: an .ics calendar
once named by its file). Its agenda, with that id as ``program_id``, is read as this
program's. While ``<id>.json`` does not exist, the agenda is read from ``<former id>.json``
beside it; the next change writes ``<id>.json`` (atomically, under ``<id>.json``'s lock, as
every change) and leaves the former file as it was, as the backup. Writing there and not
back into the former file keeps one lock for every writer, before and after the move.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from glob import escape as glob_escape
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError

from planner.agenda.contents import adopt_ids
from planner.agenda.models import AGENDA_VERSION, Agenda
from planner.errors import AgendaError, PlannerError
from planner.files import NotARegularFile, link_target, read_regular, write_atomic

if TYPE_CHECKING:
    from planner.agenda.edits import EditResult
    from planner.model import Program

LOCK_TIMEOUT_SECONDS = 15.0
# One person's agenda is a few hundred KB even with every talk of a big program picked.
MAX_AGENDA_BYTES = 64 * 1024 * 1024
LEFT_AS_IS = "the file was left as it is; repair it or move it away to start a new agenda"


# --- reading and writing -------------------------------------------------------------


def read_agenda(path: Path, program: Program | str) -> Agenda:
    """The agenda at ``path`` (empty when the file does not exist yet); no lock needed.

    ``program`` is the program (or only its id): given the program, picks stored under
    another id of an item (a GUID, from before short ids) are read under its id now
    (``contents.adopt_ids``); the next save writes them so, keeping the old file as a backup.
    """
    return _read_stored(Path(path), program).agenda


@dataclass(frozen=True)
class _Stored:
    """The agenda as read, with what a save needs to keep an older version's backup."""

    agenda: Agenda
    data: bytes | None  # the file's exact bytes; None when there is no file yet
    version: int
    ids_adopted: bool = False  # picks were read under other ids (adopt_ids): keep a backup
    renamed: bool = False  # its program_id was a former id of the program: keep a backup
    moved: bool = False  # read from a former id's file: the next save writes the new one

    @property
    def rewritten(self) -> bool:
        """Whether what was read differs from the file: then even an edit that changes
        nothing writes it, so that the file says what planner reads."""
        return self.ids_adopted or self.renamed or self.moved


def stored_file(path: Path, program: Program | str) -> Path:
    """The file the agenda at ``path`` is read from: ``path`` itself; or, while no file is
    there, the one the program's agenda was kept in under a former id (``<former id>.json``
    beside a path named ``<id>.json``, as the default path is; an explicit other name has
    no former file)."""
    former_ids = () if isinstance(program, str) else program.former_ids
    if not former_ids or path.name != f"{_program_id_of(program)}.json" or _is_there(path):
        return path
    for former in former_ids:
        candidate = path.with_name(f"{former}.json")
        if _is_there(candidate):
            return candidate
    return path


def _program_id_of(program: Program | str) -> str:
    return program if isinstance(program, str) else program.id


def _is_there(path: Path) -> bool:
    return path.exists() or path.is_symlink()  # a dangling link is there: reading says so


def _read_stored(path: Path, program: Program | str) -> _Stored:
    program_id = _program_id_of(program)
    source = stored_file(path, program)
    data = _read_bytes(source)
    if data is None:
        return _Stored(Agenda(program_id=program_id), None, AGENDA_VERSION)
    former_ids = () if isinstance(program, str) else tuple(program.former_ids)
    agenda, version = _parse(source, data, program_id, former_ids)
    renamed = agenda.program_id != program_id
    if renamed:
        agenda = agenda.model_copy(update={"program_id": program_id})
    moved = source != path
    if not isinstance(program, str):
        adopted = adopt_ids(agenda, program)
        if adopted is not agenda:
            return _Stored(adopted, data, version, ids_adopted=True, renamed=renamed, moved=moved)
    return _Stored(agenda, data, version, renamed=renamed, moved=moved)


def _save(path: Path, agenda: Agenda, stored: _Stored) -> None:
    """Write under the lock: first the backup of an older version, then the agenda. An
    agenda read from a former id's file keeps that file untouched as its backup."""
    if (
        stored.data is not None
        and not stored.moved
        and (stored.version < AGENDA_VERSION or stored.rewritten)
    ):
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
        if agenda != stored.agenda or stored.rewritten:
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
        # Picks read under their new ids (or from a former id's file) are written so even by
        # an edit that changed nothing.
        if result.agenda != stored.agenda or stored.rewritten:
            _save(path, result.agenda, stored)
    return result


def write_agenda(path: Path, agenda: Agenda) -> None:
    """Replace the file atomically; callers hold the lock (edit_agenda, update_agenda)."""
    data = (agenda.model_dump_json(indent=2, exclude=_unset_optional(agenda)) + "\n").encode()
    try:
        write_atomic(link_target(Path(path)), data)
    except PlannerError as exc:
        raise AgendaError(str(exc)) from None


def _unset_optional(agenda: Agenda) -> dict | None:
    # ``exported_maybe`` is written only while some pick has it, so that a file with no
    # unexported switch stays one that planners from before the field can read.
    if any(pick.exported_maybe is not None for pick in agenda.picks):
        return None
    return {"picks": {"__all__": {"exported_maybe"}}}


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


def _parse(
    path: Path, data: bytes, program_id: str, former_ids: tuple[str, ...] = ()
) -> tuple[Agenda, int]:
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
    if agenda.program_id != program_id and agenda.program_id not in former_ids:
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
    # Version 3 has the same fields minus maybe (every pick was firm), guid (found again by
    # adopt_ids once the program is known) and cancelled (no cancellation exported yet).
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
