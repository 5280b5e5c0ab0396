"""An unnamed .ics calendar used to be named by its file; PRODID or its UIDs name it now. The
agenda an attendee kept under the old id (``agendas/<file stem>.json``) is found, read as the
program's, and written under the new id on the next change, the old file kept as a backup."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.agenda import read_agenda
from planner.cli import cli
from planner.errors import AgendaError
from planner.model import FORMAT_VERSION, Program
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"
FEED = FIXTURES / "unnamed_feed.ics"  # no X-WR-CALNAME; PRODID is pretalx's; UIDs @devconf...
OLD_AGENDA = FIXTURES / "unnamed_feed.agenda.json"  # "program_id": "unnamed_feed", 2 picks
NEW_ID = "devconf.example.org"
OLD_ID = "unnamed_feed"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The app dir's agendas folder, holding the agenda kept under the file stem's id."""
    agendas = tmp_path / "config" / "planner" / "agendas"
    agendas.mkdir(parents=True)
    shutil.copy(OLD_AGENDA, agendas / f"{OLD_ID}.json")
    return agendas


def run(folder: Path, *args: str, program: Path = FEED):
    env = {
        "XDG_CONFIG_HOME": str(folder.parents[1]),
        "PLANNER_NOW": "2024-05-01T08:30:00+00:00",
        "PLANNER_AGENDA": None,
        "PLANNER_PROGRAM": None,
        "PLANNER_TZ": None,
    }
    result = CliRunner(env=env).invoke(cli, ["--program", str(program), *args])
    assert "Traceback" not in result.output
    return result


def test_the_ics_reader_keeps_the_file_stem_id_as_a_former_id() -> None:
    program = load(str(FEED))
    assert (program.id, program.former_ids) == (NEW_ID, [OLD_ID])
    # Named by X-WR-CALNAME, its id never was the stem; named by the stem, nothing changed.
    assert load(str(FIXTURES / "ics_name_calname.ics")).former_ids == []
    assert load(str(FIXTURES / "ics_name_file_only.ics")).former_ids == []
    assert load(str(FIXTURES / "ics_name_prodid.ics")).former_ids == ["ics_name_prodid"]


def test_agenda_shows_the_picks_kept_under_the_old_id_and_writes_nothing(folder: Path) -> None:
    before = sorted(entry.name for entry in folder.iterdir())
    shown = run(folder, "agenda")
    assert shown.exit_code == 0, shown.output
    assert "Opening keynote" in shown.stdout
    assert "Packaging without tears" in shown.stdout
    listed = json.loads(run(folder, "agenda", "--json").stdout)
    assert [item["id"] for item in listed["items"]] == ["dc-101", "dc-102"]
    assert sorted(entry.name for entry in folder.iterdir()) == before  # reading never writes


def test_pick_writes_the_new_file_and_keeps_the_old_one(folder: Path) -> None:
    picked = run(folder, "pick", "dc-103")
    assert picked.exit_code == 0, picked.output
    assert picked.stdout.startswith("added dc-103: Profiling in production")
    new = json.loads((folder / f"{NEW_ID}.json").read_text("utf-8"))
    assert new["program_id"] == NEW_ID
    assert [pick["id"] for pick in new["picks"]] == ["dc-101", "dc-102", "dc-103"]
    assert new["picks"][0]["picked_at"] == "2024-04-20T10:00:00+00:00"  # kept as it was
    assert new["settings"]["walk_minutes"] == 7
    assert (folder / f"{OLD_ID}.json").read_bytes() == OLD_AGENDA.read_bytes()  # the backup
    assert sorted(entry.name for entry in folder.iterdir()) == [
        f"{NEW_ID}.json",
        f"{NEW_ID}.json.lock",
        f"{OLD_ID}.json",
    ]
    # From now on the new file is the agenda: a drop changes it, the backup stays.
    assert run(folder, "drop", "dc-101").exit_code == 0
    shown = json.loads(run(folder, "agenda", "--json").stdout)
    assert [item["id"] for item in shown["items"]] == ["dc-102", "dc-103"]
    assert (folder / f"{OLD_ID}.json").read_bytes() == OLD_AGENDA.read_bytes()


