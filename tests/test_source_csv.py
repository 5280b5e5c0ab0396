"""Loading hand-made CSV programs (title,start,end,room + optional columns)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from helpers.loading import FIXTURES, fixture, run

from planner.errors import ProgramError
from planner.sources import SourceContext, load, parse, sniff

UTC = timezone.utc


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def csv_program(text: str, zone: str | None = None):
    return parse(
        text.encode(), SourceContext(label="talks.csv", stem="talks"), fmt="csv", zone=zone
    )


def test_the_documented_example_loads_with_ids_times_rooms_and_sessions() -> None:
    program = load(fixture("csv_example.csv"))
    assert (program.id, program.name) == ("csv_example", "csv_example")
    assert [
        (
            item.id,
            item.kind,
            item.start.astimezone(UTC) if item.start else None,
            item.end.astimezone(UTC) if item.end else None,
            item.room,
            item.parent,
        )
        for item in program.items
    ] == [
        ("opening", "keynote", utc("2024-09-12T07:00"), utc("2024-09-12T07:15"), "Main Hall", None),
        ("morning", "session", utc("2024-09-12T07:30"), utc("2024-09-12T08:30"), "Main Hall", None),
        (
            "compilers-for-everyone-hopper",
            "talk",
            utc("2024-09-12T07:30"),
            utc("2024-09-12T08:00"),
            "Main Hall",
            "morning",
        ),
        (
            "structured-programming-today-dijkstra",
            "talk",
            utc("2024-09-12T08:00"),
            utc("2024-09-12T08:30"),
            "Main Hall",
            "morning",
        ),
        ("lunch", "break", utc("2024-09-12T10:00"), utc("2024-09-12T11:00"), "Foyer", None),
        (
            "distributed-clocks-lamport",
            "talk",
            utc("2024-09-12T11:00"),
            utc("2024-09-12T11:45"),
            "Room 2",
            "afternoon-track",
        ),
        (
            "consensus-in-practice-liskov",
            "talk",
            utc("2024-09-12T11:45"),
            utc("2024-09-12T12:30"),
            "Room 2",
            "afternoon-track",
        ),
        ("lightning-talks", "talk", None, None, "Main Hall", None),
        # Named in the session column by two rows but defined by none: made, spanning them.
        (
            "afternoon-track",
            "session",
            utc("2024-09-12T11:00"),
            utc("2024-09-12T12:30"),
            "Room 2",
            None,
        ),
    ]
    by_id = program.item_map()
    assert by_id["structured-programming-today-dijkstra"].speakers == [
        "Edsger Dijkstra",
        "Niklaus Wirth",
    ]
    compilers = by_id["compilers-for-everyone-hopper"]
    assert compilers.abstract == "Why compilers matter, and how to write one."
    assert compilers.url == "https://example.org/talks/compilers"
    assert program.notes == [
        "no row defines session 'Afternoon track' (named in rows 7, 8); made it, spanning its "
        "talks, as 'afternoon-track'",
        "the file gives UTC offsets but no timezone (all times +02:00); estimated the timezone "
        "as Etc/GMT-2; give --program-tz ZONE to show times in the conference's own zone",
    ]


def test_naive_times_are_read_in_program_tz_across_a_dst_change() -> None:
    program = load(fixture("csv_naive_times.csv"), zone="Europe/Berlin")
    assert program.timezone == "Europe/Berlin"
    assert [
        (item.id, item.start.astimezone(UTC), item.end.astimezone(UTC), item.room)
        for item in program.items
    ] == [
        # 01:30 CET to 03:30 CEST: one hour, the clocks jump at 02:00.
        ("early-bird-breakfast", utc("2024-03-31T00:30"), utc("2024-03-31T01:30"), "Foyer"),
        (
            "talk-across-the-change-perlman",
            utc("2024-03-31T08:00"),
            utc("2024-03-31T08:45"),
            "Saal 1",
        ),
        # An end written as a clock time earlier than the start is on the next day.
        ("late-talk-goldwasser", utc("2024-03-31T21:30"), utc("2024-03-31T22:15"), "Saal 1"),
    ]


def test_naive_times_without_program_tz_stop_naming_the_row() -> None:
    with pytest.raises(ProgramError) as error:
        load(fixture("csv_naive_times.csv"))
    assert str(error.value) == (
        f"{fixture('csv_naive_times.csv')}: row 2: start '2024-03-31 01:30' has no UTC offset; "
        "give --program-tz ZONE (or write times with an offset, like 2024-06-10T10:00+02:00)"
    )


def test_a_time_in_the_spring_forward_gap_is_moved_and_noted() -> None:
    program = csv_program(
        "title,start,end,room\nGap talk,2024-03-31 02:30,2024-03-31 03:30,R\n", "Europe/Berlin"
    )
    assert program.items[0].start.astimezone(UTC) == utc("2024-03-31T01:30")
    assert program.notes == [
        "row 2: 2024-03-31 02:30 does not exist in Europe/Berlin (clocks went forward); "
        "read as 03:30+02:00"
    ]


def test_a_bad_row_is_named() -> None:
    with pytest.raises(ProgramError) as error:
        load(fixture("csv_bad_row.csv"))
    assert str(error.value) == (
        f"{fixture('csv_bad_row.csv')}: row 3: end 'half past eleven' is not a date and time "
        "like 2024-06-10T10:00+02:00"
    )


def test_repeated_ids_get_a_suffix_and_unknown_columns_a_note() -> None:
    program = csv_program(
        "Title,Start,End,Room,Level\n"  # track is a known column since format version 2
        "Same,2024-06-10T10:00+02:00,2024-06-10T10:30+02:00,A,x\n"
        "Same,2024-06-10T11:00+02:00,2024-06-10T11:30+02:00,B,y\n",
        "Europe/Paris",
    )
    assert [(item.id, item.room) for item in program.items] == [("same", "A"), ("same-2", "B")]
    assert program.notes == [
        "ignored the column level",
        "id 'same' is repeated (row 3); renamed it 'same-2'",
    ]


def test_the_id_comes_from_title_and_speaker_never_from_time_or_room() -> None:
    first = csv_program(
        "title,start,end,room,speakers\nTalk,2024-06-10T10:00+02:00,11:00,A,Ada Lovelace\n"
    )
    moved = csv_program(
        "title,start,end,room,speakers\nTalk,2024-06-11T15:00+02:00,16:00,B,Ada Lovelace\n"
    )
    assert first.items[0].id == moved.items[0].id == "talk-lovelace"


def test_a_session_row_named_by_title_holds_its_talks() -> None:
    program = csv_program(
        "title,start,end,room,kind,session\n"
        "Morning,2024-06-10T09:00+02:00,11:00,A,session,\n"
        "Talk,2024-06-10T09:00+02:00,09:30,A,talk,morning\n"
    )
    assert [(item.id, item.parent) for item in program.items] == [
        ("morning", None),
        ("talk", "morning"),
    ]


def test_sniffed_by_its_header() -> None:
    assert sniff((FIXTURES / "csv_example.csv").read_bytes()) == "csv"
    assert sniff(b'"Title","Start","End","Room"\r\n') == "csv"
    # A title that reads like the conference day page is still a CSV row.
    assert sniff(b"title,start,end,room\nTutorial: Rust,2024-06-10T10:00+02:00,11:00,R\n") == "csv"
    assert sniff(b"subtitle,start\n") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "title,start\nA,2024-06-10T10:00+02:00\n",
            "row 1 (the header) lacks the columns end, room; a CSV program starts with "
            "title,start,end,room",
        ),
        ("title,start,end,room,room\n", "row 1 (the header) names room twice"),
        ("title,start,end,room\n\n", "no rows below the header; add one row per talk"),
        (
            "title,start,end,room\nA,2024-06-10T10:00+02:00,,R\n",
            "row 2: has a start but no end; give both, or neither for a time to be announced",
        ),
        (
            "title,start,end,room,kind\nA,2024-06-10T10:00+02:00,11:00,R,lecture\n",
            "row 2: kind 'lecture' is not one of talk, paper, session, tutorial, keynote, break, "
            "social, registration, poster, other",
        ),
        (
            "title,start,end,room\nA,2024-06-10T10:00+02:00,11:00,R,extra\n",
            "row 2 has 5 cells but the header names 4 columns; quote cells that hold commas",
        ),
        (
            ",start,end,room\n",
            "row 1 (the header) lacks the column title; a CSV program starts "
            "with title,start,end,room",
        ),
        (
            "title,start,end,room\nA,2024-06-10T10:00+02:00,2024-06-10T09:00+02:00,R\n",
            "row 2: ends (2024-06-10T09:00+02:00) before it starts (2024-06-10T10:00+02:00)",
        ),
        (
            "title,start,end,room\nA,2024-06-10T10:00+02:00,25:00,R\n",
            "row 2: end '25:00' is not a clock time like 17:30",
        ),
        (
            'title,start,end,room\n"A,2024-06-10T10:00+02:00,11:00,R\n',
            "row 2: not valid CSV (unexpected end of data)",
        ),
        (
            "title,start,end,room,kind,session\n"
            "S,2024-06-10T09:00+02:00,10:00,A,session,\n"
            "T,2024-06-10T09:30+02:00,10:30,A,talk,S\n",
            "row 3: 'T' lies outside its session 'S' (row 2); fix the times or the session column",
        ),
        (
            "title,start,end,room\n,2024-06-10T10:00+02:00,11:00,R\n",
            "row 2: no title",
        ),
    ],
)
def test_bad_files_raise_one_program_error_naming_the_row(text: str, message: str) -> None:
    with pytest.raises(ProgramError) as error:
        csv_program(text)
    assert str(error.value) == f"talks.csv: {message}"


# --- command line ---


def test_an_abstract_longer_than_pythons_csv_cell_limit_loads() -> None:
    long_abstract = "word " * 60_000  # 300 KB; csv refuses cells over 128 KB by default
    text = f'title,start,end,room,abstract\nT,2024-06-10T10:00+02:00,11:00,R,"{long_abstract}"\n'
    program = parse(text.encode(), SourceContext(label="long.csv", stem="long"))
    assert program.items[0].abstract == long_abstract.strip()


def test_cli_talks_with_program_tz() -> None:
    result = run(
        "--program",
        fixture("csv_naive_times.csv"),
        "--program-tz",
        "Europe/Berlin",
        "--day-change",  # calendar dates: the 01:30 breakfast opens Sunday
        "00:00",
        "talks",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Sunday 31 March 2024 (times in Europe/Berlin, UTC+01:00)",
        "  01:30-03:30    Foyer            early-bird-breakfast            Early bird breakfast",
        "  10:00-10:45    Saal 1           talk-across-the-change-perlman  Talk across the change",
        "  23:30-00:15+1  Saal 1           late-talk-goldwasser            Late talk",
    ]


def test_cli_program_format_forces_csv(tmp_path: Path) -> None:
    path = tmp_path / "talks.txt"
    path.write_text("room,title,end,start\nR,Only talk,11:00,2024-06-10T10:00+02:00\n")
    result = run("--program", str(path), "--program-format", "csv", "talks", "--json")
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.output)
    assert (item["id"], item["start"], item["end"], item["room"]) == (
        "only-talk",
        "2024-06-10T10:00:00+02:00",
        "2024-06-10T11:00:00+02:00",
        "R",
    )


def test_cli_pick_a_session_and_list_clashes(tmp_path: Path) -> None:
    base = ["--program", fixture("csv_example.csv"), "--agenda", str(tmp_path / "agenda.json")]
    assert run(*base, "pick", "morning", "afternoon-track").exit_code == 0
    result = run(*base, "clashes")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("csv_bad_row.csv", "row 3: end 'half past eleven'"),
        ("csv_naive_times.csv", "row 2: start '2024-03-31 01:30' has no UTC offset"),
    ],
)
def test_cli_bad_files_exit_2_with_one_error_line(name: str, fragment: str) -> None:
    result = run("--program", fixture(name), "talks")
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith(f"Error: {fixture(name)}: {fragment}")
