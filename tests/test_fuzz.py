"""Fuzzing: every loader answers a Program or one ProgramError; every export parses back.

Example counts come from the "planner" hypothesis profile in conftest.py: 60 examples per
property in a fixed order (CI), or ``PLANNER_FUZZ_EXAMPLES=5000`` for a longer, randomised
run. A failing example is printed with a reproduction blob.
"""

from __future__ import annotations

import json
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytz
from hypothesis import given
from hypothesis import strategies as st

from planner.agenda import Agenda, Pick, Snapshot
from planner.clashes import check_program
from planner.errors import PlannerError
from planner.export.ics import to_ics
from planner.model import Item, PersonalEvent, Program
from planner.present import talks_text
from planner.sources import FORMATS, SourceContext, parse

FIXTURES = Path(__file__).parent / "fixtures"
# Valid files of each format, to mutate (loaded with --program-tz Europe/Berlin, as the
# naive CSV needs).
SEEDS = {
    "native": ["tiny_program.json", "dst_change_program.json"],
    "daypage": ["daypage_dst_fall_back.txt"],
    "frab": ["frab_day_change.xml", "frab_offsets.xml", "frab_utc_date_local_start.xml"],
    "c3voc": ["c3voc_day_change.json", "c3voc_tz_disagrees.json"],
    "sitejson": ["sitejson_oral_and_poster.json", "sitejson_partial_page.json"],
    "ics": ["ics_recurring.ics", "ics_vtimezone_wrong_offsets.ics", "ics_windows_tzid.ics"],
    "csv": ["csv_example.csv", "csv_naive_times.csv"],
}
SEED_BYTES = {name: (FIXTURES / name).read_bytes() for names in SEEDS.values() for name in names}
ZONES = [None, "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham"]
LABEL = "fuzzed-program"
TODAY = date(2024, 6, 1)
HANG_SECONDS = 20  # a hang, not a speed limit
# Pieces that make the parsers take other paths than random bytes would.
TOKENS = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3\x28",
    b"\r",
    b"\r\n",
    b"\n\n",
    b'"',
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"{",
    b"[",
    b"}",
    b"]",
    b"null",
    b"-1",
    b"1e999",
    b"99999999999999999999",
    b"<",
    b"</",
    b"&",
    b"&#x1b;",
    b"<!ENTITY a 'b'>",
    b"<![CDATA[",
    b"BEGIN:VEVENT\r\n",
    b"END:VEVENT\r\n",
    b"RRULE:FREQ=SECONDLY\r\n",
    b"DTSTART;TZID=Mars/Base:20240310T023000\r\n",
    b"2024-02-30",
    b"2024-03-31T02:30:00",
    b"25:61",
    b"+14:00",
    b"-12:45",
    b"Timezone: ",
    b"Oral: ",
    b" a.m.",
    b",",
    b'",',
]


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Turn a parser that runs for ever into a failing example instead of a stuck test run."""

    def stop(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def load_or_refuse(data: bytes, fmt: str | None, zone: str | None = None) -> Program | None:
    """The property: a Program, or a PlannerError whose one line names the source."""
    context = SourceContext(label=LABEL, stem="fuzzed", today=TODAY)
    try:
        with no_hang():
            program = parse(data, context, fmt=fmt, zone=zone)
    except PlannerError as exc:
        message = str(exc)
        assert message.startswith(f"{LABEL}: "), message
        assert "\n" not in message and "\r" not in message, message
        return None
    assert isinstance(program, Program)
    return program


def use(program: Program) -> None:
    """What the commands do with a loaded program must not fail either."""
    with no_hang():
        check_program(program)
        talks_text(program, program.items, program.timezone)
        Program.model_validate_json(program.model_dump_json())  # `planner import` reads back


@st.composite
def mutated(draw, seed: bytes) -> bytes:  # type: ignore[no-untyped-def]
    data = bytearray(seed)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        where = draw(st.integers(min_value=0, max_value=len(data)))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "token", "delete", "repeat"]))
        if kind == "flip" and where < len(data):
            data[where] ^= draw(st.integers(min_value=1, max_value=255))
        elif kind == "cut":
            del data[where:]
        elif kind == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=12))
        elif kind == "token":
            data[where:where] = draw(st.sampled_from(TOKENS))
        elif kind == "delete":
            del data[where : where + draw(st.integers(min_value=1, max_value=64))]
        elif kind == "repeat":
            piece = bytes(data[where : where + draw(st.integers(min_value=1, max_value=400))])
            data[where:where] = piece * draw(st.integers(min_value=1, max_value=3))
    return bytes(data)


def test_every_seed_file_loads_as_its_format() -> None:
    assert set(SEEDS) == set(FORMATS)
    for fmt, names in SEEDS.items():
        for name in names:
            program = load_or_refuse(SEED_BYTES[name], None, "Europe/Berlin")
            assert program is not None and program.items, name
            assert load_or_refuse(SEED_BYTES[name], fmt, "Europe/Berlin") == program


@given(
    data=st.binary(max_size=2048),
    fmt=st.sampled_from([None, *FORMATS]),
    zone=st.sampled_from(ZONES),
)
def test_arbitrary_bytes_load_or_are_refused_in_one_line(
    data: bytes, fmt: str | None, zone: str | None
) -> None:
    program = load_or_refuse(data, fmt, zone)
    if program is not None:
        use(program)


def seeds_and_formats() -> st.SearchStrategy[tuple[str, str]]:
    return st.sampled_from([(fmt, name) for fmt, names in SEEDS.items() for name in names])


@given(
    case=seeds_and_formats().flatmap(
        lambda seed: st.tuples(st.just(seed[0]), mutated(SEED_BYTES[seed[1]]))
    ),
    forced=st.booleans(),
    zone=st.sampled_from(ZONES),
)
def test_mutated_valid_files_load_or_are_refused_in_one_line(
    case: tuple[str, bytes], forced: bool, zone: str | None
) -> None:
    fmt, data = case
    program = load_or_refuse(data, fmt if forced else None, zone)
    if program is not None:
        use(program)


_LOADED_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@given(
    title=st.text(min_size=1, max_size=40),
    speaker=st.text(max_size=10),
    ascii_only=st.booleans(),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_no_control_character_in_a_native_file_survives_loading(
    title: str, speaker: str, ascii_only: bool, line_end: str
) -> None:
    """planner's own JSON skips the clean-up when its bytes are clean: that check is never fooled."""
    program = {
        "id": "fuzzed",
        "name": "Fuzzed",
        "timezone": "Europe/Berlin",
        "items": [{"id": "t1", "title": title, "speakers": [speaker]}],
    }
    text = json.dumps(program, ensure_ascii=ascii_only, indent=1).replace("\n", line_end)
    loaded = load_or_refuse(text.encode("utf-8", "surrogatepass"), None)
    if loaded is None:  # a title of only control characters is left empty, which is refused
        return
    item = loaded.items[0]
    assert _LOADED_CONTROL.search(item.title + "".join(item.speakers)) is None
    if _LOADED_CONTROL.search(title + speaker) is not None:
        assert any("removed control characters" in note for note in loaded.notes)


