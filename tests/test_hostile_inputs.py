"""Hostile input, round two (issue 16): one ``Error:`` line and exit 2, or the file loads.

Organised by case: instants at the ends of time, huge durations, wide CSV headers, huge XML
attributes, special files and symlinks as the agenda, deep JSON agendas, usage errors,
newer native versions, and the wording of two refusals. Fixtures are in tests/fixtures/bad/
(also listed in its MANIFEST.json, so tests/test_bad_inputs.py runs them in real processes);
big ones are generated here. Growth of the once-quadratic cases is measured in
bench/hostile_growth.py, never timed here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import cli

BAD = Path(__file__).parent / "fixtures" / "bad"
FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny_program.json"
NOW = "2024-05-01T08:30:00+00:00"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner(env={"PLANNER_NOW": NOW}).invoke(cli, list(args), prog_name="planner")


def one_error_line(result, *fragments: str) -> str:  # type: ignore[no-untyped-def]
    """The single stderr line of a refusal (exit 2, nothing on stdout, no traceback)."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# --- usage errors: one line with the --help hint inside ---------------------------------


def test_an_agenda_that_is_a_folder_is_one_usage_line(tmp_path: Path) -> None:
    line = one_error_line(
        run("--program", str(TINY), "--agenda", str(tmp_path), "talks"), "is a directory"
    )
    assert line.endswith("(see 'planner --help')")


def test_an_unknown_option_is_one_usage_line() -> None:
    one_error_line(run("--bogus"), "No such option '--bogus'", "(see 'planner --help')")


def test_a_bad_option_of_a_command_points_at_that_commands_help() -> None:
    one_error_line(
        run("--program", str(TINY), "talks", "--kind", "lecture"),
        "'lecture' is not one of",
        "(see 'planner talks --help')",
    )


# --- instants at the ends of time (supported: years 1900 to 2200) ------------------------

OUT_OF_RANGE = [
    ("native_year_9999.json", "item 'last-talk' is at 9999-12-31T23:30:00-14:00"),
    ("frab_year_0001.xml", "event 1 'Late night': 0001-01-01 23:30"),
    ("frab_year_9999.xml", "event 1 'Late night': 9999-12-31 23:30"),
    ("csv_year_9999.csv", "item 'a-talk' is at 9999-12-31T23:00:00+00:00"),
    ("ics_year_9999_utc.ics", "9999-12-31 23:30"),
    ("ics_year_9999_local.ics", "9999-12-31 23:30"),
    ("ics_year_1.ics", "0001-01-01 00:30"),
    ("c3voc_year_9999.json", "shown in Pacific/Kiritimati"),
]


@pytest.mark.parametrize("command", [["talks"], ["--tz", "America/New_York", "talks"]])
@pytest.mark.parametrize(("name", "fragment"), OUT_OF_RANGE)
def test_a_time_outside_the_supported_years_is_refused_at_load(
    name: str, fragment: str, command: list[str]
) -> None:
    path = BAD / name
    one_error_line(
        run("--program", str(path), *command),
        f"Error: {path}: ",
        fragment,
        "outside the years 1900 to 2200 planner supports",
    )


EDGE = FIXTURES / "year_2200_edge.json"


def test_the_last_supported_hours_load_and_show_in_utc() -> None:
    result = run("--program", str(EDGE), "talks")
    assert result.exit_code == 0, result.output
    assert "Wednesday 31 December 2200" in result.stdout


def test_a_display_zone_that_pushes_a_time_past_2200_is_an_error() -> None:
    one_error_line(
        run("--program", str(EDGE), "--tz", "Pacific/Kiritimati", "talks"),
        "2200-12-31T22:00:00+00:00 shown in Pacific/Kiritimati lies outside the years 1900 to 2200",
    )


