"""`planner export` from the command line: paths, stdout, warnings, errors, output safety."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planner.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny_program.json"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run planner in an empty folder with its own agenda file and a pinned clock."""
    monkeypatch.chdir(tmp_path)
    env = {
        "PLANNER_AGENDA": str(tmp_path / "agenda.json"),
        "PLANNER_NOW": "2022-08-01T09:30:00+00:00",
        "PLANNER_TZ": None,
        "PLANNER_PROGRAM": None,
    }

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)

    return invoke


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_default_path_and_summary(run, tmp_path: Path) -> None:
    assert run("pick", "deeppool", "invited-talk").exit_code == 0
    result = run("export")
    assert result.exit_code == 0
    assert (
        result.stdout == "Wrote exports/mlsys2022-agenda.ics: 2 events, zone America/Los_Angeles\n"
    )
    data = (tmp_path / "exports" / "mlsys2022-agenda.ics").read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//planner//")
    assert b"DTSTART;TZID=America/Los_Angeles:20220830T150900" in data
    assert b"DTSTAMP:20220801T093000Z" in data


def test_dash_writes_only_the_calendar_to_stdout(run) -> None:
    run("pick", "deeppool")
    result = run("export", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")  # bytes exactly as written
    assert result.stdout_bytes.endswith(b"END:VCALENDAR\r\n")
    assert result.stderr == "Wrote the export to stdout: 1 event, zone America/Los_Angeles\n"


def test_zone_options(run) -> None:
    run("pick", "deeppool")
    assert "X-WR-TIMEZONE:Asia/Kolkata" in run("--tz", "Asia/Kolkata", "export", "-o", "-").stdout
    berlin = run("--tz", "Asia/Kolkata", "export", "--tz", "Europe/Berlin", "-o", "-").stdout
    assert "DTSTART;TZID=Europe/Berlin:20220831T000900" in berlin
    utc = run("export", "--utc", "-o", "-")
    assert "DTSTART:20220830T220900Z" in utc.stdout and "VTIMEZONE" not in utc.stdout
    assert "zone UTC" in utc.stderr


def test_zone_whose_rules_changed_says_so_on_stderr(run) -> None:
    run("pick", "deeppool")
    result = run("export", "--tz", "America/Mexico_City", "-o", "-")
    assert result.exit_code == 0
    assert "DTSTART:20220830T220900Z" in result.stdout
    assert "Warning: times written in UTC" in result.stderr
    assert "zone America/Mexico_City (times written in UTC)" in result.stderr


def test_unknown_zone_suggests_close_names(run) -> None:
    run("pick", "deeppool")
    line = one_error_line(run("export", "--tz", "Europe/Berln"))
    assert "did you mean Europe/Berlin" in line


def test_tz_and_utc_together_are_refused(run) -> None:
    result = run("export", "--tz", "Europe/Berlin", "--utc")
    assert result.exit_code == 2 and "either --tz ZONE or --utc" in result.stderr


def test_empty_agenda_says_how_to_pick(run, tmp_path: Path) -> None:
    line = one_error_line(run("export"))
    assert "nothing picked yet; pick talks with `planner pick ID`" in line
    assert not (tmp_path / "exports").exists()


def test_clashes_are_warned_and_the_export_still_written(run, tmp_path: Path) -> None:
    run("pick", "sparsity-tutorial", "hardware-efficient-ml")
    result = run("export")
    assert result.exit_code == 0
    assert result.stderr == "Warning: 1 clash (planner clashes)\n"
    assert (tmp_path / "exports" / "mlsys2022-agenda.ics").is_file()


def test_time_to_be_announced_items_listed_on_stderr(run) -> None:
    run("--program", str(TINY), "pick", "alpha", "later")
    result = run("--program", str(TINY), "export", "-o", "-")
    assert result.exit_code == 0
    assert "Left out (time to be announced): later: Dinner, time to be announced" in result.stderr
    assert "UID:alpha@tiny2024.planner" in result.stdout and "later@" not in result.stdout


def test_agenda_default_alarm_applies_unless_given(run) -> None:
    run("pick", "deeppool")
    assert run("settings", "--alarm", "10").exit_code == 0
    assert "TRIGGER:-PT10M" in run("export", "-o", "-").stdout
    assert "TRIGGER:-PT5M" in run("export", "--alarm", "5", "-o", "-").stdout


def test_name_option(run) -> None:
    run("pick", "deeppool")
    assert "X-WR-CALNAME:Trip\\, day 1" in run("export", "--name", "Trip, day 1", "-o", "-").stdout


# --- output safety -----------------------------------------------------------------------------


def test_foreign_file_is_not_overwritten_without_force(run, tmp_path: Path) -> None:
    run("pick", "deeppool")
    notes = tmp_path / "notes.ics"
    notes.write_text("my own notes\n")
    line = one_error_line(run("export", "-o", str(notes)))
    assert "is not an earlier planner export" in line and "--force" in line
    assert notes.read_text() == "my own notes\n"
    assert run("export", "-o", str(notes), "--force").exit_code == 0
    assert notes.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert run("export", "-o", str(notes)).exit_code == 0  # now an earlier export


def test_output_into_a_missing_folder_creates_it(run, tmp_path: Path) -> None:
    run("pick", "deeppool")
    result = run("export", "-o", "trip/day-1/agenda.ics")
    assert result.exit_code == 0
    assert (tmp_path / "trip" / "day-1" / "agenda.ics").is_file()


def test_output_that_is_a_folder_is_an_error(run, tmp_path: Path) -> None:
    run("pick", "deeppool")
    (tmp_path / "out").mkdir()
    assert "is a folder" in one_error_line(run("export", "-o", "out"))


def moved_tiny(tmp_path: Path, start: str, end: str) -> Path:
    """The tiny program with the keynote gamma moved to ``start``-``end`` (same day, same zone)."""
    import json

    data = json.loads(TINY.read_text())
    gamma = next(item for item in data["items"] if item["id"] == "gamma")
    day, offset = gamma["start"][:11], gamma["start"][19:]
    gamma["start"], gamma["end"] = f"{day}{start}:00{offset}", f"{day}{end}:00{offset}"
    path = tmp_path / f"tiny-{start.replace(':', '')}.json"
    path.write_text(json.dumps(data))
    return path


def exported_sequence(run, program: Path) -> int:
    result = run("--program", str(program), "export", "-o", "-")
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stdout.splitlines() if line.startswith("SEQUENCE:")]
    return int(line.removeprefix("SEQUENCE:"))


