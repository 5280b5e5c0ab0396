"""Backups: `planner pick ID --maybe`, never a clash, exported only on request, chosen by plan."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planner.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
PROGRAM = FIXTURES / "backup_beside_pick.json"
V3_AGENDA = FIXTURES / "agenda_v3.json"
NOW = "2024-05-01T08:30:00+00:00"
BACKUP = "The talk I might attend instead (backup)"
FIRM = "The talk I will attend (firm)"


def run(agenda_path: Path, *args: str) -> Result:
    return CliRunner(env={"PLANNER_NOW": NOW, "NO_COLOR": "1", "COLUMNS": "100"}).invoke(
        cli,
        ["--program", str(PROGRAM), "--agenda", str(agenda_path), *args],
        catch_exceptions=False,
        prog_name="planner",
    )


def with_backup(tmp_path: Path) -> Path:
    agenda = tmp_path / "agenda.json"
    assert run(agenda, "pick", "firm").exit_code == 0
    result = run(agenda, "pick", "backup", "--maybe")
    assert result.exit_code == 0, result.output
    return agenda


def test_pick_maybe_adds_a_backup_that_is_not_a_clash(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    assert run(agenda, "pick", "firm").exit_code == 0
    result = run(agenda, "pick", "backup", "--maybe")
    assert result.stdout.startswith("added a backup backup: The talk I might attend instead")
    assert result.stderr == f"Note: {BACKUP} is a backup for {FIRM} (overlap 10:30-11:00)\n"
    stored = json.loads(agenda.read_text())
    assert stored["version"] == 4
    assert [(p["id"], p["maybe"]) for p in stored["picks"]] == [("firm", False), ("backup", True)]


def test_clashes_call_it_a_backup_and_strict_passes(tmp_path: Path) -> None:
    agenda = with_backup(tmp_path)
    found = json.loads(run(agenda, "clashes", "--json").stdout)
    assert found == [
        {
            "estimated": False,
            "items": ["backup", "firm"],
            "kind": "backup",
            "message": f"{BACKUP} is a backup for {FIRM} (overlap 10:30-11:00)",
            "minutes": 30,
        }
    ]
    text = run(agenda, "clashes").stdout
    assert text.splitlines()[-1] == "No clashes; 1 backup overlapping a pick"
    assert run(agenda, "clashes", "--strict").exit_code == 0
    # A firm pick overlapping the firm one is still a clash.
    assert run(agenda, "pick", "other").exit_code == 0
    assert run(agenda, "clashes", "--strict").exit_code == 1


def test_the_agenda_says_backup_for(tmp_path: Path) -> None:
    agenda = with_backup(tmp_path)
    assert run(agenda, "pick", "later", "--maybe").exit_code == 0
    text = run(agenda, "agenda").stdout
    assert "backup for firm" in text and "backup: backup" in text
    lines = text.splitlines()
    later = next(n for n, line in enumerate(lines) if line.endswith("later"))
    assert lines[later + 1].strip() == "backup"  # a backup overlapping nothing
    assert "No clashes." in lines
    items = json.loads(run(agenda, "agenda", "--json").stdout)["items"]
    assert {i["id"]: i["status"] for i in items} == {
        "firm": "picked",
        "backup": "backup",
        "later": "backup",
    }


def test_re_picking_switches_between_backup_and_firm(tmp_path: Path) -> None:
    agenda = with_backup(tmp_path)
    result = run(agenda, "pick", "backup")
    assert result.stdout == f"{BACKUP} is now a firm pick\n"
    assert f"Warning: {FIRM} and {BACKUP} overlap by 30 minutes" in result.stderr
    assert run(agenda, "pick", "backup", "--maybe").stdout == f"{BACKUP} is now a backup\n"
    assert run(agenda, "pick", "backup", "--maybe").stdout.startswith(f"{BACKUP} is already")


def test_export_leaves_backups_out_unless_asked(tmp_path: Path) -> None:
    agenda = with_backup(tmp_path)
    plain = run(agenda, "export", "-o", str(tmp_path / "plain.ics"))
    assert plain.exit_code == 0 and "1 event," in plain.stdout
    assert "backup is a backup" not in plain.stderr
    text = (tmp_path / "plain.ics").read_text()
    assert "UID:firm@" in text and "UID:backup@" not in text
    both = run(agenda, "export", "--with-backups", "-o", str(tmp_path / "both.ics"))
    assert both.exit_code == 0 and "2 events," in both.stdout
    events = (tmp_path / "both.ics").read_text().split("BEGIN:VEVENT")[1:]
    backup = next(event for event in events if "UID:backup@" in event)
    firm = next(event for event in events if "UID:firm@" in event)
    assert "TRANSP:TRANSPARENT" in backup and "STATUS:TENTATIVE" in backup
    assert "TRANSP:" not in firm and "STATUS:" not in firm


def test_plan_keeps_firm_picks_and_chooses_among_backups(tmp_path: Path) -> None:
    agenda = with_backup(tmp_path)
    assert run(agenda, "pick", "later", "--maybe").exit_code == 0
    plan = json.loads(run(agenda, "plan", "compilers", "--json").stdout)
    # backup overlaps the firm pick, so the plan cannot take it; later it may, and does.
    assert [i["id"] for i in plan["items"]] == ["firm", "later"]
    assert plan["kept"] == ["firm", "later"] and plan["added"] == [] and plan["dropped"] == []
    # From scratch, the better-scoring backup replaces the firm pick.
    replaced = json.loads(run(agenda, "plan", "compilers", "--replace", "--json").stdout)
    assert [i["id"] for i in replaced["items"]] == ["backup", "later"]
    assert replaced["dropped"] == ["firm"]


def test_a_version_3_agenda_is_migrated_with_a_backup_file(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    shutil.copy(V3_AGENDA, agenda)
    assert run(agenda, "agenda").exit_code == 0
    assert agenda.read_bytes() == V3_AGENDA.read_bytes()  # reading never writes
    assert run(agenda, "pick", "backup", "--maybe").exit_code == 0
    assert agenda.with_name("agenda.json.v3.bak").read_bytes() == V3_AGENDA.read_bytes()
    stored = json.loads(agenda.read_text())
    assert stored["version"] == 4
    assert [(p["id"], p["maybe"]) for p in stored["picks"]] == [("firm", False), ("backup", True)]


def _event(path: Path, uid: str) -> str:
    events = path.read_text().split("BEGIN:VEVENT")[1:]
    return next(event for event in events if f"UID:{uid}@" in event)


def test_making_an_exported_backup_firm_raises_its_sequence_once(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    ics = tmp_path / "agenda.ics"
    assert run(agenda, "pick", "backup", "--maybe").exit_code == 0
    assert run(agenda, "export", "--with-backups", "-o", str(ics)).exit_code == 0
    written = _event(ics, "backup")
    assert "SEQUENCE:0" in written
    assert "STATUS:TENTATIVE" in written and "TRANSP:TRANSPARENT" in written
    assert run(agenda, "pick", "backup").stdout == f"{BACKUP} is now a firm pick\n"
    assert json.loads(agenda.read_text())["picks"][0]["exported_maybe"] is True
    assert run(agenda, "export", "--with-backups", "-o", str(ics)).exit_code == 0
    firm = _event(ics, "backup")
    assert "SEQUENCE:1" in firm  # calendars take the new STATUS and TRANSP
    assert "STATUS:" not in firm and "TRANSP:" not in firm
    stored = json.loads(agenda.read_text())["picks"][0]
    assert stored["sequence"] == 1 and "exported_maybe" not in stored
    assert run(agenda, "export", "--with-backups", "-o", str(ics)).exit_code == 0
    assert "SEQUENCE:1" in _event(ics, "backup")
    # And back: a firm pick made a backup is written TENTATIVE with the next SEQUENCE.
    assert run(agenda, "pick", "backup", "--maybe").exit_code == 0
    assert run(agenda, "export", "--with-backups", "-o", str(ics)).exit_code == 0
    again = _event(ics, "backup")
    assert "SEQUENCE:2" in again and "STATUS:TENTATIVE" in again


def test_a_switch_waits_for_an_export_that_holds_the_pick(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    ics = tmp_path / "agenda.ics"
    assert run(agenda, "pick", "firm").exit_code == 0
    assert run(agenda, "export", "-o", str(ics)).exit_code == 0
    # Made a backup, then firm again before any export: calendars hold it as it is.
    assert run(agenda, "pick", "firm", "--maybe").exit_code == 0
    assert run(agenda, "pick", "firm").exit_code == 0
    assert "exported_maybe" not in agenda.read_text()
    assert run(agenda, "export", "-o", str(ics)).exit_code == 0
    assert "SEQUENCE:0" in _event(ics, "firm")
    # A backup is not in a plain export: the switch stays pending until one holds it.
    assert run(agenda, "pick", "firm", "--maybe").exit_code == 0
    assert run(agenda, "pick", "other").exit_code == 0
    assert run(agenda, "export", "-o", str(ics)).exit_code == 0
    assert json.loads(agenda.read_text())["picks"][0]["exported_maybe"] is False
    assert run(agenda, "export", "--with-backups", "-o", str(ics)).exit_code == 0
    backup = _event(ics, "firm")
    assert "SEQUENCE:1" in backup and "STATUS:TENTATIVE" in backup


@pytest.mark.parametrize("fmt", ["ics", "html"])
def test_an_agenda_of_only_backups_says_how_to_export_them(tmp_path: Path, fmt: str) -> None:
    agenda = tmp_path / "agenda.json"
    assert run(agenda, "pick", "backup", "later", "--maybe").exit_code == 0
    target = tmp_path / f"agenda.{fmt}"
    result = run(agenda, "export", "--format", fmt, "-o", str(target))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "Error: the agenda for backup-beside-pick holds only backups (2, picked with --maybe), "
        "which an export leaves out; export them with `planner export --with-backups`, or make "
        "one firm with `planner pick ID`\n"
    )
    assert not target.exists()
    assert (
        run(agenda, "export", "--format", fmt, "--with-backups", "-o", str(target)).exit_code == 0
    )
    assert run(agenda, "pick", "later").exit_code == 0
    assert run(agenda, "export", "--format", fmt, "-o", str(target)).exit_code == 0
