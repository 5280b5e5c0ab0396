"""Never lose an agenda: concurrent writers, SIGKILL mid-save, full disks, bad files, migration.

The many-process tests use the fork server of tests/helpers/fork_server.py (fixture
``fork_server`` in conftest.py): it imports planner once and forks real processes that run
planner's command line, each separate and killed with a real SIGKILL, none spending half a
second starting Python.
"""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner import agenda
from planner.agenda import AGENDA_VERSION, Snapshot, read_agenda, update_agenda
from planner.cli import cli
from planner.errors import AgendaError
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
NOW = "2024-05-01T08:30:00+00:00"  # the fork server's PLANNER_NOW too (conftest.py)
V1_AGENDA = FIXTURES / "agenda_v1.json"
V1_PROGRAM = FIXTURES / "tiny_program.json"


def sequential_program(path: Path, count: int, program_id: str = "safety") -> Path:
    """``count`` five-minute talks one after another in one room (no clashes, no warnings)."""
    items = []
    for number in range(count):
        start = 8 * 60 + 5 * number
        items.append(
            {
                "id": f"t{number:02d}",
                "title": f"Talk {number}",
                "start": f"2024-05-14T{start // 60:02d}:{start % 60:02d}:00+02:00",
                "end": f"2024-05-14T{(start + 5) // 60:02d}:{(start + 5) % 60:02d}:00+02:00",
                "room": "Hall",
            }
        )
    program = {"id": program_id, "name": "Safety", "timezone": "Europe/Berlin", "items": items}
    path.write_text(json.dumps(program, indent=1), encoding="utf-8")
    return path


def run(agenda_path: Path, *args: str, program: Path = V1_PROGRAM):
    return CliRunner(env={"PLANNER_NOW": NOW}).invoke(
        cli, ["--program", str(program), "--agenda", str(agenda_path), *args]
    )


def assert_one_error_line(result, path: Path) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}: ")
    assert "Traceback" not in result.stderr
    return lines[0]


def temp_files(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".tmp"))


# --- many real processes -----------------------------------------------------------------


@pytest.mark.slow
def test_32_processes_picking_dropping_and_adding_at_once_lose_nothing(
    tmp_path: Path, fork_server
) -> None:
    program_path = sequential_program(tmp_path / "program.json", 28)
    program = load(str(program_path))
    by_id = program.item_map()
    path = tmp_path / "agenda.json"
    kept = ["t00", "t01", "t02", "t03"]
    to_drop = [f"t{n:02d}" for n in range(4, 12)]
    to_pick = [f"t{n:02d}" for n in range(12, 28)]
    update_agenda(
        path, program.id, lambda a: agenda.pick(a, program, [by_id[i] for i in kept + to_drop])
    )
    base = ["--program", str(program_path), "--agenda", str(path)]
    commands = [[*base, "pick", talk] for talk in to_pick]
    commands += [[*base, "drop", talk] for talk in to_drop]
    commands += [
        [
            *base,
            "add",
            f"Meeting {n}",
            "--start",
            f"2024-05-15 {9 + n:02d}:00",
            "--end",
            f"{9 + n:02d}:30",
        ]
        for n in range(8)
    ]
    logs = [str(tmp_path / f"log-{n}") for n in range(len(commands))]
    assert len(commands) == 32
    fork_server.send({"mode": "race", "logs": logs, "commands": commands})
    statuses = fork_server.answer().split()
    outputs = [Path(log).read_text() for log in logs]
    assert statuses == ["0"] * 32, outputs
    for talk, output in zip(to_pick, outputs[:16], strict=True):
        assert output.startswith(f"added {talk}: ")
    for talk, output in zip(to_drop, outputs[16:24], strict=True):
        assert output.startswith(f"dropped {talk}: ")

    final = read_agenda(path, program.id)
    assert [pick.id for pick in final.picks[:4]] == kept
    assert sorted(pick.id for pick in final.picks[4:]) == to_pick
    for pick in final.picks:
        assert pick.snapshot == Snapshot.of(by_id[pick.id])
        assert pick.sequence == 0
        assert (pick.picked_at is not None) == (pick.id in to_pick)
    assert sorted(
        (e.id, e.title, e.start.isoformat(), e.end.isoformat()) for e in final.events
    ) == [
        (
            f"my-meeting-{n}",
            f"Meeting {n}",
            f"2024-05-15T{9 + n:02d}:00:00+02:00",
            f"2024-05-15T{9 + n:02d}:30:00+02:00",
        )
        for n in range(8)
    ]
    assert final.settings == agenda.Settings()
    assert json.loads(path.read_text())["version"] == AGENDA_VERSION
    assert temp_files(tmp_path) == []