def test_an_export_zone_that_pushes_a_time_past_2200_is_an_error(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    picked = run("--program", str(EDGE), "--agenda", str(agenda), "pick", "new-year")
    assert picked.exit_code == 0, picked.output
    for extra in (["-o", str(tmp_path / "a.ics")], ["--format", "html", "--all"]):
        one_error_line(
            run(
                "--program",
                str(EDGE),
                "--agenda",
                str(agenda),
                "--tz",
                "Pacific/Kiritimati",
                "export",
                *extra,
            ),
            "shown in Pacific/Kiritimati lies outside the years 1900 to 2200",
        )
    assert not (tmp_path / "a.ics").exists()


# --- durations: an item lasts at most 31 days (refused beyond) -----------------------------


def test_a_huge_ics_duration_is_refused_naming_the_event() -> None:
    path = BAD / "ics_huge_duration.ics"
    one_error_line(
        run("--program", str(path), "talks"),
        "UID long@example.com",
        "longer than the 31 days planner reads for one item",
    )


def test_an_item_of_forty_days_is_refused() -> None:
    path = BAD / "ics_forty_day_duration.ics"
    one_error_line(run("--program", str(path), "talks"), "item 'long' lasts 40 days")


def test_an_item_of_31_days_loads(tmp_path: Path) -> None:
    text = (
        (BAD / "ics_forty_day_duration.ics").read_text().replace("DTEND:20240720", "DTEND:20240711")
    )
    path = tmp_path / "month.ics"
    path.write_text(text)
    assert run("--program", str(path), "talks").exit_code == 0


# --- a newer native version ---------------------------------------------------------------


def test_a_native_program_of_a_newer_version_is_refused_naming_the_planner_needed() -> None:
    from planner import __version__

    path = BAD / "native_version_99.json"
    one_error_line(
        run("--program", str(path), "check"),
        "format version 99",
        f"it needs a planner newer than {__version__}",
    )


def test_the_current_native_version_still_loads() -> None:
    assert run("--program", str(TINY), "talks").exit_code == 0


# --- wording of two refusals ----------------------------------------------------------------


def test_an_xml_file_with_entity_declarations_says_they_are_refused() -> None:
    path = BAD / "frab_entity_without_schedule.xml"
    one_error_line(
        run("--program", str(path), "talks"),
        "declares the XML entity 'lol'",
        "planner refuses entity declarations",
    )


def test_an_absurd_rrule_count_is_called_that() -> None:
    path = BAD / "ics_rrule_absurd_count.ics"
    line = one_error_line(run("--program", str(path), "talks"), "COUNT=999999999999 is an absurd")
    assert "not a recurrence rule" not in line


# --- special files as the agenda or the program: refused without blocking ------------------


def agenda_run(agenda: Path, *args: str):  # type: ignore[no-untyped-def]
    return run("--program", str(TINY), "--agenda", str(agenda), *args)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    import os

    path = tmp_path / "agenda.fifo"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", [["pick", "alpha"], ["agenda"]])
def test_a_fifo_as_the_agenda_is_refused_without_blocking(fifo: Path, command: list[str]) -> None:
    one_error_line(
        agenda_run(fifo, *command), f"{fifo}: is a FIFO (named pipe), not a regular file"
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_as_the_agenda_is_refused_before_reading(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"needs {device}")
    one_error_line(agenda_run(Path(device), "pick", "alpha"), f"{device}: is a device")


def test_a_fifo_as_the_program_is_not_called_missing(fifo: Path) -> None:
    line = one_error_line(run("--program", str(fifo), "talks"), "is a FIFO (named pipe)")
    assert "no such program file" not in line


def test_an_agenda_larger_than_the_cap_is_refused(tmp_path: Path) -> None:
    from planner.agenda import MAX_AGENDA_BYTES

    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(MAX_AGENDA_BYTES + 1)  # sparse: no disk, no time
    one_error_line(agenda_run(path, "agenda"), "larger than the 64 MB planner reads")


# --- a 100,000-deep JSON agenda ---------------------------------------------------------------


def test_a_deeply_nested_agenda_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.agenda.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    before = path.read_bytes()
    one_error_line(agenda_run(path, "pick", "alpha"), "nested too deeply")
    assert path.read_bytes() == before


# --- a symlinked agenda keeps its link ----------------------------------------------------------


def test_a_pick_through_a_symlink_updates_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    synced = tmp_path / "synced"
    synced.mkdir()
    real = synced / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert agenda_run(link, "pick", "alpha").exit_code == 0
    assert agenda_run(link, "pick", "gamma").exit_code == 0
    assert link.is_symlink() and link.resolve() == real
    import json

    assert [pick["id"] for pick in json.loads(real.read_text())["picks"]] == ["alpha", "gamma"]
    assert (synced / "real.json.lock").exists()
    assert not (tmp_path / "link.json.lock").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link.json", "synced"]


def test_a_chain_of_links_is_followed_to_the_end(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    middle = tmp_path / "middle.json"
    link = tmp_path / "link.json"
    middle.symlink_to(real)
    link.symlink_to(middle)
    assert agenda_run(link, "pick", "alpha").exit_code == 0
    assert middle.is_symlink() and link.is_symlink() and real.is_file()


# --- wide CSV headers and huge XML attributes (once quadratic) -------------------------------


def test_a_csv_header_of_more_than_a_thousand_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    names = ["title", "start", "end", "room"] + [f"extra{n}" for n in range(200_000)]
    path.write_text(",".join(names) + "\nTalk,2024-06-10 09:00,2024-06-10 10:00,A\n")
    one_error_line(
        run("--program", str(path), "--program-tz", "UTC", "talks"),
        "row 1 (the header) has 200004 columns; planner reads at most 1000",
    )


def test_a_csv_header_repeating_a_name_among_a_thousand_says_which(tmp_path: Path) -> None:
    path = tmp_path / "repeated.csv"
    names = ["title", "start", "end", "room"] + [f"extra{n}" for n in range(995)] + ["room"]
    path.write_text(",".join(names) + "\n")
    one_error_line(
        run("--program", str(path), "--program-tz", "UTC", "talks"),
        "row 1 (the header) names room twice",
    )


def test_a_frab_file_with_a_60_mb_attribute_loads(tmp_path: Path) -> None:
    text = (FIXTURES / "frab_offsets.xml").read_text(encoding="utf-8")
    huge = "x" * (60 * 1024 * 1024)
    path = tmp_path / "huge_attribute.xml"
    path.write_text(
        text.replace(
            "<title>Opening keynote</title>", f'<title note="{huge}">Opening keynote</title>', 1
        )
    )
    result = run("--program", str(path), "talks", "--search", "keynote")
    assert result.exit_code == 0, result.output
    assert "Opening keynote" in result.stdout


def test_a_bug_is_one_error_line_and_exit_2_never_a_trace(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from planner import cli as face
    from planner import present

    def broken(*args: object, **kwargs: object) -> str:
        raise TypeError("a bug")

    monkeypatch.setattr(present, "talks_text", broken)
    monkeypatch.setattr(face.App, "one_command_process", False)  # main sets it; put it back
    monkeypatch.setattr(sys, "argv", ["planner", "talks"])
    monkeypatch.delenv("PLANNER_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exited:
        face.main()
    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        "Error: internal error (TypeError: a bug); please report it "
        "(PLANNER_DEBUG=1 shows where it happened)\n"
    )
    monkeypatch.setenv("PLANNER_DEBUG", "1")
    with pytest.raises(TypeError, match="a bug"):
        face.main()
