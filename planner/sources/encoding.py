"""The one rule for text that is not UTF-8: a Latin-1 file is read as such and noted, a file
that is neither is refused with the position of its first bad byte.

Shared by the generic reading of a file (planner.sources) and by formats that must do
something to the bytes before decoding them (iCalendar unfolds its lines first).
"""

from __future__ import annotations

from collections.abc import Callable

from planner.errors import ProgramError
from planner.sources.base import SourceContext

BINARY_PROBE = 4096  # a NUL byte this early means a binary file, not text in some encoding


def decode(data: bytes, context: SourceContext, locate: Callable[[int], str] | None = None) -> str:
    """``data`` as text: UTF-8, else Latin-1 (noted) when it holds no C1 control bytes.

    ``locate`` turns the offset of the first bad byte in ``data`` into how the message names
    it ("101940, line 1204" when ``data`` is not the file's bytes as written); without it,
    the offset in the file.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    if b"\x00" in data[:BINARY_PROBE]:
        raise ProgramError(f"{context.label}: binary data, not a program file")
    where = locate(bad) if locate is not None else str(bad + context.skipped)
    text = data.decode("latin-1")
    if any("\x80" <= ch <= "\x9f" for ch in text):
        raise ProgramError(f"{context.label}: not UTF-8 (byte {where}); save the file as UTF-8")
    context.notes.append(f"file is not UTF-8 (first bad byte at {where}); read it as Latin-1")
    return text
