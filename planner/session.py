"""What a face chose for its work (the program and how to read it, the agenda file, the
display zone, the clock): the program is loaded once, on first use, and the display zone is
checked once. The command line makes one per command; a web app can keep one.

Light on purpose (no dataclasses, no pydantic at import): the command line imports it before
knowing which command runs.
"""

from __future__ import annotations

import gc
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.model import Program

DEFAULT_PROGRAM = "mlsys2022"


class Session:
    """The program source and options, the agenda file and the display zone of one face."""

    # The face sets it when the process runs one command and ends: what it loads may then be
    # frozen out of the cycle collector (a test runner calling the CLI in-process must not be).
    one_command_process = False

    def __init__(
        self,
        program_source: str = DEFAULT_PROGRAM,
        program_format: str | None = None,
        program_tz: str | None = None,
        agenda_option: Path | None = None,
        display_tz: str | None = None,
        *,
        agenda_folder: Path,
        pinned_now: str | None = None,
    ) -> None:
        self.program_source = program_source
        self.program_format = program_format
        self.program_tz = program_tz
        self.agenda_option = agenda_option
        self.display_tz = display_tz
        self.agenda_folder = agenda_folder
        self.pinned_now = pinned_now
        self._program: Program | None = None
        self._zone: str | None = None

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
        from planner.sources import load

        return load(
            self.program_source,
            fmt=self.program_format,
            zone=self.program_tz,
            today=self.now().date(),
        )

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
    def agenda_path(self) -> Path:
        """The agenda file: the one asked for, else ``<agenda folder>/<program id>.json``."""
        if self.agenda_option is not None:
            return self.agenda_option
        return self.agenda_folder / f"{self.program.id}.json"