def test_an_edit_that_changes_nothing_still_moves_the_agenda(folder: Path) -> None:
    again = run(folder, "pick", "dc-101")  # already picked, unchanged
    assert again.exit_code == 0, again.output
    moved = read_agenda(folder / f"{NEW_ID}.json", NEW_ID)
    assert [pick.id for pick in moved.picks] == ["dc-101", "dc-102"]


def test_use_names_the_file_the_picks_are_in(folder: Path) -> None:
    said = run(folder, "use")
    assert said.exit_code == 0, said.output
    assert f"{OLD_ID}.json (2 picks)" in said.stdout


def test_an_agenda_given_by_path_with_the_old_id_is_changed_in_place_with_a_backup(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mine.json"
    shutil.copy(OLD_AGENDA, path)
    picked = run(
        tmp_path / "config" / "planner" / "agendas", "--agenda", str(path), "pick", "dc-103"
    )
    assert picked.exit_code == 0, picked.output
    assert json.loads(path.read_text("utf-8"))["program_id"] == NEW_ID
    assert (tmp_path / "mine.json.v4.bak").read_bytes() == OLD_AGENDA.read_bytes()
    assert not (tmp_path / f"{NEW_ID}.json").exists()


def test_an_agenda_of_an_id_the_program_never_had_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(OLD_AGENDA.read_text("utf-8").replace(OLD_ID, "someconf"), "utf-8")
    with pytest.raises(AgendaError, match="agenda of program 'someconf', not 'devconf"):
        read_agenda(path, load(str(FEED)))


def test_a_native_import_keeps_the_former_id_and_so_the_agenda(
    folder: Path, tmp_path: Path
) -> None:
    native = tmp_path / "devconf.json"
    assert run(folder, "import", str(FEED), "-o", str(native)).exit_code == 0
    written = json.loads(native.read_text("utf-8"))
    assert (written["version"], written["former_ids"]) == (FORMAT_VERSION, [OLD_ID])
    shown = json.loads(run(folder, "agenda", "--json", program=native).stdout)
    assert [item["id"] for item in shown["items"]] == ["dc-101", "dc-102"]


def test_former_ids_are_ids_and_never_the_program_s_own() -> None:
    program = Program(id="a", name="A", timezone="UTC", former_ids=["a", "b", "b"])
    assert program.former_ids == ["b"]
    with pytest.raises(ValueError, match="former_ids"):
        Program(id="a", name="A", timezone="UTC", former_ids=["../agendas/x"])


def test_the_web_face_reads_the_old_file_and_writes_the_new_one(folder: Path) -> None:
    from starlette.testclient import TestClient

    from planner.timezones import parse_aware
    from planner.web.app import create_app
    from planner.web.core import Served
    from planner.web.security import Guard

    program = load(str(FEED))
    served = Served(
        program, folder / f"{NEW_ID}.json", "UTC", lambda: parse_aware("2024-05-01T08:30:00+00:00")
    )
    api = TestClient(
        create_app(served, Guard.for_bind("127.0.0.1", 8765, None)),
        base_url="http://127.0.0.1:8765",
    )
    assert [i["id"] for i in api.get("/api/agenda").json()["items"]] == ["dc-101", "dc-102"]
    answer = api.post(
        "/api/picks", json={"ids": ["dc-103"]}, headers={"Origin": "http://127.0.0.1:8765"}
    )
    assert answer.status_code == 200, answer.text
    assert [i["id"] for i in api.get("/api/agenda").json()["items"]] == [
        "dc-101",
        "dc-102",
        "dc-103",
    ]
    assert (folder / f"{NEW_ID}.json").exists()
    assert (folder / f"{OLD_ID}.json").read_bytes() == OLD_AGENDA.read_bytes()
