"""The terminal day view of `planner agenda`: layout, widths, and colours only on a terminal."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner import agenda, dayview
from planner.agenda import Agenda, agenda_clashes, changes, read_agenda
from planner.cli import cli
from planner.model import Program
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"
OVERLAPPING = FIXTURES / "overlapping_talks.json"
MOVED = FIXTURES / "moved_after_pick.json"
REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def overlapping_agenda() -> tuple[Program, Agenda]:
    program = load(str(OVERLAPPING))
    by_id = program.item_map()
    ids = ["session-talk-2", "partial-a", "partial-b", "session", "tba-talk"]
    current = agenda.pick(Agenda(program_id=program.id), program, [by_id[i] for i in ids]).agenda
    lunch = datetime.fromisoformat("2024-05-14T12:30:00+02:00")
    current = agenda.add_event(
        current, program, "Lunch", lunch, lunch.replace(hour=13, minute=30), "Canteen"
    ).agenda
    return program, current


def render(program: Program, current: Agenda, width: int = 100, color: bool = False) -> str:
    zone = program.timezone
    view = dayview.build_day_view(
        program, current, agenda_clashes(program, current), changes(program, current), zone
    )
    return dayview.render_day_view(view, width=width, color=color)


def test_the_day_view_shows_gutter_rooms_gaps_clashes_covered_and_tba() -> None:
    assert render(*overlapping_agenda()) == "\n".join(
        [
            "Overlapping talks: your agenda",
            "",
            "Tuesday 14 May 2024 (times in Europe/Berlin, UTC+02:00)",
            "09:00-10:00    Room A   Partial A                     partial-a",
            "               ! clashes with partial-b: 20 min overlap",
            "09:40-10:30    Room B   Partial B                     partial-b",
            "               ! clashes with partial-a: 20 min overlap",
            "      ·        free 10:30-12:30 (2 h 00 min)",
            "12:30-13:30    Canteen  Lunch                         my-lunch",
            "      ·        free 13:30-14:00 (30 min)",
            "14:00-15:30    Room A   Afternoon session             session",
            "14:45-15:30    Room A   ↳ Session talk two            session-talk-2",
            "                   covered by session",
            "",
            "Time to be announced",
            "time TBA       -        Talk, time to be announced    tba-talk",
            "",
            "! 1 clash; `planner clashes` lists them",
        ]
    )


def test_the_day_view_shows_changes_since_picking_and_keeps_vanished_picks() -> None:
    program = load(str(MOVED))
    current = read_agenda(FIXTURES / "moved_after_pick.agenda.json", program.id)
    text = render(program, current, width=80)
    assert "               * since you picked: moved from 10:03 to 09:21" in text
    assert "               * since you picked: room changed from Room 204 to Room 205" in text
    assert "               * since you picked: renamed (was 'The old title')" in text
    vanished_part = text.split("No longer in the program\n", 1)[1]
    assert vanished_part.startswith("13:00-13:30    Room 204        A withdrawn talk")
    assert "no longer in the program; `planner drop withdrawn` removes it" in vanished_part
    assert text.endswith("* 4 changes since you picked (`planner pick ID` confirms one)")


def test_an_empty_agenda_says_how_to_pick() -> None:
    program = load(str(OVERLAPPING))
    assert "Nothing picked yet: `planner pick ID`" in render(program, Agenda(program_id=program.id))


@pytest.mark.parametrize("width", [40, 56, 72, 80, 120])
def test_every_line_fits_the_width(width: int) -> None:
    program = load(str(MOVED))
    current = read_agenda(FIXTURES / "moved_after_pick.agenda.json", program.id)
    for color in (False, True):
        lines = render(program, current, width=width, color=color).splitlines()
        assert max(len(ANSI.sub("", line)) for line in lines) <= width
    assert any("…" in line for line in render(program, current, width=40).splitlines())


def test_a_narrow_terminal_puts_titles_on_their_own_line() -> None:
    lines = render(*overlapping_agenda(), width=44).splitlines()
    at = lines.index("09:00-10:00    Room A   partial-a")
    assert lines[at + 1] == "               Partial A"


def test_colours_only_when_asked() -> None:
    program, current = overlapping_agenda()
    plain = render(program, current, color=False)
    coloured = render(program, current, color=True)
    assert "\x1b[" not in plain
    assert "\x1b[1;31m! clashes with partial-b: 20 min overlap\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == plain


# --- the real command under a terminal, piped, and with NO_COLOR ------------------------------


@pytest.fixture(scope="module")
def agenda_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dayview") / "agenda.json"
    result = CliRunner().invoke(
        cli,
        ["--program", str(OVERLAPPING), "--agenda", str(path), "pick", "partial-a", "partial-b"],
    )
    assert result.exit_code == 0, result.output
    return path


def command(agenda_file: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "planner",
        "--program",
        str(OVERLAPPING),
        "--agenda",
        str(agenda_file),
        "agenda",
    ]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    env.update(extra)
    return env


def run_in_terminal(argv: list[str], env: dict[str, str], columns: int) -> str:
    """Run ``argv`` with stdout on a pseudo-terminal ``columns`` wide; return what it printed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    process = subprocess.Popen(argv, stdout=slave, stderr=subprocess.PIPE, env=env, cwd=REPO)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end has closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=30) == 0, process.stderr.read().decode()  # type: ignore[union-attr]
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_a_terminal_gets_colours_that_fit_its_width(agenda_file: Path) -> None:
    text = run_in_terminal(command(agenda_file), clean_env(), columns=60)
    assert "\x1b[1;31m! clashes with partial-b: 20 min overlap\x1b[0m" in text
    assert "\x1b[1m09:00-10:00    \x1b[0m" in text
    widths = [len(ANSI.sub("", line)) for line in text.splitlines()]
    assert max(widths) <= 60
    assert max(widths) > 50  # it used the terminal's width, not a fixed fallback


