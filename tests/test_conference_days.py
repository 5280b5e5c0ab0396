"""Conference days: an item is listed under the day the program gives it (frab/Pentabarf
<day start end>, c3voc day_start/day_end), else under its date with the day changing at
04:00 (the file's day_change, --day-change HH:MM); in talks, agenda, the HTML timetable and
--day. Instants never change."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.loading import fixture, run

from planner.agenda import Agenda, Pick, Snapshot
from planner.cli import cli
from planner.days import ConferenceDays, with_day_change
from planner.export.html import to_html
from planner.model import ConferenceDay, Program
from planner.sources import load
from planner.timezones import conference_date

FRAB = fixture("night_congress_frab.xml")
C3VOC = fixture("night_congress_c3voc.json")
CSV = fixture("csv_night_items.csv")
FOUR = time(4, 0)
NOW = datetime.fromisoformat("2019-12-20T12:00+01:00")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def headings(*args: str) -> list[str]:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if "(times in" in line]


def listed(*args: str) -> dict[str, list[str]]:
    """Titles under each day heading of `talks`."""
    result = run(*args)
    assert result.exit_code == 0, result.output
    days: dict[str, list[str]] = {}
    current = ""
    for line in result.stdout.splitlines():
        if "(times in" in line:
            current = line.split(" (")[0]
            days[current] = []
        elif line.startswith("  ") and current:
            days[current].append(line.split("  ")[-1].strip())
    return days


# --- frab: the days the file gives ---


def test_frab_night_items_belong_to_the_day_before() -> None:
    assert listed("--program", FRAB, "talks") == {
        "Friday 27 December 2019": [
            "Opening ceremony",
            "Soldering for beginners",
            "Tapping fibre optics",
            "Chiptune night",  # 01:30 on Saturday morning: Friday's night
        ],
        "Saturday 28 December 2019": [
            "Who watches the watchers",
            "Lightning talks",
            "Last set before sunrise",  # 03:00 on Sunday morning
        ],
    }


def test_instants_never_change() -> None:
    program = load(FRAB)
    assert [item.start for item in program.items] == [
        at("2019-12-27T11:00+01:00"),
        at("2019-12-27T23:30+01:00"),
        at("2019-12-27T14:00+01:00"),
        at("2019-12-28T01:30+01:00"),
        at("2019-12-28T12:00+01:00"),
        at("2019-12-28T18:00+01:00"),
        at("2019-12-29T03:00+01:00"),
    ]
    moved = with_day_change(program, time(0, 0))
    assert [item.start for item in moved.items] == [item.start for item in program.items]
    result = run("--program", FRAB, "talks", "--json", "--day", "2019-12-27")
    night = json.loads(result.stdout)[-1]
    assert (night["title"], night["start"]) == ("Chiptune night", "2019-12-28T01:30:00+01:00")


def test_frab_days_are_kept_on_the_program() -> None:
    program = load(FRAB)
    assert program.days == [
        ConferenceDay(
            date=date(2019, 12, 27),
            start=at("2019-12-27T10:00+01:00"),
            end=at("2019-12-28T04:00+01:00"),
        ),
        ConferenceDay(
            date=date(2019, 12, 28),
            start=at("2019-12-28T10:00+01:00"),
            end=at("2019-12-29T04:00+01:00"),
        ),
    ]


def test_day_option_picks_a_conference_day() -> None:
    friday = listed("--program", FRAB, "talks", "--day", "2019-12-27")
    assert friday["Friday 27 December 2019"][-1] == "Chiptune night"
    saturday = listed("--program", FRAB, "talks", "--day", "2019-12-28")
    assert "Chiptune night" not in saturday["Saturday 28 December 2019"]
    assert run("--program", FRAB, "talks", "--day", "2019-12-29").stdout == "No items match.\n"


def test_day_change_option_wins_over_the_files_days() -> None:
    assert headings("--program", FRAB, "--day-change", "00:00", "talks") == [
        "Friday 27 December 2019 (times in Europe/Berlin, UTC+01:00)",
        "Saturday 28 December 2019 (times in Europe/Berlin, UTC+01:00)",
        "Sunday 29 December 2019 (times in Europe/Berlin, UTC+01:00)",
    ]
    two = listed("--program", FRAB, "--day-change", "02:00", "talks")
    assert two["Friday 27 December 2019"][-1] == "Chiptune night"  # 01:30: before 02:00
    assert two["Sunday 29 December 2019"] == ["Last set before sunrise"]  # 03:00: after it


def test_the_environment_gives_the_day_change_too() -> None:
    result = CliRunner().invoke(
        cli, ["--program", FRAB, "talks"], env={"PLANNER_DAY_CHANGE": "00:00"}
    )
    assert result.stdout.count("(times in") == 3


@pytest.mark.parametrize("text", ["4:30", "04:30", "04:30:00"])
def test_a_day_change_reads_as_pentabarf_writes_it_too(text: str) -> None:
    two = listed("--program", FRAB, "--day-change", text, "talks")
    assert two["Friday 27 December 2019"][-1] == "Chiptune night"  # 01:30
    assert two["Saturday 28 December 2019"][-1] == "Last set before sunrise"  # 03:00


@pytest.mark.parametrize(
    "text", ["25:00", "4", "four", "04:60", "-1:00", "04:00:00:00", "4:3", "+4:30", "04:30Z"]
)
def test_a_bad_day_change_is_one_error_line(text: str) -> None:
    result = run("--program", FRAB, "--day-change", text, "talks")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: Invalid value for '--day-change'")
    assert "is not a time of day like 04:00" in lines[0]


def test_pentabarf_day_change_is_the_programs() -> None:
    program = load(fixture("frab_pentabarf_day_change.xml"), zone="Europe/Brussels")
    assert program.day_change == FOUR
    assert program.days == []  # its days give only a date
    days = ConferenceDays(program, program.timezone)
    night = program.items[1]
    assert night.start == at("2025-02-02T01:00+01:00")
    assert days.day_of(night.start) == date(2025, 2, 1)


# --- c3voc: day_start and day_end, across a DST night ---


def test_c3voc_day_runs_past_the_clocks_going_back() -> None:
    # Day 1 runs from 12:00+02:00 to 06:00+01:00: 02:30+02:00 and 05:00+01:00 are its night.
    assert listed("--program", C3VOC, "talks") == {
        "Saturday 26 October 2024": [
            "Open hardware in practice",
            "Panel: who owns the night",
            "Before the clocks go back",
            "Sunrise set",
        ],
        "Sunday 27 October 2024": ["Workshop: your first synthesiser"],
    }
    result = run("--program", C3VOC, "talks", "--json", "--day", "2024-10-26")
    starts = [item["start"] for item in json.loads(result.stdout)]
    assert starts[-2:] == ["2024-10-27T02:30:00+02:00", "2024-10-27T05:00:00+01:00"]


def test_c3voc_heading_offset_is_the_first_items() -> None:
    assert headings("--program", C3VOC, "talks") == [
        "Saturday 26 October 2024 (times in Europe/Amsterdam, UTC+02:00)",
        "Sunday 27 October 2024 (times in Europe/Amsterdam, UTC+01:00)",
    ]


def test_the_existing_c3voc_day_change_fixture() -> None:
    program = load(fixture("c3voc_day_change.json"))
    days = ConferenceDays(program, program.timezone)
    assert {days.day_of(item.start) for item in program.items} == {date(2024, 10, 26)}


# --- other formats: the day change hour ---


def test_csv_night_item_belongs_to_the_evening_before_by_default() -> None:
    args = ("--program", CSV, "--program-tz", "Europe/Berlin")
    assert listed(*args, "talks") == {
        "Thursday 12 September 2024": ["Evening keynote", "Night owls meetup"],
        "Friday 13 September 2024": ["Breakfast talk"],
    }
    assert listed(*args, "--day-change", "01:30", "talks") == {
        "Thursday 12 September 2024": ["Evening keynote"],
        "Friday 13 September 2024": ["Night owls meetup", "Breakfast talk"],
    }
    # A later day change takes the breakfast talk to the night before as well.
    assert listed(*args, "--day-change", "08:00", "talks") == {
        "Thursday 12 September 2024": ["Evening keynote", "Night owls meetup", "Breakfast talk"],
    }


def test_csv_day_option_uses_the_day_change() -> None:
    args = ("--program", CSV, "--program-tz", "Europe/Berlin", "talks", "--json")
    thursday = json.loads(run(*args, "--day", "2024-09-12").stdout)
    assert [item["title"] for item in thursday] == ["Evening keynote", "Night owls meetup"]
    assert thursday[1]["start"] == "2024-09-13T02:00:00+02:00"
    friday = json.loads(run("--day-change", "00:00", *args, "--day", "2024-09-13").stdout)
    assert [item["title"] for item in friday] == ["Night owls meetup", "Breakfast talk"]


def test_the_day_change_is_read_in_the_display_zone() -> None:
    # 02:00 in Berlin is 05:30 in Kolkata: after the 04:00 change there, so the next day.
    args = ("--program", CSV, "--program-tz", "Europe/Berlin", "--tz", "Asia/Kolkata", "talks")
    assert listed(*args) == {
        "Thursday 12 September 2024": ["Evening keynote"],  # 23:30 in Kolkata
        "Friday 13 September 2024": ["Night owls meetup", "Breakfast talk"],
    }


# --- the wall-clock rule, across DST and odd offsets ---


@pytest.mark.parametrize(
    ("moment", "zone", "change", "day"),
    [
        ("2024-09-13T02:00+02:00", "Europe/Berlin", FOUR, "2024-09-12"),
        ("2024-09-13T04:00+02:00", "Europe/Berlin", FOUR, "2024-09-13"),  # the change itself
        ("2024-09-13T03:59+02:00", "Europe/Berlin", FOUR, "2024-09-12"),
        ("2024-09-13T00:10+02:00", "Europe/Berlin", time(0, 0), "2024-09-13"),
        # spring forward: 01:59+01:00 and then 03:00+02:00, both before 04:00
        ("2024-03-31T03:30+02:00", "Europe/Berlin", FOUR, "2024-03-30"),
        # fall back: 02:30 happens twice, both times before 04:00
        ("2024-10-27T02:30+02:00", "Europe/Berlin", FOUR, "2024-10-26"),
        ("2024-10-27T02:30+01:00", "Europe/Berlin", FOUR, "2024-10-26"),
        ("2024-10-27T03:30+01:00", "Europe/Berlin", time(3, 0), "2024-10-27"),
        # +05:30 and +12:45 read in their own wall clock
        ("2024-09-12T22:00+00:00", "Asia/Kolkata", FOUR, "2024-09-12"),  # 03:30 in Kolkata
        ("2024-09-12T22:45+00:00", "Asia/Kolkata", FOUR, "2024-09-13"),  # 04:15
        ("2024-06-12T15:00+00:00", "Pacific/Chatham", FOUR, "2024-06-12"),  # 03:45 next day
        ("2024-06-12T15:30+00:00", "Pacific/Chatham", FOUR, "2024-06-13"),  # 04:15
        # Lord Howe's 30-minute DST: 01:30 to 02:00 happens twice on 7 April 2024
        ("2024-04-06T14:45+00:00", "Australia/Lord_Howe", time(1, 30), "2024-04-07"),  # 01:45+11
        ("2024-04-06T15:15+00:00", "Australia/Lord_Howe", time(1, 30), "2024-04-07"),  # 01:45+10:30
        ("2024-04-06T14:15+00:00", "Australia/Lord_Howe", time(1, 30), "2024-04-06"),  # 01:15+11
    ],
)
def test_conference_date(moment: str, zone: str, change: time, day: str) -> None:
    assert conference_date(at(moment), zone, change) == date.fromisoformat(day)


def test_overlapping_days_and_instants_between_them() -> None:
    program = Program(
        id="overlap",
        name="Overlap",
        timezone="Europe/Berlin",
        days=[
            {
                "date": "2024-05-02",
                "start": "2024-05-02T10:00+02:00",
                "end": "2024-05-03T02:00+02:00",
            },
            {
                "date": "2024-05-01",
                "start": "2024-05-01T10:00+02:00",
                "end": "2024-05-02T11:00+02:00",
            },
        ],
    )
    days = ConferenceDays(program, "Europe/Berlin")
    assert days.day_of(at("2024-05-02T10:30+02:00")) == date(2024, 5, 2)  # the later day wins
    assert days.day_of(at("2024-05-02T01:00+02:00")) == date(2024, 5, 1)
    assert days.day_of(at("2024-05-03T01:00+02:00")) == date(2024, 5, 2)
    # Outside every day: the day change rule in the display zone.
    assert days.day_of(at("2024-05-03T03:00+02:00")) == date(2024, 5, 2)
    assert days.day_of(at("2024-05-03T05:00+02:00")) == date(2024, 5, 3)
    assert days.day_of(at("2024-04-30T09:00+02:00")) == date(2024, 4, 30)


def test_a_broken_day_bound_is_passed_over(tmp_path: Path) -> None:
    text = (
        Path(FRAB)
        .read_text("utf-8")
        .replace('end="2019-12-28T04:00:00+01:00"', 'end="2019-12-27T09:00:00+01:00"')
    )
    broken = tmp_path / "broken.xml"
    broken.write_text(text, "utf-8")
    program = load(str(broken))
    assert [day.date for day in program.days] == [date(2019, 12, 28)]  # day 1 ends before it starts
    assert [item.start for item in program.items] == [item.start for item in load(FRAB).items]


# --- agenda and the timetable ---


@pytest.fixture
def agenda_file(tmp_path: Path) -> Path:
    path = tmp_path / "agenda.json"
    night, other_night, saturday = (
        "0a000000-0000-4000-8000-000000000012",
        "0a000000-0000-4000-8000-000000000014",
        "0a000000-0000-4000-8000-000000000021",
    )
    picked = run("--program", FRAB, "--agenda", str(path), "pick", night, other_night, saturday)
    assert picked.exit_code == 0, picked.output
    added = run(
        "--program",
        FRAB,
        "--agenda",
        str(path),
        "add",
        "Kebab",
        "--start",
        "2019-12-28 03:15",
        "--end",
        "03:45",
    )
    assert added.exit_code == 0, added.output
    return path


def test_agenda_lists_the_night_under_its_day(agenda_file: Path) -> None:
    result = run("--program", FRAB, "--agenda", str(agenda_file), "agenda")
    text = result.stdout
    friday, saturday = text.split("Saturday 28 December 2019 (times in Europe/Berlin, UTC+01:00)")
    assert "Friday 27 December 2019" in friday
    assert "Tapping fibre optics" in friday
    assert "Chiptune night" in friday
    assert "Kebab" in friday  # a personal event at 03:15 follows the same rule
    assert "Who watches the watchers" in saturday
    assert "Sunday" not in text


def test_timetable_draws_one_grid_per_conference_day() -> None:
    program = load(FRAB)
    agenda = Agenda(
        program_id=program.id,
        picks=[Pick(id=item.id, snapshot=Snapshot.of(item)) for item in program.items],
    )
    page = to_html(program, agenda, zone=program.timezone, now=NOW, show_all=False, clashes=[])
    assert page.count('<section class="day"') == 2
    friday = page.split('<section class="day"')[1]
    assert "Friday 27 December 2019" in friday
    assert 'data-id="14"' in friday  # 01:30 Saturday morning
    # The first grid runs on past midnight to the night's last item, hour by hour.
    hours = [part.split(">")[1].split("<")[0] for part in friday.split('class="hour"')[1:]]
    assert hours[0] == "11:00"
    assert hours[-1] == "02:00"


def test_html_export_day_option_uses_conference_days(tmp_path: Path) -> None:
    out = tmp_path / "friday.html"
    result = run(
        "--program",
        FRAB,
        "--agenda",
        str(tmp_path / "none.json"),
        "export",
        "--format",
        "html",
        "--all",
        "--day",
        "2019-12-27",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert page.count('<section class="day"') == 1
    assert "Chiptune night" in page
    assert "Who watches the watchers" not in page
