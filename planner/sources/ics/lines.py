"""An iCalendar file's bytes as content lines: unfolded, then decoded (RFC 5545 section 3.1).

A fold (a line end followed by one space or tab) may fall inside a multi-byte UTF-8
character, as real feeds write it ("d\\xe2" CRLF SPACE "\\x80\\x99"): the lines are unfolded
as bytes and only then decoded. Line ends may be CRLF, LF, CR, or CR CR LF (a CRLF file
converted once more). Each content line keeps the number of the file line it starts on,
so that messages name lines as an editor shows them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from planner.sources.base import SourceContext
from planner.sources.encoding import decode

# CR CR LF first: read as CR then CRLF it would count two lines.
_LINE_END = re.compile(rb"\r*\n|\r")
_FOLD_MARKS = (32, 9)  # space, tab


@dataclass
class ContentLines:
    """The unfolded lines and, for each, the file line (from 1) where it starts."""

    lines: list[str]
    first_lines: list[int]


def read(data: bytes, context: SourceContext) -> ContentLines:
    physical = _LINE_END.split(data)
    logical, first_lines = _unfold(physical)
    unfolded = b"\n".join(logical)
    locator = _Locator(data, physical, logical, first_lines, context.skipped)
    text = decode(unfolded, context, locator)
    return ContentLines(text.split("\n"), first_lines)


def _unfold(physical: list[bytes]) -> tuple[list[bytes], list[int]]:
    logical: list[bytes] = []
    first_lines: list[int] = []
    pieces: list[bytes] = []  # of the content line being read: joined once, never appended to
    for number, line in enumerate(physical, start=1):
        if pieces and line and line[0] in _FOLD_MARKS:
            pieces.append(line[1:])
            continue
        if pieces:
            logical.append(pieces[0] if len(pieces) == 1 else b"".join(pieces))
        pieces = [line]
        first_lines.append(number)
    if pieces:
        logical.append(pieces[0] if len(pieces) == 1 else b"".join(pieces))
    return logical, first_lines


class _Locator:
    """Where a byte of the unfolded text is in the file: its offset there, and its line.

    Worked out only for a message, by walking the file once.
    """

    def __init__(
        self,
        data: bytes,
        physical: list[bytes],
        logical: list[bytes],
        first_lines: list[int],
        skipped: int,
    ) -> None:
        self._data, self._physical = data, physical
        self._logical, self._first_lines = logical, first_lines
        self._skipped = skipped  # a byte-order mark before ``data``

    def __call__(self, position: int) -> str:
        line, column = self._file_line_and_column(position)
        offset = self._skipped + self._line_start(line) + column
        return f"{offset}, line {line}"

    def _file_line_and_column(self, position: int) -> tuple[int, int]:
        starts = [0]
        for content in self._logical:
            starts.append(starts[-1] + len(content) + 1)
        index = bisect_right(starts, position) - 1
        column = position - starts[index]
        first = line = self._first_lines[index]
        # Walk the folded pieces of this content line: each after the first lost its mark.
        held = len(self._physical[line - 1])
        while column >= held:
            column -= held
            line += 1
            held = len(self._physical[line - 1]) - 1
        if line != first:
            column += 1  # past the space or tab that marks the fold
        return line, column

    def _line_start(self, line: int) -> int:
        offset = 0
        for number, match in enumerate(_LINE_END.finditer(self._data), start=2):
            if number > line:
                break
            offset = match.end()
        return offset
