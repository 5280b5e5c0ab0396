"""The agenda file on disk: atomic writes, the lock, and never overwriting a bad file."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner import agenda
from planner.agenda import Agenda, Pick, Snapshot, read_agenda, update_agenda, write_agenda
from planner.cli import cli
from planner.errors import AgendaError, PlannerError
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny_program.json"
SIXTEEN = FIXTURES / "sixteen_talks.json"
REPO = Path(__file__).resolve().parents[1]


def run(agenda_path: Path, *args: str, program: Path = TINY):
    runner = CliRunner()
    return runner.invoke(
        cli,
        ["--program", str(program), "--agenda", str(agenda_path), *args],
        catch_exceptions=False,
    )


def picked_ids(path: Path, program_id: str = "tiny2024") -> list[str]:
    return [pick.id for pick in read_agenda(path, program_id).picks]


def test_every_time_in_the_file_has_a_numeric_offset(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    result = CliRunner(env={"PLANNER_NOW": "2024-05-01T08:30:00+00:00"}).invoke(
        cli, ["--program", str(TINY), "--agenda", str(path), "pick", "alpha"]
    )
    assert result.exit_code == 0, result.output
    [pick] = json.loads(path.read_text())["picks"]
    assert pick["picked_at"] == "2024-05-01T08:30:00+00:00"  # not "...Z"
    assert not any(value.endswith("Z") for value in pick["snapshot"].values() if value)


def test_a_missing_agenda_reads_as_empty_and_is_not_created_by_reading(tmp_path: Path) -> None:
    path = tmp_path / "agendas" / "tiny2024.json"
    assert read_agenda(path, "tiny2024") == Agenda(program_id="tiny2024")
    assert run(path, "agenda").exit_code == 0
    assert not path.exists()


def test_pick_writes_a_versioned_file_beside_its_lock_and_leaves_no_temp_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "agendas" / "tiny2024.json"
    result = run(path, "pick", "alpha")
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text())
    assert data["version"] == agenda.AGENDA_VERSION
    assert data["program_id"] == "tiny2024"
    assert [pick["id"] for pick in data["picks"]] == ["alpha"]
    assert sorted(entry.name for entry in path.parent.iterdir()) == [
        "tiny2024.json",
        "tiny2024.json.lock",
    ]


def test_a_failed_replace_leaves_the_old_agenda_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    assert run(path, "pick", "alpha").exit_code == 0
    before = path.read_bytes()

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    program = load(str(TINY))
    with pytest.raises(PlannerError, match="old file is unchanged"):
        update_agenda(
            path, "tiny2024", lambda a: agenda.pick(a, program, [program.item_map()["beta"]])
        )
    assert path.read_bytes() == before
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["a.json", "a.json.lock"]


KILL_BEFORE_REPLACE = """
import os, sys
def killed(*args):
    os._exit(9)  # the process dies here: temp file written, replace never happens
