"""What a face chose for its work (the program and how to read it, the agenda file, the
display zone, the clock, the caches): the program is loaded once, on first use, and the
display zone is checked once. The command line makes one per command; a web app can keep one.

Light on purpose (no dataclasses, no pydantic at import): the command line imports it before
knowing which command runs.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.current import ProgramSource
    from planner.model import Program
    from planner.remote import Loading

DEFAULT_PROGRAM = "mlsys2022"
DEFAULT_MAX_AGE = 15  # minutes a fetched program is used before the server is asked again


class Session:
    """The program source and options, the agenda file and the display zone of one face.

    ``program_source`` None means the program chosen with `planner use`, else the bundled
    one. ``say`` receives the lines a load has for the attendee (an offline copy's age).
    """

    # The face sets it when the process runs one command and ends: what it loads may then be
    # frozen out of the cycle collector (a test runner calling the CLI in-process must not be).
    one_command_process = False

    def __init__(
        self,
        program_source: str | None = None,
        program_format: str | None = None,
        program_tz: str | None = None,
        agenda_option: Path | None = None,
        display_tz: str | None = None,
        max_age: int = DEFAULT_MAX_AGE,
        *,
        config_dir: Path,
        pinned_now: str | None = None,
        say: Callable[[str], None] | None = None,
        day_change: time | None = None,
    ) -> None:
        self.day_change = day_change  # --day-change: wins over the program's own days
        self.program_source = program_source
        self.program_format = program_format
        self.program_tz = program_tz
        self.agenda_option = agenda_option
        self.display_tz = display_tz
        self.max_age = max_age
        self.force_fetch = False  # `planner refresh` asks the server whatever the copy's age
        self.config_dir = config_dir
        self.pinned_now = pinned_now
        self.say = say or (lambda line: None)
        self._program: Program | None = None
        self._zone: str | None = None
        self._loading: Loading | None = None

    @property
    def program(self) -> Program:
        if self._program is None and not self.one_command_process:
            self._program = self._load()
        elif self._program is None:
            # The program lives as long as this process: frozen, its objects are left out of
            # every later cycle collection, which otherwise walks all of them again and again
            # (a third of a 20,000-item browse). Frozen before the collector is back on, so
            # not even one collection walks them.
            was_enabled = gc.isenabled()
            gc.disable()
            try:
                self._program = self._load()
            finally:
                gc.freeze()
                if was_enabled:
                    gc.enable()
        return self._program

    def _load(self) -> Program:
        from planner.days import with_day_change
        from planner.sources import load

        chosen = self.chosen_source()
        try:
            program = load(
                chosen.source,
                fmt=chosen.program_format,
                zone=chosen.program_tz,
                today=self.now().date(),
                loading=self.loading,
            )
            return with_day_change(program, self.day_change)
        finally:
            self.tell_warnings()

    def tell_warnings(self) -> None:
        """Pass on what the last load had to say (an offline copy, a broken update), once."""
        for line in self.loading.warnings:
            self.say(line)
        self.loading.warnings.clear()

    def chosen_source(self) -> ProgramSource:
        """The source given now, else the program chosen with `planner use`, else the bundled
        default; a zone or format given now wins over the remembered one."""
        from planner.current import ProgramSource, read

        if self.program_source is not None:
            return ProgramSource(self.program_source, self.program_tz, self.program_format)
        remembered = read(self.config_dir).current_source()
        if remembered is None:
            return ProgramSource(DEFAULT_PROGRAM, self.program_tz, self.program_format)
        return ProgramSource(
            remembered.source,
            self.program_tz or remembered.program_tz,
            self.program_format or remembered.program_format,
        )

    @property
    def loading(self) -> Loading:
        """The caches every load goes through (URL copies, parsed programs)."""
        if self._loading is None:
            from planner.remote import Loading

            self._loading = Loading(
                user_cache_dir(), self.now(), max_age_minutes=self.max_age, force=self.force_fetch
            )
        return self._loading

    @property
    def zone(self) -> str:
        """The display zone: ``display_tz``, else the program's own (checked once)."""
        if self._zone is None:
            from planner.actions import display_zone

            self._zone = display_zone(self.program, self.display_tz)
        return self._zone

    def now(self) -> datetime:
        """The current instant, or the one ``pinned_now`` names (PLANNER_NOW)."""
        from planner.actions import current_time

        return current_time(self.pinned_now)

    @property
    def agenda_folder(self) -> Path:
        return self.config_dir / "agendas"

    @property
    def agenda_path(self) -> Path:
        """The agenda file: the one asked for, else ``<agenda folder>/<program id>.json``.

        That default is where the agenda is written, even for a program that went by another
        id before: while it does not exist, the store reads ``<former id>.json`` beside it
        (``agenda.store.stored_file``) and the next change writes this file, keeping that
        one. A path that stays the same before and after the move gives every writer one
        lock, and lets ``planner serve`` keep one path for its whole run."""
        if self.agenda_option is not None:
            return self.agenda_option
        return self.agenda_folder / f"{self.program.id}.json"


def user_cache_dir() -> Path:
    """planner's folder in the user cache directory (what ``platformdirs.user_cache_dir`` gives,
    without the dependency): only copies and parses live there, safe to delete at any time."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "planner"
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "planner" / "Cache"
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if Path(base).is_absolute() else Path.home() / ".cache") / "planner"
