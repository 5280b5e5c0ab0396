"""Any program, from any format, can be browsed, picked from, checked and exported alike."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from planner.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

PROGRAMS = {
    "native": (FIXTURES / "overlapping_talks.json", []),
    "daypage": (ROOT / "data" / "mlsys2022-tue-30-aug.txt", []),
    "frab": (FIXTURES / "frab_offsets.xml", []),
    "c3voc": (FIXTURES / "pretalx_democon.schedule.json", []),
    "sitejson": (FIXTURES / "sitejson_oral_and_poster.json", ["--program-tz", "US/Pacific"]),
    "ics": (FIXTURES / "ics_utc.ics", []),
    "csv": (FIXTURES / "csv_example.csv", ["--program-tz", "Europe/Berlin"]),
}


def invoke(args: list[str], tmp_path: Path) -> tuple[int, str]:
    env = {"PLANNER_NOW": "2020-01-01T00:00:00+00:00", "NO_COLOR": "1"}
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("fmt", sorted(PROGRAMS))
def test_a_program_in_any_format_goes_from_browsing_to_a_calendar(fmt: str, tmp_path: Path) -> None:
    path, options = PROGRAMS[fmt]
    base = [
        "--program",
        str(path),
        "--program-format",
        fmt,
        *options,
        "--agenda",
        str(tmp_path / "a.json"),
    ]

    code, listing = invoke([*base, "talks", "--json"], tmp_path)
    assert code == 0
    items = json.loads(listing)
    timed = [
        item for item in items if item["start"] and item["kind"] not in ("session", "tutorial")
    ]
    assert len(timed) >= 2, f"{fmt} fixture has fewer than two timed items"
    picked = timed[:2]

    code, _ = invoke([*base, "pick", *(item["id"] for item in picked)], tmp_path)
    assert code == 0
    code, clash_list = invoke([*base, "clashes", "--json"], tmp_path)
    assert code == 0 and isinstance(json.loads(clash_list), list)
    code, _ = invoke([*base, "check", "--json"], tmp_path)
    assert code in (0, 1)

    calendar_file = tmp_path / "agenda.ics"
    code, _ = invoke([*base, "export", "-o", str(calendar_file)], tmp_path)
    assert code == 0
    events = Calendar.from_ical(calendar_file.read_bytes()).walk("VEVENT")
    by_uid = {str(event["UID"]): event for event in events}
    program_id = _program_id(base, tmp_path)
    for item in picked:
        # A frab/c3voc item shows its short id; its UID keeps the GUID, as exports always did.
        event = by_uid[f"{item['guid'] or item['id']}@{program_id}.planner"]
        assert event.decoded("DTSTART") == datetime.fromisoformat(item["start"])
        assert event.decoded("DTEND") == datetime.fromisoformat(item["end"])
        assert str(event["SUMMARY"]) == item["title"]


def _program_id(base: list[str], tmp_path: Path) -> str:
    agenda = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    return agenda["program_id"]


ROUND_TRIPS = {
    "c3voc": ("pretalx_democon.schedule.json", "democon", 36),
    "csv": ("csv_example.csv", "csv_example", 9),
    "frab": ("frab_offsets.xml", "pyconin2024", 4),
    "ics": ("ics_recurring.ics", "eurodst-conf", 8),
    "sitejson": ("sitejson_tba.json", "icml2024", 2),
}


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIPS))
def test_import_writes_native_json_that_lists_the_same_items(fmt: str, tmp_path: Path) -> None:
    name, program_id, count = ROUND_TRIPS[fmt]
    out = tmp_path / "program.json"
    runner = CliRunner()
    imported = runner.invoke(cli, ["import", str(FIXTURES / name), "-o", str(out)])
    assert imported.exit_code == 0, imported.output
    assert f"{count} items" in imported.stderr
    direct = runner.invoke(cli, ["--program", str(FIXTURES / name), "talks", "--json"])
    again = runner.invoke(cli, ["--program", str(out), "talks", "--json"])
    assert direct.exit_code == again.exit_code == 0
    assert json.loads(again.output) == json.loads(direct.output)
    assert len(json.loads(direct.output)) == count
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == program_id


def test_import_overwrites_an_earlier_program_but_nothing_else_without_force(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    source = FIXTURES / "frab_offsets.xml"
    out = tmp_path / "program.json"
    assert runner.invoke(cli, ["import", str(source), "-o", str(out)]).exit_code == 0
    assert runner.invoke(cli, ["import", str(source), "-o", str(out)]).exit_code == 0  # again
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(json.loads(out.read_text()), separators=(",", ":")))
    assert runner.invoke(cli, ["import", str(source), "-o", str(compact)]).exit_code == 0

    precious = tmp_path / "agenda.json"
    precious.write_text('{"version": 2, "program_id": "x", "picks": []}\n')
    refused = runner.invoke(cli, ["import", str(source), "-o", str(precious)])
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"Error: {precious}: exists and is not a planner program (an agenda, the source "
        "itself?); use --force to overwrite it, or -o another file\n"
    )
    assert precious.read_text() == '{"version": 2, "program_id": "x", "picks": []}\n'
    forced = runner.invoke(cli, ["import", str(source), "-o", str(precious), "--force"])
    assert forced.exit_code == 0
    assert json.loads(precious.read_text())["id"] == "pyconin2024"