def expected_after(state: list[str], command: list[str]) -> list[str]:
    verb, talk = command[-2:]
    return [*state, talk] if verb == "pick" else [pick for pick in state if pick != talk]


def plan_commands(
    state: list[str], base: list[str], rng: random.Random, talks: list[str]
) -> list[list[str]]:
    """Forty picks and drops that each change the agenda, starting from ``state``."""
    commands, current = [], list(state)
    for _ in range(40):
        free = [talk for talk in talks if talk not in current]
        if current and (not free or rng.random() < 0.4):
            command = [*base, "drop", rng.choice(current)]
        else:
            command = [*base, "pick", rng.choice(free)]
        commands.append(command)
        current = expected_after(current, command)
    return commands


def confirmed_count(log: str, commands: list[list[str]]) -> tuple[int, bool]:
    """How many commands printed their confirmation, and whether the next one had begun."""
    lines = log.splitlines()
    done = 0
    for number, command in enumerate(commands):
        verb, talk = command[-2:]
        marker = f"op {number}"
        confirmation = f"{'added' if verb == 'pick' else 'dropped'} {talk}: "
        if marker not in lines:
            return done, False
        after = lines[lines.index(marker) + 1 :]
        if not after or not after[0].startswith(confirmation):
            return done, True
        done += 1
    return done, False


@pytest.mark.slow
def test_processes_killed_at_random_moments_leave_the_old_or_the_new_agenda(
    tmp_path: Path, fork_server
) -> None:
    rng = random.Random(20240514)
    program_path = sequential_program(tmp_path / "program.json", 30)
    talks = [f"t{n:02d}" for n in range(30)]
    path = tmp_path / "agenda.json"
    base = ["--program", str(program_path), "--agenda", str(path)]
    state: list[str] = []  # the picks every confirmation so far promises
    kills = mid_command = temp_left = 0
    for round_number in range(120):
        commands = plan_commands(state, base, rng, talks)
        log = tmp_path / f"round-{round_number}.log"
        fork_server.send({"mode": "sequence", "log": str(log), "commands": commands})
        pid = int(fork_server.answer())
        time.sleep(rng.uniform(0.0, 0.08))
        os.kill(pid, signal.SIGKILL)
        status = int(fork_server.answer())
        output = log.read_text() if log.exists() else ""  # killed before opening it
        assert "Traceback" not in output
        if os.WIFSIGNALED(status):
            kills += 1
        done, begun = confirmed_count(output, commands)
        for command in commands[:done]:
            state = expected_after(state, command)
        temp_left += bool(temp_files(tmp_path))
        mid_command += begun

        on_disk = [pick.id for pick in read_agenda(path, "safety").picks]  # valid, or raises
        if begun and on_disk != state:
            state = expected_after(state, commands[done])  # the kill came after the replace
        assert on_disk == state, f"round {round_number}: {output}"
    assert kills >= 100
    # The kills landed inside planner's commands (mostly in the save: lock, write, fsync,
    # replace), not only before them, and some between the temp file and the replace.
    assert mid_command >= kills // 2
    assert temp_left >= 5
    assert run(path, "pick", "t00", program=program_path).exit_code == 0
    assert temp_files(tmp_path) == []  # the next locked command removes what killed writers left


@pytest.mark.slow
def test_a_planner_command_killed_from_outside_keeps_every_confirmed_pick(tmp_path: Path) -> None:
    """The same, with whole `planner pick` processes (start-up included), a few times."""
    rng = random.Random(7)
    program_path = sequential_program(tmp_path / "program.json", 12)
    path = tmp_path / "agenda.json"
    confirmed: set[str] = set()
    before: set[str] = set()
    for number in range(6):
        talks = [f"t{2 * number:02d}", f"t{2 * number + 1:02d}"]
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "planner",
                "--program",
                str(program_path),
                "--agenda",
                str(path),
                "pick",
                *talks,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=REPO,
        )
        time.sleep(rng.uniform(0.2, 0.9))
        process.send_signal(signal.SIGKILL)
        out, err = process.communicate(timeout=30)
        assert b"Traceback" not in err
        confirmed |= {talk for talk in talks if f"added {talk}:".encode() in out}
        on_disk = {pick.id for pick in read_agenda(path, "safety").picks}
        assert confirmed <= on_disk
        assert before <= on_disk and on_disk - before <= set(talks)  # old, or old + this pick
        before = on_disk


