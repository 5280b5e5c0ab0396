"""planner's own JSON program format (documented in README.md)."""

from __future__ import annotations

from planner.model import Program
from planner.sources import SourceContext


def parse(data: bytes, context: SourceContext) -> Program:
    program = Program.model_validate_json(data)
    if context.zone is not None and context.zone != program.timezone:
        program.notes.append(
            f"shown in {context.zone} as --program-tz asked (file says {program.timezone})"
        )
        program.timezone = context.zone
    program.notes.extend(context.notes)
    return program
