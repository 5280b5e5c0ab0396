"""The program a command uses when no --program is given: the one chosen with `planner use`.

Kept in ``<config dir>/programs.json``: the current program's id, and for each program ever
used its source (an absolute path, a URL or a bundled name) with the --program-tz and
--program-format it needed, so that ``planner use 36c3`` goes back to it by id. The file is
replaced atomically; one that does not read is an error that says how to start afresh.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from planner.errors import PlannerError

FILE_NAME = "programs.json"


@dataclass(frozen=True)
class ProgramSource:
    """Where a program comes from and how to read it."""

    source: str
    program_tz: str | None = None
    program_format: str | None = None

    @property
    def is_url(self) -> bool:
        return self.source[:8].lower().startswith(("http://", "https://"))


@dataclass
class Remembered:
    current: str | None  # the current program's id; None: the bundled default
    known: dict[str, ProgramSource]

    def current_source(self) -> ProgramSource | None:
        return self.known.get(self.current) if self.current else None


def normalised(source: str) -> str:
    """A file as an absolute path (a later command may run elsewhere); URLs and names as given."""
    if source[:8].lower().startswith(("http://", "https://")):
        return source
    path = Path(source).expanduser()
    if path.exists() or "/" in source or "\\" in source or path.suffix:
        return str(path.resolve())
    return source


def shown(source: str | Path) -> str:
    """A source or agenda path as `use` and `programs` print it: a path under the home folder
    as ``~/...`` (shorter, and the same on every machine), anything else as it is."""
    text = str(source)
    if text[:8].lower().startswith(("http://", "https://")) or not Path(text).is_absolute():
        return text
    try:
        return str(Path("~") / Path(text).relative_to(Path.home()))
    except (ValueError, RuntimeError):  # not under home, or no home known
        return text


def summary_of(path: Path) -> AgendaSummary | None:
    """The agenda at ``path`` in brief; None when there is none or it does not read."""
    try:
        raw = json.loads(Path(path).read_bytes())
        return AgendaSummary(
            str(raw["program_id"]), Path(path), len(raw["picks"]), len(raw.get("events", []))
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read(config_dir: Path) -> Remembered:
    path = Path(config_dir) / FILE_NAME
    try:
        raw = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return Remembered(None, {})
    except (OSError, ValueError) as exc:
        raise PlannerError(_unreadable(path, exc)) from None
    try:
        known = {
            ident: ProgramSource(
                entry["source"], entry.get("program_tz"), entry.get("program_format")
            )
            for ident, entry in raw["known"].items()
        }
        current = raw.get("current")
    except (KeyError, TypeError, AttributeError) as exc:
        raise PlannerError(_unreadable(path, exc)) from None
    return Remembered(current if current in known else None, known)


def _unreadable(path: Path, exc: Exception) -> str:
    return (
        f"{path}: cannot read which program is current ({exc}); "
        "run `planner use SOURCE` to choose one again (or delete the file)"
    )


def remember(config_dir: Path, program_id: str, source: ProgramSource | None) -> Remembered:
    """Make ``program_id`` current (``source`` None: the bundled default) and save it."""
    from planner.files import write_atomic

    state = read(config_dir)
    if source is None:
        state.current = None
    else:
        state.known[program_id] = source
        state.current = program_id
    data = {
        "current": state.current,
        "known": {ident: asdict(entry) for ident, entry in sorted(state.known.items())},
    }
    write_atomic(Path(config_dir) / FILE_NAME, (json.dumps(data, indent=2) + "\n").encode())
    return state


@dataclass(frozen=True)
class AgendaSummary:
    program_id: str
    path: Path
    picks: int
    events: int


def agendas(folder: Path) -> list[AgendaSummary]:
    """The agendas in ``folder`` (the default agenda folder), by program id; unreadable ones are
    skipped here (the command that uses one says what is wrong with it)."""
    found = (summary_of(path) for path in sorted(Path(folder).glob("*.json")))
    return [summary for summary in found if summary is not None]