# --- full disk, read-only file system --------------------------------------------------------


class FailingFile:
    """A file object whose writes fail as a full or read-only disk makes them fail."""

    def __init__(self, handle, error: OSError) -> None:  # type: ignore[no-untyped-def]
        self.handle, self.error = handle, error

    def __enter__(self) -> FailingFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        raise self.error

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.handle, name)


def inject(monkeypatch: pytest.MonkeyPatch, where: str, code: int) -> None:
    error = OSError(code, os.strerror(code))

    def fail(*_args: object, **_kwargs: object) -> None:
        raise error

    if where == "create":
        monkeypatch.setattr(tempfile, "mkstemp", fail)
    elif where == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: FailingFile(real_fdopen(*a, **k), error))
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", fail)
    else:
        monkeypatch.setattr(os, "replace", fail)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS], ids=["ENOSPC", "EROFS"])
@pytest.mark.parametrize("where", ["create", "write", "fsync", "replace"])
def test_a_save_that_the_disk_refuses_is_one_clear_error_and_the_old_agenda_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, code: int
) -> None:
    path = tmp_path / "a.json"
    assert run(path, "pick", "alpha").exit_code == 0
    before = path.read_bytes()
    inject(monkeypatch, where, code)
    line = assert_one_error_line(run(path, "pick", "beta"), path)
    assert os.strerror(code) in line
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["a.json", "a.json.lock"]
    program = load(str(V1_PROGRAM))
    beta = program.item_map()["beta"]
    inject(monkeypatch, where, code)
    with pytest.raises(AgendaError, match=f"{path}: cannot write .*{os.strerror(code)}"):
        update_agenda(path, program.id, lambda a: agenda.pick(a, program, [beta]))
    assert path.read_bytes() == before