def test_sequence_rises_with_every_change_exported_and_never_falls(run, tmp_path: Path) -> None:
    import json

    original = json.loads(TINY.read_text())
    first = next(item for item in original["items"] if item["id"] == "gamma")
    at_first = (first["start"][11:16], first["end"][11:16])
    assert run("--program", str(TINY), "pick", "gamma").exit_code == 0
    agenda_file = tmp_path / "agenda.json"
    unchanged = agenda_file.read_bytes()
    assert exported_sequence(run, TINY) == 0
    assert agenda_file.read_bytes() == unchanged  # nothing to remember

    moved = [moved_tiny(tmp_path, "12:00", "13:00"), moved_tiny(tmp_path, "14:00", "15:00")]
    assert [exported_sequence(run, program) for program in moved] == [1, 2]
    assert exported_sequence(run, moved[1]) == 2  # the same again: no rise
    back = moved_tiny(tmp_path, *at_first)
    assert exported_sequence(run, back) == 3  # moved back to where it was picked: still a change
    assert run("--program", str(back), "pick", "gamma").exit_code == 0  # confirms what was sent
    assert exported_sequence(run, back) == 3


def picked_then_moved(run, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Pick the keynote gamma, then a program where it moved: the next export raises SEQUENCE."""
    assert run("--program", str(TINY), "pick", "gamma").exit_code == 0
    return moved_tiny(tmp_path, "12:00", "13:00")


def test_an_export_that_raises_a_sequence_waits_for_the_lock_before_writing(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    from planner import agenda

    moved = picked_then_moved(run, tmp_path)
    monkeypatch.setattr(agenda.store, "LOCK_TIMEOUT_SECONDS", 0.2)
    with open(tmp_path / "agenda.json.lock", "a+") as held:  # another planner is saving
        fcntl.flock(held, fcntl.LOCK_EX)
        busy = run("--program", str(moved), "export", "-o", "moved.ics")
    assert busy.exit_code == 2 and "another planner has been changing this agenda" in busy.stderr
    assert not (tmp_path / "moved.ics").exists()  # no file whose SEQUENCE the agenda lacks
    assert exported_sequence(run, moved) == 1


def test_the_export_is_written_after_the_agenda_lock_is_released(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow reader of `export -o -` must not hold up other planner commands."""
    import fcntl

    import planner.files

    moved = picked_then_moved(run, tmp_path)
    original = planner.files.write_atomic
    lock_free_at_write: list[bool] = []

    def checking_write(path: Path, data: bytes) -> None:
        if Path(path).suffix == ".ics":
            with open(tmp_path / "agenda.json.lock", "a+") as probe:
                try:
                    fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    lock_free_at_write.append(True)
                except BlockingIOError:
                    lock_free_at_write.append(False)
        original(path, data)

    monkeypatch.setattr(planner.files, "write_atomic", checking_write)
    assert run("--program", str(moved), "export", "-o", "moved.ics").exit_code == 0
    assert lock_free_at_write == [True]
    assert "SEQUENCE:1" in (tmp_path / "moved.ics").read_text()


def without_item(tmp_path: Path, item_id: str) -> Path:
    import json

    data = json.loads(TINY.read_text())
    data["items"] = [item for item in data["items"] if item["id"] != item_id]
    path = tmp_path / f"tiny-without-{item_id}.json"
    path.write_text(json.dumps(data))
    return path


def vevent_of(text: str, uid: str) -> list[str]:
    lines = text.replace("\r\n ", "").splitlines()
    start = lines.index(f"UID:{uid}") if f"UID:{uid}" in lines else -1
    assert start >= 0, text
    begin = max(i for i in range(start) if lines[i] == "BEGIN:VEVENT")
    end = next(i for i in range(start, len(lines)) if lines[i] == "END:VEVENT")
    return lines[begin:end]


def test_a_vanished_pick_is_exported_cancelled_with_a_raised_sequence_until_dropped(
    run, tmp_path: Path
) -> None:
    assert run("--program", str(TINY), "pick", "gamma", "alpha").exit_code == 0
    first = run("--program", str(TINY), "export", "-o", "-")
    assert "STATUS:CANCELLED" not in first.stdout
    gone = without_item(tmp_path, "gamma")
    exported = run("--program", str(gone), "export", "-o", "-")
    assert exported.exit_code == 0, exported.output
    assert exported.stderr.startswith(
        "Wrote the export to stdout: 2 events, zone Europe/Berlin (1 cancelled: no longer in "
        "the program)"
    )
    event = vevent_of(exported.stdout, "gamma@tiny2024.planner")
    assert "STATUS:CANCELLED" in event and "SEQUENCE:1" in event
    assert any(line.startswith("SUMMARY:") for line in event)  # the title calendars know
    assert "SEQUENCE:0" in vevent_of(exported.stdout, "alpha@tiny2024.planner")
    again = run("--program", str(gone), "export", "-o", "-").stdout
    assert "SEQUENCE:1" in vevent_of(again, "gamma@tiny2024.planner")  # no rise: no news
    back = run("--program", str(TINY), "export", "-o", "-").stdout  # it came back
    assert "STATUS:CANCELLED" not in vevent_of(back, "gamma@tiny2024.planner")
    assert "SEQUENCE:2" in vevent_of(back, "gamma@tiny2024.planner")
    run("--program", str(gone), "export", "-o", "-")  # cancelled again: SEQUENCE 3
    assert run("--program", str(gone), "drop", "gamma").exit_code == 0
    dropped = run("--program", str(gone), "export", "-o", "-").stdout
    assert "gamma@tiny2024.planner" not in dropped
