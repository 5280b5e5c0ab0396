"""What every format module is given and declares: the context of a read, and a format entry.

A parser imports this module, never the package: ``planner.sources`` imports the registry,
and a parser importing back from it would be a cycle hidden by import order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.model import Program

# A JSON object key as the sniffers (and native's agenda check) see it, without parsing.
JSON_KEY = re.compile(rb'"([A-Za-z_]+)"\s*:')
SNIFF_BYTES = 8192  # how much of a file the sniffers read (frab looks further for <schedule>)


@dataclass
class SourceContext:
    """What a parser knows besides the bytes."""

    label: str  # how to name the source in messages: a path or "bundled program X"
    stem: str  # file name without suffix: the last-resort program id
    zone: str | None = None  # --program-tz: the zone of a file that gives none (or overrides)
    notes: list[str] = field(default_factory=list)  # what reading the bytes had to assume
    # Today's date, for formats that leave out the year; the CLI passes it so parsers stay pure.
    today: date | None = None


class Sample:
    """The start of a file as every sniffer sees it: read once, keys found once."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.head = data[:SNIFF_BYTES].lstrip()

    @property
    def markup(self) -> bool:
        return self.head.startswith(b"<")

    @property
    def json(self) -> bool:
        return self.head.startswith((b"{", b"["))

    @cached_property
    def json_keys(self) -> frozenset[bytes]:
        return frozenset(JSON_KEY.findall(self.head))

    @cached_property
    def first_line(self) -> bytes:
        return self.head.split(b"\n", 1)[0]


Parse = Callable[[bytes, SourceContext], "Program"]


@dataclass(frozen=True)
class SourceFormat:
    """One program format: its name (for --program-format), how to recognise it, its parser.

    ``parser`` imports the format's module and returns its ``parse``: only the format a file
    is in gets imported (importing all seven costs 25-40 ms on every load).
    """

    name: str
    sniff: Callable[[Sample], bool]
    parser: Callable[[], Parse]
    about: str  # one line for the reader of the registry
