"""planner's own JSON program format (documented in README.md)."""

from __future__ import annotations

import re

from planner.errors import ProgramError
from planner.model import Program
from planner.sources import SourceContext

_AGENDA_KEYS = re.compile(rb'"(program_id|picks)"\s*:')


def parse(data: bytes, context: SourceContext) -> Program:
    from pydantic import ValidationError

    try:
        program = Program.model_validate_json(data)
    except ValidationError:
        if _looks_like_an_agenda(data):
            raise ProgramError(
                "this is a planner agenda, not a program; give it with --agenda, and the "
                "program it belongs to with --program"
            ) from None
        raise
    if context.zone is not None and context.zone != program.timezone:
        program.notes.append(
            f"shown in {context.zone} as --program-tz asked (file says {program.timezone})"
        )
        program.timezone = context.zone
    program.notes.extend(context.notes)
    return program


def _looks_like_an_agenda(data: bytes) -> bool:
    return {match.group(1) for match in _AGENDA_KEYS.finditer(data[:65536])} == {
        b"program_id",
        b"picks",
    }
