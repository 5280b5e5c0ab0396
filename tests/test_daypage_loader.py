"""The day-page loader (planner/sources/daypage.py) on the bundled seed page and small fixtures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import cli
from planner.errors import ProgramError
from planner.model import Item, Program
from planner.sources import SourceContext, load, parse, sniff
from planner.sources.daypage import clean_authors, most_recent_year, parse_header, plain_text

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "data" / "mlsys2022-tue-30-aug.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2025, 6, 1)
TUESDAY = 1


def read_page(path: Path = PAGE, today: date | None = TODAY, zone: str | None = None) -> Program:
    context = SourceContext(label=str(path), stem=path.stem, today=today)
    return parse(path.read_bytes(), context, zone=zone)


@pytest.fixture(scope="module")
def page() -> Program:
    return read_page()


def pacific(clock: str) -> datetime:
    return datetime.fromisoformat(f"2022-08-30T{clock}:00-07:00")


def children_of(program: Program, parent: str) -> list[Item]:
    return sorted(program.children_map().get(parent, []), key=lambda item: item.start)


# --- the seed page on its own ---


def test_sniffed_as_day_page() -> None:
    assert sniff(PAGE.read_bytes()) == "daypage"


def test_program_identity(page: Program) -> None:
    assert page.id == "mlsys-2022-08-30"
    assert page.timezone == "US/Pacific"
    assert page.name == "Day page mlsys2022-tue-30-aug: Tuesday 30 August 2022"
    assert [room.name for room in page.rooms] == ["Exhibit Hall A"]


def test_sessions_with_start_times_and_rooms(page: Program) -> None:
    sessions = [
        (item.id, item.title, item.start, item.room)
        for item in page.items
        if item.kind == "session"
    ]
    assert sessions == [
        ("systems-for-ml-2", "Systems for ML 2", pacific("08:45"), "Exhibit Hall A"),
        ("ml-for-systems", "ML for Systems", pacific("13:00"), "Exhibit Hall A"),
        ("hardware-efficient-ml", "Hardware Efficient ML", pacific("14:15"), "Exhibit Hall A"),
        (
            "testing-debugging-and-monitoring",
            "Testing, Debugging and Monitoring & Security",
            pacific("16:00"),
            "Exhibit Hall A",
        ),
    ]


def test_eighteen_papers_named_after_first_authors(page: Program) -> None:
    by_session = {
        session: [paper.id for paper in children_of(page, session)]
        for session in (
            "systems-for-ml-2",
            "ml-for-systems",
            "hardware-efficient-ml",
            "testing-debugging-and-monitoring",
        )
    }
    assert by_session == {
        "systems-for-ml-2": [
            "samuel-a-stein",
            "andrew-or",
            "wasu-piriyakulkij",
            "zhiming-hu",
            "carole-jean-wu",
        ],
        "ml-for-systems": ["ankur-mallick", "xinfeng-xie", "junguk-cho", "yi-ding"],
        "hardware-efficient-ml": [
            "kartikeya-bhardwaj",
            "yanqi-zhou",
            "saurabh-agarwal",
            "seo-jin-park",
        ],
        "testing-debugging-and-monitoring": [
            "pradeep-dogga",
            "donglin-zhuang",
            "ningning-xie",
            "hanpeng-hu",
            "wei-hao",
        ],
    }
    papers = [item for item in page.items if item.kind == "paper"]
    assert len(papers) == 18
    assert all(paper.room == "Exhibit Hall A" for paper in papers)
    first = page.item_map()["andrew-or"]
    assert first.title == "Untitled paper by Andrew Or et al."
    assert "no title" in (first.note or "")
    assert first.abstract.startswith("We propose VirtualFlow, a system leveraging")


def test_paper_slots_are_estimated_eighteen_minutes_in_page_order(page: Program) -> None:
    slots = [(p.start, p.end, p.estimated) for p in children_of(page, "ml-for-systems")]
    assert slots == [
        (pacific("13:00"), pacific("13:18"), True),
        (pacific("13:18"), pacific("13:36"), True),
        (pacific("13:36"), pacific("13:54"), True),
        (pacific("13:54"), pacific("14:12"), True),
    ]
    session = page.item_map()["ml-for-systems"]
    assert (session.end, session.estimated) == (pacific("14:12"), True)
    assert "4 talks of 18 minutes" in (session.note or "")


def test_tutorials_and_invited_talk_have_no_time_on_the_page(page: Program) -> None:
    items = page.item_map()
    telemetry = items["ml-based-computer-system"]
    assert (telemetry.kind, telemetry.title) == (
        "tutorial",
        "ML-based Computer System Telemetry Analytics",
    )
    assert telemetry.speakers == ["Burak Aksar"]
    assert "About the speaker: Burak Aksar is a Ph.D. student" in telemetry.abstract
    sparsity = items["sparsity-in-ml"]
    assert sparsity.kind == "tutorial"
    assert len(sparsity.speakers) == 7
    assert "here. (https://merthidayetoglu.github.io)" in sparsity.abstract
    assert "<a" not in sparsity.abstract
    assert sparsity.abstract.count("\n\n") == 8  # description, heading, seven bios
    invited = items["towards-building-a-responsible"]
    assert (invited.kind, invited.speakers) == ("keynote", ["Dawn Song"])
    assert invited.title == "Towards Building a Responsible Data Economy"
    for item in (telemetry, sparsity, invited):
        assert (item.start, item.end, item.room, item.estimated) == (None, None, None, False)
        assert "no time" in (item.note or "")
    assert "after 'Systems for ML 2' (08:45)" in (invited.note or "")
    assert "before 'Round Table Discussion' (11:30)" in (invited.note or "")


def test_items_with_only_a_start_get_an_estimated_end(page: Program) -> None:
    items = page.item_map()
    desk = items["registration-check-in-desk"]
    assert (desk.kind, desk.start, desk.end, desk.estimated) == (
        "registration",
        pacific("06:30"),
        pacific("08:45"),
        True,
    )
    table = items["round-table-discussion"]
    assert (table.kind, table.start, table.end, table.estimated) == (
        "social",
        pacific("11:30"),
        pacific("13:00"),
        True,
    )
    assert "'ML for Systems' starts at 13:00" in (table.note or "")


def test_author_glitches_fixed_and_noted(page: Program) -> None:
    items = page.item_map()
    assert items["andrew-or"].speakers == ["Andrew Or", "Haoyu Zhang", "Michael Freedman"]
    assert items["kartikeya-bhardwaj"].speakers == [
        "Kartikeya Bhardwaj",
        "Milos Milosavljevic",
        "Liam O'Neil",
        "Dibakar Gope",
        "Ramon Matas",
        "Alex Chalfin",
        "Naveen Suda",
        "Lingchuan Meng",
        "Danny Loh",
    ]
    assert items["yi-ding"].speakers[-1] == "Henry (Hank) Hoffmann"
    notes = "\n".join(page.notes)
    assert "'Michael None Freedman' read as 'Michael Freedman'" in notes
    assert "(4 dropped)" in notes


def test_notes_record_year_titles_and_unknown_times(page: Program) -> None:
    notes = "\n".join(page.notes)
    assert "read Tue 30 Aug as 2022, the latest year up to 2025" in notes
    assert "18 papers are named 'Untitled paper by <first author> et al.'" in notes
    assert "ml-based-computer-system, towards-building-a-responsible, sparsity-in-ml" in notes
    assert "8 abstracts end in '…'" in notes


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (date(2025, 6, 1), 2022),
        (date(2022, 1, 10), 2022),  # the year itself counts, even before the day comes
        (date(2021, 12, 31), 2016),
        (date(2028, 9, 1), 2022),  # 2023-2028 have no Tuesday 30 August
    ],
)
def test_year_is_the_latest_matching_one_up_to_today(today: date, year: int) -> None:
    program = read_page(today=today)
    assert program.item_map()["systems-for-ml-2"].start == datetime.fromisoformat(
        f"{year}-08-30T08:45:00-07:00"
    )
    assert program.id == f"mlsys-{year}-08-30"


def test_most_recent_year_handles_leap_days() -> None:
    thursday = 3
    assert most_recent_year(29, 2, thursday, date(2025, 6, 1)) == 2024
    assert most_recent_year(30, 8, TUESDAY, date(2022, 8, 29)) == 2022
    assert most_recent_year(30, 2, TUESDAY, date(2025, 6, 1)) is None


def test_without_today_the_year_cannot_be_chosen() -> None:
    with pytest.raises(ProgramError, match="no year"):
        read_page(today=None)


# --- the page agrees with the hand-built bundled program ---


def person(name: str) -> tuple[str, str]:
    """First and last name: the page drops middle initials the bundled program keeps."""
    words = name.split()
    return words[0], words[-1]


def test_page_and_bundled_program_agree(page: Program) -> None:
    bundled = load("mlsys2022")

    def sessions(program: Program) -> list[tuple[str, datetime | None, str | None]]:
        found = [i for i in program.items if i.kind == "session"]
        return sorted((s.title, s.start, s.room) for s in found)

    def papers(program: Program) -> dict[str, list[tuple[tuple[str, str], ...]]]:
        by_title = {s.id: s.title for s in program.items if s.kind == "session"}
        grouped: dict[str, list[tuple[tuple[str, str], ...]]] = {}
        for paper in sorted(
            (i for i in program.items if i.kind == "paper"), key=lambda i: (i.start, i.id)
        ):
            authors = tuple(person(name) for name in paper.speakers)
            grouped.setdefault(by_title[paper.parent or ""], []).append(authors)
        return grouped

    def people(program: Program, kind: str) -> list[tuple[str, list[str]]]:
        return sorted((i.title, i.speakers) for i in program.items if i.kind == kind)

    assert sessions(page) == sessions(bundled)
    assert papers(page) == papers(bundled)
    assert sum(len(group) for group in papers(page).values()) == 18
    assert people(page, "tutorial") == people(bundled, "tutorial")
    assert people(page, "keynote") == people(bundled, "keynote")
    page_items, bundled_items = page.item_map(), bundled.item_map()
    assert page_items["registration-check-in-desk"].start == bundled_items["registration"].start
    assert page_items["round-table-discussion"].start == bundled_items["round-table"].start


# --- small fixtures: DST, missing zone, impossible dates ---


def test_fall_back_night_counts_real_minutes() -> None:
    program = read_page(FIXTURES / "daypage_dst_fall_back.txt", today=date(2024, 12, 1))
    items = program.item_map()
    hopper, lovelace = items["grace-hopper"], items["ada-lovelace"]
    assert hopper.start.isoformat() == "2024-11-03T01:30:00-07:00"
    assert hopper.end.isoformat() == "2024-11-03T01:48:00-07:00"
    # 18 minutes after 01:48 PDT is 01:06 PST: later in real time, earlier on the clock.
    assert lovelace.end.isoformat() == "2024-11-03T01:06:00-08:00"
    assert lovelace.end - lovelace.start == timedelta(minutes=18)
    assert items["night-owls"].end == lovelace.end
    assert any("occurs twice" in note for note in program.notes)


def test_fixture_entries_single_author_keynote_and_last_item() -> None:
    program = read_page(FIXTURES / "daypage_dst_fall_back.txt", today=date(2024, 12, 1))
    items = program.item_map()
    assert program.id == "daypage-2024-11-03"
    assert items["grace-hopper"].title == "Untitled paper by Grace Hopper"
    assert items["ada-lovelace"].speakers == ["Ada Lovelace", "Charles Babbage"]
    assert items["ada-lovelace"].abstract == "Engines that repeat, and repeat."
    keynote = items["thinking-machines"]
    assert (keynote.kind, keynote.speakers, keynote.start) == ("keynote", ["Alan Turing"], None)
    assert keynote.abstract == (
        "Can machines think? Read more (https://example.org/turing)\n\n"
        "About the speaker: Alan Turing is a mathematician."
    )
    party = items["closing-party"]
    assert (party.kind, party.abstract, party.estimated) == ("social", "Snacks & drinks.", True)
    assert party.end - party.start == timedelta(minutes=60)


def test_page_without_timezone_needs_program_tz() -> None:
    path = FIXTURES / "daypage_no_timezone.txt"
    with pytest.raises(ProgramError, match="no 'Timezone:' line"):
        read_page(path)
    program = read_page(path, zone="Europe/Berlin")
    assert program.timezone == "Europe/Berlin"
    assert program.item_map()["morning-papers"].start.isoformat() == "2022-08-30T09:00:00+02:00"


def test_date_that_never_exists_is_an_error() -> None:
    with pytest.raises(ProgramError, match="Mon 30 Feb is not a date in any year"):
        read_page(FIXTURES / "daypage_impossible_date.txt")


# --- helpers on their own ---


def test_header_lines() -> None:
    oral = parse_header("Oral: ML for Systems Tue 30 Aug 01:00 p.m.")
    assert oral is not None and oral.label is not None
    assert (oral.label.kind, oral.text, oral.stamp.clock.isoformat()) == (
        "session",
        "ML for Systems",
        "13:00:00",
    )
    midnight = parse_header("Registration Desk: Desk Tue 30 Aug 12:05 a.m.")
    assert midnight is not None and midnight.stamp.clock.isoformat() == "00:05:00"
    tutorial = parse_header("Tutorial: Burak Aksar")
    assert tutorial is not None and tutorial.stamp is None and tutorial.text == "Burak Aksar"
    unlabelled = parse_header("Round Table Discussion Tue 30 Aug 11:30 a.m.")
    assert unlabelled is not None and unlabelled.label is None
    assert unlabelled.text == "Round Table Discussion"
    assert parse_header("Timezone: US/Pacific") is None
    assert parse_header("We plan roundtable discussions on Tuesday") is None


def test_clean_authors_and_plain_text() -> None:
    notes: list[str] = []
    assert clean_authors("A B · C None D · A B", notes) == ["A B", "C D"]
    assert len(notes) == 2
    assert clean_authors("None Smith") == ["None Smith"]  # a two-word name keeps its words
    assert plain_text('x <a href="https://e.org">y</a> &amp; <b>z</b> with<5% loss') == (
        "x y (https://e.org) & z with<5% loss"
    )


# --- end to end through the command line ---


def test_cli_lists_the_page() -> None:
    result = CliRunner().invoke(
        cli,
        ["--program", str(PAGE), "talks"],
        env={"PLANNER_NOW": "2025-06-01T12:00:00+00:00", "PLANNER_TZ": None},
    )
    assert result.exit_code == 0, result.output
    assert "Tuesday 30 August 2022" in result.stdout
    assert "andrew-or" in result.stdout
    assert "Untitled paper by Andrew Or et al." in result.stdout
    assert "Time to be announced" in result.stdout


def test_cli_page_without_zone_is_one_error_line() -> None:
    path = FIXTURES / "daypage_no_timezone.txt"
    result = CliRunner().invoke(cli, ["--program", str(path), "talks"], env={"PLANNER_TZ": None})
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {path}: the page has no 'Timezone:' line; give the zone with --program-tz"
    ]