# --- the exporter ------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def one_line(text: str) -> str:
    """The export's documented normalisation of SUMMARY and LOCATION, written out again."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\n", " ").replace("\t", " ")


any_text = st.text(max_size=80)
some_text = st.text(min_size=1, max_size=80)
# Whole seconds: iCalendar's resolution (programs give minutes, some seconds, never less).
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2045, 12, 31),
    timezones=st.just(timezone.utc),
).map(lambda moment: moment.replace(microsecond=0))


@st.composite
def programs_and_agendas(draw) -> tuple[Program, Agenda, str]:  # type: ignore[no-untyped-def]
    zone = draw(st.sampled_from(pytz.common_timezones))
    items = []
    for number in range(draw(st.integers(min_value=0, max_value=4))):
        start = draw(moments)
        items.append(
            Item(
                id=f"item-{number}",
                title=draw(some_text),
                speakers=draw(st.lists(some_text, max_size=3)),
                abstract=draw(any_text),
                room=draw(st.none() | some_text),
                url=draw(st.none() | any_text),
                start=start,
                end=start + timedelta(minutes=draw(st.integers(min_value=0, max_value=600))),
                estimated=draw(st.booleans()),
            )
        )
    program = Program(
        id="fuzz",
        name=draw(some_text),
        timezone=draw(st.sampled_from(pytz.common_timezones)),
        venue=draw(st.none() | some_text),
        items=items,
    )
    events = []
    for number in range(draw(st.integers(min_value=0 if items else 1, max_value=3))):
        start = draw(moments)
        events.append(
            PersonalEvent(
                id=f"my-event-{number}",
                title=draw(some_text),
                start=start,
                end=start + timedelta(minutes=draw(st.integers(min_value=0, max_value=600))),
                location=draw(st.none() | any_text),
            )
        )
    picks = [Pick(id=item.id, snapshot=Snapshot.of(item)) for item in items]
    return program, Agenda(program_id=program.id, picks=picks, events=events), zone


def expected_events(program: Program, agenda: Agenda) -> dict[str, tuple]:
    """UID -> (start, end, SUMMARY, LOCATION) that the export must give back."""
    expected = {}
    for item in program.items:
        parts = [item.room, program.venue]
        location = one_line(", ".join(part for part in parts if part))
        expected[f"{item.id}@fuzz.planner"] = (item.start, item.end, one_line(item.title), location)
    for event in agenda.events:
        expected[f"{event.id}@fuzz.planner"] = (
            event.start,
            event.end,
            one_line(event.title),
            one_line(event.location or ""),
        )
    return expected


@given(case=programs_and_agendas())
def test_an_export_with_any_text_in_any_zone_parses_back_to_the_same_events(case) -> None:  # type: ignore[no-untyped-def]
    program, agenda, zone = case
    with no_hang():
        result = to_ics(program, agenda, zone=zone or "UTC", now=NOW, alarm_minutes=15, name=None)
    calendar = icalendar.Calendar.from_ical(result.data)
    found = {}
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND") if "DTEND" in event else start  # RFC 5545: zero length
        found[str(event["UID"])] = (
            start,
            end,
            str(event.get("SUMMARY", "")),
            str(event.get("LOCATION", "")),
        )
    expected = expected_events(program, agenda)
    assert set(found) == set(expected)
    for uid, (start, end, summary, location) in expected.items():
        assert found[uid][:2] == (start, end), uid  # the same instants, whatever the form
        assert found[uid][2:] == (summary, location), uid
