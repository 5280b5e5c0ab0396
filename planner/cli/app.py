"""The command line's session and its ways of speaking: the App object every command gets,
stdout and stderr, the exit codes, and what the terminal can show."""

from __future__ import annotations

import os
import sys
from datetime import time
from pathlib import Path
from typing import Any

import click

from planner.session import Session

EXIT_FINDINGS = 1
EXIT_ERROR = 2


def emit(text: str) -> None:
    click.echo(text)


def warn(text: str) -> None:
    click.echo(text, err=True)


class App(Session):
    """The session of one command: the global options, click's app dir (agendas, the current
    program), PLANNER_NOW (which pins the clock for tests and examples), warnings to stderr."""

    def __init__(self, *options: Any, day_change: time | None = None) -> None:
        super().__init__(
            *options,
            day_change=day_change,
            config_dir=Path(click.get_app_dir("planner")),
            pinned_now=os.environ.get("PLANNER_NOW"),
            say=warn,
        )


pass_app = click.make_pass_decorator(App, ensure=True)


def listing_width() -> int | None:
    """The terminal's width for a listing to fit (COLUMNS first, as shutil reads it); None
    when the output goes to a pipe or a file, where a cut title would be lost to grep."""
    import shutil

    if not os.environ.get("COLUMNS", "").strip().isdigit() and not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def use_color() -> bool:
    # NO_COLOR (https://no-color.org): any non-empty value turns colours off.
    stream = sys.stdout
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
