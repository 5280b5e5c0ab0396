"""The program model refuses what cannot be a program, naming the item and how to fix it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from planner.cli import cli
from planner.model import Program

START, END = "2024-05-14T09:00:00+02:00", "2024-05-14T10:00:00+02:00"


def program(*items: dict, timezone: str = "Europe/Berlin") -> dict:
    return {"id": "model", "name": "Model", "timezone": timezone, "items": list(items)}


def talk(item_id: str, **fields: object) -> dict:
    return {"id": item_id, "title": item_id.upper(), "start": START, "end": END, **fields}


REFUSED = {
    "end before start": (
        program(talk("a", end="2024-05-14T08:00:00+02:00")),
        "item 'a' ends (2024-05-14T08:00:00+02:00) before it starts",
    ),
    "only a start": (
        program({"id": "a", "title": "A", "start": START}),
        "item 'a' has only one of start and end",
    ),
    "unknown parent": (
        program(talk("a", parent="nope")),
        "item 'a' names parent 'nope', which is not in the program",
    ),
    "own parent": (program(talk("a", parent="a")), "item 'a' names itself as its parent"),
    "parent loop": (
        program(talk("a", parent="b"), talk("b", parent="c"), talk("c", parent="a")),
        "items form a loop of parents (a -> b -> c -> a)",
    ),
    "repeated id": (program(talk("a"), talk("a")), "item id 'a' is used twice"),
    "unknown zone": (
        program(talk("a"), timezone="Europe/Berln"),
        "unknown timezone 'Europe/Berln'; did you mean Europe/Berlin",
    ),
    "child outside its parent": (
        program(
            talk("s", kind="session"),
            talk(
                "a", parent="s", start="2024-05-14T09:30:00+02:00", end="2024-05-14T10:30:00+02:00"
            ),
        ),
        "item 'a' (2024-05-14 09:30-10:30) lies outside its parent 's' (2024-05-14 09:00-10:00)",
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_the_model_refuses_naming_the_item(case: str) -> None:
    data, expected = REFUSED[case]
    with pytest.raises(ValidationError) as refused:
        Program.model_validate(data)
    assert expected in str(refused.value)


def test_items_more_than_eight_levels_below_the_top_are_refused_quickly() -> None:
    # 30,000 items each inside the next, deepest first: a hostile file, read in linear time.
    count = 30_000
    items = [talk(f"i{n}", parent=f"i{n - 1}" if n else None) for n in range(count)][::-1]
    with pytest.raises(ValidationError) as refused:
        Program.model_validate(program(*items))
    assert "item 'i29999' lies 29999 levels below the top" in str(refused.value)
    nine = [talk(f"i{n}", parent=f"i{n - 1}" if n else None) for n in range(10)]
    with pytest.raises(ValidationError, match="item 'i9' lies 9 levels below the top"):
        Program.model_validate(program(*nine))
    assert len(Program.model_validate(program(*nine[:9])).items) == 9  # i8: level 8 is fine


def test_a_chain_of_parents_without_a_loop_is_fine() -> None:
    loaded = Program.model_validate(
        program(
            talk("t", kind="tutorial"), talk("s", kind="session", parent="t"), talk("a", parent="s")
        )
    )
    assert [item.parent for item in loaded.items] == [None, "t", "s"]


def test_a_hand_written_file_error_names_the_item_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "naive.json"
    path.write_text(json.dumps(program(talk("a"), talk("b", start="2024-05-14T09:00:00"))))
    result = CliRunner().invoke(cli, ["--program", str(path), "talks"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}: items[1].start (item 'b'): Input should have timezone info; "
        "give the time with its offset, such as 2022-08-30T09:00:00-07:00\n"
    )


def test_an_agenda_given_as_the_program_is_named_as_such(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    runner = CliRunner(env={"PLANNER_PROGRAM": None, "PLANNER_TZ": None})
    assert runner.invoke(cli, ["--agenda", str(agenda), "pick", "deeppool"]).exit_code == 0
    result = runner.invoke(cli, ["--program", str(agenda), "talks"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {agenda}: this is a planner agenda, not a program; give it with --agenda, "
        "and the program it belongs to with --program\n"
    )
