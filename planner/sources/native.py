"""planner's own JSON program format (documented in README.md)."""

from __future__ import annotations

from planner.errors import ProgramError
from planner.model import Program
from planner.sources.base import JSON_KEY, SourceContext


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
    return {b"program_id", b"picks"} <= set(JSON_KEY.findall(data[:65536]))
