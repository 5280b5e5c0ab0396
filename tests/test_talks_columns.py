"""`planner talks` columns: as wide as their widest value, fitted to the terminal (COLUMNS),
only titles cut (with an ellipsis) until the terminal is too narrow for anything else."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers.loading import fixture

from planner.cli import cli
from planner.present import talks_text
from planner.sources import load

ROOMS = fixture("long_room_names.json")  # "Assembly:Foodhacking Base" is 25 characters
HEADING = "Friday 27 December 2019 (times in Europe/Berlin, UTC+01:00)"


def talks(columns: str | None) -> list[str]:
    env = {"COLUMNS": columns} if columns is not None else {}
    result = CliRunner(env=env).invoke(cli, ["--program", ROOMS, "talks"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_a_wide_terminal_shows_every_room_and_title_in_full_in_aligned_columns() -> None:
    assert talks("140") == [
        HEADING,
        "  11:00-11:30   Ada                       ada-opening            Opening",
        "  11:00-12:00   Assembly:Foodhacking Base foodhacking-soldering  "
        "Soldering for beginners: a badge, a kit, and a very patient hour together",
        "  12:00-12:45   Chaos-West Bühne          cw-mesh                "
        "Mesh networks in the city, block by block",
    ]


@pytest.mark.parametrize("columns", [100, 80, 75])
def test_only_titles_are_cut_to_fit_the_terminal(columns: int) -> None:
    lines = talks(str(columns))
    assert all(len(line) <= columns for line in lines)
    assert "Assembly:Foodhacking Base foodhacking-soldering  Soldering" in lines[2]
    assert lines[2].endswith("…")
    assert lines[1].endswith("Opening")  # a title that fits is not touched


def test_at_80_columns_the_long_title_keeps_what_fits() -> None:
    assert talks("80")[2:] == [
        "  11:00-12:00   Assembly:Foodhacking Base foodhacking-soldering  Soldering for …",
        "  12:00-12:45   Chaos-West Bühne          cw-mesh                Mesh networks …",
    ]


def test_rooms_are_cut_only_when_nothing_else_would_fit() -> None:
    lines = talks("60")
    assert lines[1:] == [
        "  11:00-11:30   Ada        ada-opening            Opening",
        "  11:00-12:00   Assembly:… foodhacking-soldering  Soldering…",
        "  12:00-12:45   Chaos-Wes… cw-mesh                Mesh netw…",
    ]
    assert all(len(line) <= 60 for line in lines)


def test_ids_are_never_cut_however_narrow_the_terminal() -> None:
    lines = talks("20")
    assert [line.split()[2] for line in lines[1:]] == [
        "ada-opening",
        "foodhacking-soldering",
        "cw-mesh",
    ]


def test_into_a_pipe_without_columns_nothing_is_cut() -> None:
    lines = talks(None)
    assert "Assembly:Foodhacking Base" in lines[2]
    assert lines[2].endswith("a very patient hour together")


def test_short_room_names_keep_the_sixteen_character_column() -> None:
    program = load(fixture("tiny_program.json"))
    lines = talks_text(program, program.items, program.timezone, width=100).splitlines()
    assert lines[1] == "  09:00-10:00   Hall A           morning  Morning session"