def test_no_color_turns_colours_off_in_a_terminal(agenda_file: Path) -> None:
    text = run_in_terminal(command(agenda_file), clean_env(NO_COLOR="1"), columns=80)
    assert "! clashes with partial-b: 20 min overlap" in text
    assert "\x1b" not in text


def test_piped_output_has_no_colours(agenda_file: Path) -> None:
    piped = subprocess.run(
        command(agenda_file), capture_output=True, env=clean_env(), cwd=REPO, check=True
    )
    text = piped.stdout.decode()
    assert "! clashes with partial-b: 20 min overlap" in text
    assert "\x1b" not in text


def test_agenda_json_has_items_clashes_and_changes(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    program = str(FIXTURES / "moved_after_pick.json")
    path.write_bytes((FIXTURES / "moved_after_pick.agenda.json").read_bytes())
    result = CliRunner().invoke(
        cli, ["--program", program, "--agenda", str(path), "agenda", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(data) == ["changes", "clashes", "items"]
    assert [(i["id"], i["status"], i["start"]) for i in data["items"]] == [
        ("anchor", "picked", "2022-08-30T09:15:00-07:00"),
        ("mover", "picked", "2022-08-30T09:21:00-07:00"),
        ("relocated", "picked", "2022-08-30T11:00:00-07:00"),
        ("retitled", "picked", "2022-08-30T12:00:00-07:00"),
        ("withdrawn", "vanished", "2022-08-30T13:00:00-07:00"),
    ]
    assert data["items"][1] == {
        "covered_by": None,
        "end": "2022-08-30T09:39:00-07:00",
        "estimated": False,
        "id": "mover",
        "kind": "talk",
        "picked_at": None,
        "room": "Exhibit Hall A",
        "sequence": 0,
        "start": "2022-08-30T09:21:00-07:00",
        "status": "picked",
        "title": "Moved talk",
    }
    assert data["clashes"][0]["items"] == ["anchor", "mover"]
    assert data["changes"][0] == {
        "id": "mover",
        "kind": "moved",
        "message": "moved from 10:03 to 09:21",
    }
    assert [c["kind"] for c in data["changes"]] == ["moved", "room", "renamed", "vanished"]