os.replace = killed
sys.argv = ["planner", *sys.argv[1:]]
from planner.cli import main
main()
"""


def test_a_writer_killed_between_temp_file_and_replace_leaves_the_old_agenda(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.json"
    assert run(path, "pick", "alpha").exit_code == 0
    before = path.read_bytes()
    args = ["--program", str(TINY), "--agenda", str(path), "pick", "beta"]
    killed = subprocess.run(
        [sys.executable, "-c", KILL_BEFORE_REPLACE, *args], capture_output=True, cwd=REPO
    )
    assert killed.returncode == 9
    leftovers = [entry.name for entry in tmp_path.iterdir() if entry.name.endswith(".tmp")]
    assert len(leftovers) == 1  # the kill landed after the temp file was written
    assert path.read_bytes() == before
    assert picked_ids(path) == ["alpha"]
    assert run(path, "pick", "alpha").exit_code == 0  # already picked: nothing to save
    assert [entry.name for entry in tmp_path.iterdir() if entry.name.endswith(".tmp")] == []
    assert run(path, "pick", "beta").exit_code == 0
    assert picked_ids(path) == ["alpha", "beta"]


def test_a_pick_leaves_the_temp_file_of_an_export_beside_the_agenda_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    killed_writer = tmp_path / ".a.json.k1ll3d_x.tmp"
    export_in_progress = tmp_path / ".a.json.ics.abcd1234.tmp"  # `export -o a.json.ics` running
    killed_writer.write_text("half an agenda")
    export_in_progress.write_text("BEGIN:VCALENDAR")
    assert run(path, "pick", "alpha").exit_code == 0
    assert not killed_writer.exists()
    assert export_in_progress.read_text() == "BEGIN:VCALENDAR"


BAD_AGENDAS = {
    "broken_json": b'{"version": 1, "program_id": "tiny2024", "picks": [',
    "empty": b"",
    "not_an_object": b"[1, 2, 3]\n",
    "no_version": b'{"program_id": "tiny2024", "picks": []}\n',
    "newer_version": b'{"version": 5, "program_id": "tiny2024", "picks": [], "magic": true}\n',
    "older_than_any": b'{"version": 0, "program_id": "tiny2024", "picks": []}\n',
    "version_as_text": b'{"version": "1", "program_id": "tiny2024"}\n',
    "other_program": b'{"version": 1, "program_id": "another-conf", "picks": []}\n',
    "bad_pick": b'{"version": 1, "program_id": "tiny2024", "picks": [{"id": "alpha"}]}\n',
    "binary": b"\x00\xff\xfe\x81 not text",
}
CHANGING_COMMANDS = {
    "pick": ["pick", "alpha"],
    "drop": ["drop", "alpha"],
    "add": ["add", "Lunch", "--start", "2024-03-30 12:00", "--end", "13:00"],
    "settings": ["settings", "--walk", "9"],
    "agenda": ["agenda"],
    "clashes": ["clashes"],
}


@pytest.mark.parametrize("command", sorted(CHANGING_COMMANDS))
@pytest.mark.parametrize("case", sorted(BAD_AGENDAS))
def test_a_bad_agenda_file_is_an_error_and_stays_byte_for_byte(
    tmp_path: Path, case: str, command: str
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(BAD_AGENDAS[case])
    result = run(path, *CHANGING_COMMANDS[command])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: {path}: ")
    assert "Traceback" not in result.output
    assert path.read_bytes() == BAD_AGENDAS[case]


def test_the_messages_say_what_is_wrong(tmp_path: Path) -> None:
    expected = {
        "broken_json": "broken JSON at line 1",
        "newer_version": "agenda format version 5, but this planner reads versions 1 to 4",
        "other_program": "this is the agenda of program 'another-conf', not 'tiny2024'",
        "no_version": "no version field",
    }
    for case, words in expected.items():
        path = tmp_path / f"{case}.json"
        path.write_bytes(BAD_AGENDAS[case])
        with pytest.raises(AgendaError, match=words):
            read_agenda(path, "tiny2024")


def test_a_folder_where_the_agenda_should_be_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "a.json"
    folder.mkdir()
    result = run(folder, "pick", "alpha")
    assert result.exit_code == 2
    assert "is a directory" in result.stderr  # click's own check of --agenda
    with pytest.raises(AgendaError, match="is a folder, not an agenda file"):
        read_agenda(folder, "tiny2024")


def test_a_held_lock_gives_a_clear_error_instead_of_waiting_for_ever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    monkeypatch.setattr(agenda.store, "LOCK_TIMEOUT_SECONDS", 0.2)
    program = load(str(TINY))
    holder = os.open(tmp_path / "a.json.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(AgendaError, match="another planner has been changing this agenda"):
            update_agenda(path, "tiny2024", lambda a: agenda.pick(a, program, program.items[:1]))
    finally:
        os.close(holder)
    assert not path.exists()


def test_edit_agenda_writes_on_normal_exit_only(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    snapshot = Snapshot(title="Alpha")
    with agenda.edit_agenda(path, "tiny2024") as current:
        current.picks.append(Pick(id="alpha", snapshot=snapshot))
    assert picked_ids(path) == ["alpha"]
    with pytest.raises(RuntimeError), agenda.edit_agenda(path, "tiny2024") as current:
        current.picks.clear()
        raise RuntimeError("changed my mind")
    assert picked_ids(path) == ["alpha"]


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    program = load(str(TINY))
    result = agenda.pick(Agenda(program_id="tiny2024"), program, program.items)
    write_agenda(tmp_path / "a.json", result.agenda)
    assert read_agenda(tmp_path / "a.json", "tiny2024") == result.agenda


# Each racer imports planner, says it is ready, then waits for the go file, so that all 16
# start their read-modify-write within a millisecond or so of each other.
RACER = """
import os, runpy, sys, time
import planner.cli
ready, go = sys.argv[1], sys.argv[2]
open(ready, "w").close()
deadline = time.monotonic() + 60
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.0005)
sys.argv = ["planner", *sys.argv[3:]]
runpy.run_module("planner", run_name="__main__", alter_sys=True)
"""


@pytest.mark.slow
def test_sixteen_simultaneous_pick_processes_keep_all_sixteen_picks(tmp_path: Path) -> None:
    path = tmp_path / "agenda.json"
    ids = [f"talk-{n:02d}" for n in range(1, 17)]
    go = tmp_path / "go"
    racers = []
    for talk in ids:
        ready = tmp_path / f"ready-{talk}"
        args = ["--program", str(SIXTEEN), "--agenda", str(path), "pick", talk]
        racers.append(
            (
                ready,
                subprocess.Popen(
                    [sys.executable, "-c", RACER, str(ready), str(go), *args],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    cwd=REPO,
                ),
            )
        )
    deadline = time.monotonic() + 60
    while not all(ready.exists() for ready, _ in racers) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    outputs = [process.communicate(timeout=120) for _, process in racers]
    for (_, process), (out, err) in zip(racers, outputs, strict=True):
        assert process.returncode == 0, err.decode()
        assert out.decode().startswith("added talk-")
    assert sorted(picked_ids(path, "sixteen-talks")) == ids
