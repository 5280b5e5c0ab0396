"""iCalendar feeds whose folds split UTF-8 characters: unfolded as bytes, then decoded.

tests/fixtures/folded_utf8_feed.ics has the shape of a real feed that planner refused
(JRES 2022): TZID=Europe/Paris with its VTIMEZONE, CHARSET=UTF-8;ENCODING=8BIT parameters,
CR CR LF line ends, a fold between the bytes of "’" (e2 | 80 99), lines of 900 bytes and
more, folded and not, and a fold marked by a tab.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from helpers.loading import FIXTURES, assert_one_error_line, fixture, run

from planner.errors import ProgramError
from planner.sources import SourceContext, load, parse

UTC = timezone.utc
FEED = FIXTURES / "folded_utf8_feed.ics"
LONG_TEXT = ("Résumé : l’accès aux données coûte 5 € ; naïveté garantie. " * 16).strip()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_the_fixture_has_the_shape_of_the_refused_feed() -> None:
    data = FEED.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # as written, the folds make it invalid UTF-8
    assert b"d\xe2\r\r\n \x80\x99" in data
    assert data.count(b"\r\r\n") == data.count(b"\n")
    assert max(len(line) for line in data.split(b"\r\r\n")) >= 900
    assert b"TZID:Europe/Paris" in data and b"BEGIN:VTIMEZONE" in data
    assert b";CHARSET=UTF-8;ENCODING=8BIT:" in data


def test_every_event_has_its_instant_and_its_text() -> None:
    program = load(str(FEED))
    assert (program.id, program.name, program.timezone) == (
        "journees-reseaux-2022",
        "Journées réseaux 2022",
        "Europe/Paris",
    )
    assert program.notes == []  # nothing assumed: no Latin-1 reading, no zone guess
    rows = [
        (item.id, item.title, item.start, item.end, item.room, item.abstract)
        for item in program.items
    ]
    assert rows == [
        (
            "folded-1",
            "Retour d’expérience",
            utc("2022-10-28T08:00"),  # CEST, +02:00
            utc("2022-10-28T09:30"),
            "Amphithéâtre Lumière",
            LONG_TEXT,
        ),
        (
            "folded-2",
            "Sécurité des réseaux – état des lieux",
            utc("2022-10-31T09:00"),  # CET again, +01:00
            utc("2022-10-31T09:45"),
            "Salle Léon Blum",
            LONG_TEXT,
        ),
    ]


def test_the_cli_lists_the_feed_in_its_own_zone() -> None:
    result = run("--program", str(FEED), "talks", "--day", "2022-10-28")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Friday 28 October 2022 (times in Europe/Paris, UTC+02:00)",
        "  10:00-11:30   Amphithéâtre Lumière folded-1  Retour d’expérience",
    ]


def _file_line(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def test_a_byte_that_is_really_not_utf8_is_named_where_the_file_has_it(tmp_path: Path) -> None:
    data = FEED.read_bytes()
    # A C1 byte (so not Latin-1 either) on a folded line's continuation, after the split "’".
    spot = data.index(b" \x80\x99") + len(" \x80\x99 expé")
    broken = data[:spot] + b"\x9d" + data[spot:]
    feed = tmp_path / "broken.ics"
    feed.write_bytes(broken)
    result = run("--program", str(feed), "talks")
    assert_one_error_line(
        result,
        str(feed),
        f"not UTF-8 (byte {spot}, line {_file_line(broken, spot)}); save the file as UTF-8",
    )


def test_a_latin1_feed_is_unfolded_then_read_as_latin1_with_the_right_position() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nX-WR-CALNAME:Caf\xe9\r\nBEGIN:VEVENT\r\nUID:x\r\n"
        b"SUMMARY:R\xe9sum\r\n \xe9 long\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    program = parse(data, SourceContext(label="feed.ics", stem="feed"))
    assert (program.name, program.items[0].title) == ("Café", "Résumé long")
    first_bad = data.index(b"\xe9")
    assert program.notes[0] == (
        f"file is not UTF-8 (first bad byte at {first_bad}, line 2); read it as Latin-1"
    )


@pytest.mark.parametrize("line_end", [b"\r\n", b"\n", b"\r\r\n", b"\r"])
def test_a_fold_inside_a_character_unfolds_with_every_line_end(line_end: bytes) -> None:
    lines = [
        b"BEGIN:VCALENDAR",
        b"BEGIN:VEVENT",
        b"UID:fold@example.org",
        b"SUMMARY:d\xe2",
        b" \x80\x99un bout \xe2\x82",
        b"\t\xac \xf0\x9d",
        b" \x84\x9e",
        b"DTSTART:20240101T100000Z",
        b"END:VEVENT",
        b"END:VCALENDAR",
    ]
    program = parse(line_end.join(lines), SourceContext(label="feed.ics", stem="feed"))
    assert program.items[0].title == "d’un bout € 𝄞"


def test_messages_name_lines_as_the_file_has_them_folds_counted() -> None:
    data = FEED.read_bytes()
    second = data.index(b"BEGIN:VEVENT", data.index(b"BEGIN:VEVENT") + 1)
    cut = data[: data.index(b"END:VEVENT", second)]
    with pytest.raises(ProgramError) as error:
        parse(cut, SourceContext(label="feed.ics", stem="feed"))
    line = _file_line(data, second)
    assert str(error.value) == (
        f"feed.ics: BEGIN:VEVENT at line {line} is never closed; the file is cut short"
    )


def test_an_event_label_names_the_file_line_after_folded_lines() -> None:
    data = FEED.read_bytes().replace(b"DTSTART;TZID=Europe/Paris:20221031T100000", b"")
    second = data.index(b"BEGIN:VEVENT", data.index(b"BEGIN:VEVENT") + 1)
    with pytest.raises(ProgramError) as error:
        parse(data, SourceContext(label="feed.ics", stem="feed"))
    assert f"event at line {_file_line(data, second)} (UID folded-2@jres.example.org)" in str(
        error.value
    )


def test_a_feed_given_as_a_fixture_path_loads_through_the_cli_json() -> None:
    result = run("--program", fixture("folded_utf8_feed.ics"), "talks", "--json")
    assert result.exit_code == 0, result.output
    assert '"start": "2022-10-31T10:00:00+01:00"' in result.output


def test_a_byte_order_mark_counts_in_the_position_of_a_bad_byte() -> None:
    data = b"\xef\xbb\xbfBEGIN:VCALENDAR\r\nX-WR-CALNAME:Caf\r\n \x9d\r\nEND:VCALENDAR\r\n"
    bad = data.index(b"\x9d")
    with pytest.raises(ProgramError) as error:
        parse(data, SourceContext(label="feed.ics", stem="feed"))
    assert str(error.value) == f"feed.ics: not UTF-8 (byte {bad}, line 3); save the file as UTF-8"


def test_other_formats_name_the_files_byte_too_past_a_byte_order_mark() -> None:
    data = b"\xef\xbb\xbftitle,start\nCaf\x9d,2024-01-01 10:00\n"
    with pytest.raises(ProgramError) as error:
        parse(data, SourceContext(label="talks.csv", stem="talks"))
    bad = data.index(b"\x9d")
    assert str(error.value) == f"talks.csv: not UTF-8 (byte {bad}); save the file as UTF-8"