NO_SIGNAL_ON_BIG_FILES = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so write() fails with EFBIG instead of killing
limit = int(sys.argv.pop(1))
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv[0] = "planner"
from planner.cli import main
main()
"""


def test_a_write_the_kernel_refuses_in_a_real_process_leaves_the_old_agenda(tmp_path: Path) -> None:
    """No monkeypatching: a file-size limit makes the real write() fail half way (EFBIG)."""
    path = tmp_path / "a.json"
    assert run(path, "pick", "alpha").exit_code == 0
    before = path.read_bytes()
    args = ["--program", str(V1_PROGRAM), "--agenda", str(path), "pick", "beta"]
    result = subprocess.run(
        [sys.executable, "-c", NO_SIGNAL_ON_BIG_FILES, str(len(before) + 10), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: {path}: cannot write (File too large); the old file is unchanged"
    ]
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []


# --- bad agenda files ------------------------------------------------------------------------


@pytest.fixture
def saved_agenda(tmp_path: Path) -> Path:
    path = tmp_path / "a.json"
    assert run(path, "pick", "alpha", "beta").exit_code == 0
    assert (
        run(path, "add", "Coffee", "--start", "2024-03-30 10:00", "--end", "10:20").exit_code == 0
    )
    return path


def test_an_agenda_cut_at_any_byte_is_refused_by_name_or_reads_whole(saved_agenda: Path) -> None:
    whole = saved_agenda.read_bytes()
    complete = read_agenda(saved_agenda, "tiny2024")
    cut_path = saved_agenda.with_name("cut.json")
    for length in range(len(whole)):
        cut_path.write_bytes(whole[:length])
        try:
            assert read_agenda(cut_path, "tiny2024") == complete, length  # only the newline went
        except AgendaError as exc:
            assert str(exc).startswith(f"{cut_path}: "), length


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.35, 0.5, 0.77, 0.99])
def test_a_truncated_agenda_is_an_error_and_stays_byte_for_byte(
    saved_agenda: Path, fraction: float
) -> None:
    cut = saved_agenda.read_bytes()[: int(len(saved_agenda.read_bytes()) * fraction)]
    saved_agenda.write_bytes(cut)
    for command in (["pick", "gamma"], ["drop", "alpha"], ["settings", "--walk", "3"], ["agenda"]):
        assert_one_error_line(run(saved_agenda, *command), saved_agenda)
        assert saved_agenda.read_bytes() == cut


@pytest.mark.parametrize("version", ["0", "5", "99", "-1", '"2"', "2.0", "true", "null", "[2]"])
def test_an_agenda_of_a_version_this_planner_does_not_know_is_left_alone(
    saved_agenda: Path, version: str
) -> None:
    text = saved_agenda.read_text().replace(f'"version": {AGENDA_VERSION}', f'"version": {version}')
    saved_agenda.write_text(text)
    line = assert_one_error_line(run(saved_agenda, "pick", "gamma"), saved_agenda)
    assert f"agenda format version {json.loads(version)!r}" in line
    assert "reads versions 1 to 4" in line
    assert saved_agenda.read_text() == text
    assert not list(saved_agenda.parent.glob("*.bak"))


@pytest.mark.parametrize(
    ("corruption", "words"),
    [
        (lambda t: t.replace('"picks"', '"pickz"'), "not a valid agenda"),
        (lambda t: t.replace('"alpha"', "17", 1), "not a valid agenda"),
        (lambda t: t.replace('"beta"', '"alpha"', 1), "id 'alpha' appears twice"),
        (lambda t: t.replace("{", "[", 1), "broken JSON at line 2"),
        (lambda t: "\x00" * 40 + t, "broken JSON"),
        (lambda t: t.encode("utf-16").decode("latin-1"), "not a planner agenda"),
    ],
    ids=["unknown_field", "wrong_type", "duplicate_id", "broken_json", "nul_bytes", "utf16"],
)
def test_a_corrupt_agenda_is_an_error_naming_the_file_and_stays_byte_for_byte(
    saved_agenda: Path, corruption, words: str
) -> None:  # type: ignore[no-untyped-def]
    data = corruption(saved_agenda.read_text()).encode(
        "latin-1" if "\x00" not in words else "utf-8"
    )
    saved_agenda.write_bytes(data)
    line = assert_one_error_line(run(saved_agenda, "pick", "gamma"), saved_agenda)
    assert words in line
    assert saved_agenda.read_bytes() == data


# --- migration from version 1 ------------------------------------------------------------------


@pytest.fixture
def v1_agenda(tmp_path: Path) -> Path:
    path = tmp_path / "tiny2024.json"
    path.write_bytes(V1_AGENDA.read_bytes())
    return path


def test_reading_a_version_1_agenda_changes_nothing_on_disk(v1_agenda: Path) -> None:
    current = read_agenda(v1_agenda, "tiny2024")
    assert current.version == AGENDA_VERSION
    assert [(p.id, p.picked_at) for p in current.picks] == [("alpha", None)]
    for command in (["agenda"], ["agenda", "--json"], ["clashes"], ["settings"]):
        assert run(v1_agenda, *command).exit_code == 0
    assert v1_agenda.read_bytes() == V1_AGENDA.read_bytes()
    assert sorted(p.name for p in v1_agenda.parent.iterdir()) == ["tiny2024.json"]


def test_the_first_save_writes_the_current_version_and_keeps_the_version_1_file_as_a_backup(
    v1_agenda: Path,
) -> None:
    result = run(v1_agenda, "pick", "beta")
    assert result.exit_code == 0, result.output
    backup = v1_agenda.with_name("tiny2024.json.v1.bak")
    assert backup.read_bytes() == V1_AGENDA.read_bytes()
    data = json.loads(v1_agenda.read_text())
    assert data["version"] == AGENDA_VERSION == 4
    assert [p["exported"] for p in data["picks"]] == [None, None]
    picked_at = {
        p["id"]: p["picked_at"] and datetime.fromisoformat(p["picked_at"]) for p in data["picks"]
    }
    assert picked_at == {"alpha": None, "beta": datetime.fromisoformat(NOW)}
    assert data["events"][0]["id"] == "my-coffee-with-bob"  # everything else carried over
    assert data["settings"] == {"walk_minutes": 7, "alarm_minutes": 10}
    shown = json.loads(run(v1_agenda, "agenda", "--json").stdout)
    assert {i["id"]: i["picked_at"] for i in shown["items"] if "picked_at" in i} == {
        "alpha": None,
        "beta": "2024-05-01T10:30:00+02:00",  # in the program's zone, Europe/Berlin
    }
    assert run(v1_agenda, "drop", "beta").exit_code == 0
    assert backup.read_bytes() == V1_AGENDA.read_bytes()  # later saves leave the backup alone
    assert sorted(p.name for p in v1_agenda.parent.glob("*.bak")) == ["tiny2024.json.v1.bak"]


def test_a_version_2_agenda_is_kept_as_a_backup_when_first_saved_in_the_current_version(
    saved_agenda: Path,
) -> None:
    data = json.loads(saved_agenda.read_text())
    data["version"] = 2
    for pick in data["picks"]:
        del pick["exported"]  # version 2 did not have it
    v2_bytes = (json.dumps(data, indent=2) + "\n").encode()
    saved_agenda.write_bytes(v2_bytes)
    assert run(saved_agenda, "pick", "gamma").exit_code == 0
    assert saved_agenda.with_name(saved_agenda.name + ".v2.bak").read_bytes() == v2_bytes
    assert json.loads(saved_agenda.read_text())["version"] == AGENDA_VERSION


def test_an_existing_different_backup_is_never_overwritten(v1_agenda: Path) -> None:
    older = v1_agenda.with_name("tiny2024.json.v1.bak")
    older.write_bytes(b"someone's older backup")
    assert run(v1_agenda, "pick", "beta").exit_code == 0
    assert older.read_bytes() == b"someone's older backup"
    assert v1_agenda.with_name("tiny2024.json.v1-2.bak").read_bytes() == V1_AGENDA.read_bytes()


def test_a_backup_that_cannot_be_written_stops_the_migration(
    v1_agenda: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inject(monkeypatch, "fsync", errno.ENOSPC)
    line = assert_one_error_line(run(v1_agenda, "pick", "beta"), v1_agenda)
    assert "cannot keep the version 1 agenda as tiny2024.json.v1.bak" in line
    assert v1_agenda.read_bytes() == V1_AGENDA.read_bytes()
    assert sorted(p.name for p in v1_agenda.parent.iterdir()) == [
        "tiny2024.json",
        "tiny2024.json.lock",
    ]


# --- the program changed under the agenda ----------------------------------------------------------


def changed_program(original: Path, target: Path) -> Path:
    data = json.loads(original.read_text())
    by_id = {item["id"]: item for item in data["items"]}
    by_id["t01"]["start"], by_id["t01"]["end"] = (
        "2024-05-15T08:05:00+02:00",
        "2024-05-15T08:10:00+02:00",
    )
    by_id["t02"]["room"] = "Annex"
    by_id["t03"]["title"] = "Talk three, renamed"
    by_id["t04"].update(
        start="2024-05-14T10:00:00+02:00",
        end="2024-05-14T10:45:00+02:00",
        room="Annex",
        title="All new",
    )
    data["items"] = [item for item in data["items"] if item["id"] != "t05"]
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def test_a_changed_program_drops_nothing_and_reports_every_change(tmp_path: Path) -> None:
    original = sequential_program(tmp_path / "before.json", 8)
    program_path = tmp_path / "program.json"
    program_path.write_bytes(original.read_bytes())
    path = tmp_path / "agenda.json"
    picked = [f"t{n:02d}" for n in range(6)]
    assert run(path, "pick", *picked, program=program_path).exit_code == 0
    changed_program(original, program_path)
    saved = path.read_bytes()

    shown = run(path, "agenda", "--json", program=program_path)
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert [(c["id"], c["kind"], c["message"]) for c in data["changes"]] == [
        ("t02", "room", "room changed from Hall to Annex"),
        ("t03", "renamed", "renamed (was 'Talk 3')"),
        ("t05", "vanished", "no longer in the program"),
        ("t04", "moved", "moved from 08:20 to 10:00"),
        ("t04", "room", "room changed from Hall to Annex"),
        ("t04", "renamed", "renamed (was 'Talk 4')"),
        ("t01", "moved", "moved from Tue 14 May 08:05 to Wed 15 May 08:05"),
    ]
    assert sorted(i["id"] for i in data["items"]) == picked
    assert {i["id"]: i["status"] for i in data["items"]}["t05"] == "vanished"

    text = run(path, "agenda", program=program_path).stdout
    for change in data["changes"]:
        assert change["message"] in text
    assert path.read_bytes() == saved  # looking changes nothing

    assert run(path, "pick", "t06", program=program_path).exit_code == 0
    assert [p.id for p in read_agenda(path, "safety").picks] == [f"t{n:02d}" for n in range(7)]
    confirmed = run(path, "pick", "t04", program=program_path)
    assert "noted the change" in confirmed.stdout
    left = json.loads(run(path, "agenda", "--json", program=program_path).stdout)["changes"]
    assert [c["id"] for c in left] == ["t02", "t03", "t05", "t01"]
