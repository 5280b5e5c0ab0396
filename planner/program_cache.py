"""The parsed-program cache: a second command on an unchanged program skips the parser.

A parsed Program is kept as a pickle in ``<cache dir>/parsed/``, named by the SHA-256 of
everything the parse depends on: the source bytes, planner's version and the model's fields,
the forced format, --program-tz, the label and file stem (the last-resort id) and today's
date (for formats that leave the year out). Unpickling rebuilds the validated models without validating them
again, which is what makes a repeat command cost about a ``json.load`` of the file.

Pickle runs code of whoever wrote the file, so an entry is read only when it is a regular
file owned by this user that nobody else may write, in a folder only this user may write.
Two processes writing at once each replace the entry atomically (they write the same
bytes); an entry that does not read, for any reason, is ignored and parsed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.model import Program
    from planner.sources import SourceContext

# Enough for a few programs and their recent updates; older entries are removed.
KEEP_ENTRIES = 12


def cache_key(data: bytes, context: SourceContext, fmt: str | None, zone: str | None) -> str:
    from planner import __version__
    from planner.model import FORMAT_VERSION
    from planner.sources.common import ID_RULES

    # The model's version too: a pickle of an older model lacks the newer fields.
    digest = hashlib.sha256(data)
    for part in (
        __version__,
        FORMAT_VERSION,
        ID_RULES,
        _model_shape(),
        fmt,
        zone,
        context.label,
        context.stem,
        context.today,
    ):
        digest.update(b"\0" + str(part).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _model_shape() -> str:
    """The model's field names: an entry pickled before a field was added (between two
    releases of one version, as in development) would unpickle into items without it."""
    from planner.model import Item, PersonalEvent, Program, Room, WalkTime

    return ";".join(
        ",".join(model.model_fields) for model in (Program, Item, Room, WalkTime, PersonalEvent)
    )


def cached_parse(
    data: bytes,
    context: SourceContext,
    folder: Path,
    parse: Callable[[], Program],
    *,
    fmt: str | None = None,
    zone: str | None = None,
) -> Program:
    """The program ``parse()`` would return, from the cache when an entry for these bytes exists."""
    entry = Path(folder) / "parsed" / f"{cache_key(data, context, fmt, zone)}.pickle"
    found = _read(entry)
    if found is not None:
        return found
    program = parse()  # errors are never cached: a bad file is reported each time
    _write(entry, program)
    return program


def _read(entry: Path) -> Program | None:
    from planner.model import Program
    from planner.sources.common import collector_paused

    try:
        with entry.open("rb") as handle:
            if not _private(os.fstat(handle.fileno())) or not _private(entry.parent.stat()):
                return None
            with collector_paused():
                found = pickle.load(handle)
    except Exception:  # any unreadable entry (truncated, another version's classes) is ignored
        return None
    return found if isinstance(found, Program) else None


def _private(info: os.stat_result) -> bool:
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _write(entry: Path, program: Program) -> None:
    from planner.errors import PlannerError
    from planner.files import write_atomic

    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = pickle.dumps(program, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(entry, data)
        os.chmod(entry, 0o600)
    except (PlannerError, OSError, pickle.PicklingError, RecursionError):
        return  # the cache only saves time: a command never fails because of it
    _prune(entry.parent)


def _prune(folder: Path) -> None:
    with contextlib.suppress(OSError):
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP_ENTRIES:]:
            with contextlib.suppress(OSError):
                old.unlink()
