"""The HTML timetable export: escaping, geometry, nesting, marks, zones (no browser needed).

The page is parsed back with the standard library's HTMLParser, so the checks read what a
browser would build (element nesting, attribute values after unescaping) rather than
searching the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from planner.agenda import Agenda, Pick, Snapshot, agenda_clashes
from planner.clashes import Clash
from planner.errors import ExportError, ZoneError
from planner.export.html import to_html
from planner.model import PersonalEvent, Program
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)
VOID = frozenset({"meta", "br", "img", "input", "link", "hr"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    content: list[Element | str] = field(default_factory=list)

    @property
    def children(self) -> list[Element]:
        return [part for part in self.content if isinstance(part, Element)]

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def style(self) -> dict[str, str]:
        pairs = (part.split(":", 1) for part in self.attrs.get("style", "").split(";") if part)
        return {key.strip(): value.strip() for key, value in pairs}

    def text(self) -> str:
        return "".join(part if isinstance(part, str) else part.text() for part in self.content)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {key: value or "" for key, value in attrs}, self.current)
        self.current.content.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.content.append(data)


def parse(page: str) -> Element:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    return builder.root


def blocks(root: Element) -> dict[str, Element]:
    return {node.attrs["data-id"]: node for node in root.walk() if "data-id" in node.attrs}


def columns(root: Element) -> dict[str, Element]:
    return {node.attrs["data-room"]: node for node in root.walk() if "data-room" in node.attrs}


def program_named(name: str) -> Program:
    return load(str(FIXTURES / name))


def agenda_with(program: Program, ids: list[str], events: list[PersonalEvent] = ()) -> Agenda:
    by_id = program.item_map()
    picks = [Pick(id=item_id, snapshot=Snapshot.of(by_id[item_id])) for item_id in ids]
    return Agenda(program_id=program.id, picks=picks, events=list(events))


def event(title: str, start: str, end: str, event_id: str = "my-event") -> PersonalEvent:
    return PersonalEvent(
        id=event_id,
        title=title,
        start=datetime.fromisoformat(start),
        end=datetime.fromisoformat(end),
    )


def render(
    program: Program, agenda: Agenda, *, zone: str | None = None, show_all=False, clashes=()
):
    return to_html(
        program,
        agenda,
        zone=zone or program.timezone,
        now=NOW,
        show_all=show_all,
        clashes=list(clashes),
    )


@pytest.fixture
def tiny() -> Program:
    return program_named("tiny_program.json")


# --- escaping ----------------------------------------------------------------------------


def test_markup_in_program_and_agenda_texts_shows_as_text_and_adds_no_elements():
    program = program_named("markup_in_every_text.json")
    injected = event(
        "<script>alert('me')</script>", "2024-05-14T10:00+02:00", "2024-05-14T10:30+02:00"
    )
    injected.location = '"><img src=y onerror=alert(4)>'
    agenda = agenda_with(program, ["xss-talk", "tba-xss"], [injected])

    page = render(program, agenda, show_all=True)
    root = parse(page)

    tags = {node.tag for node in root.walk()}
    assert not tags & {"script", "img", "svg", "iframe", "b", "i", "u"}
    assert not any(key.startswith("on") for node in root.walk() for key in node.attrs)
    found = blocks(root)
    assert found["xss-talk"].attrs["title"].startswith("<script>alert(1)</script>")
    assert "<script>alert(1)</script>" in found["xss-talk"].text()
    assert "'><svg onload=alert(3)>" in found["xss-talk"].text()
    assert "<script>alert('me')</script>" in found["my-event"].text()
    assert '"><img src=y onerror=alert(4)>' in found["my-event"].text()
    assert '<i>Session</i> " onmouseover="alert(2)' in found["session-1"].text()
    assert "<img src=x onerror=alert(1)>" in columns(root)
    assert '<b>Markup</b> Conf & "Friends"' in root.text()


def test_abstracts_are_plain_text():
    program = program_named("markup_in_every_text.json")
    root = parse(render(program, agenda_with(program, ["xss-talk"])))

    abstracts = [node for node in root.walk() if "abstract" in node.classes]
    assert [node.text() for node in abstracts] == [
        '<p>Not a paragraph</p> & <a href="http://example.com">no link</a>'
    ]
    assert not [node for node in root.walk() if node.tag == "a" and "example" in node.attrs["href"]]


def test_page_needs_nothing_from_the_network_and_no_script(tiny):
    page = render(tiny, agenda_with(tiny, ["alpha"]), show_all=True)
    root = parse(page)

    assert not [node for node in root.walk() if node.tag in {"script", "link", "img", "iframe"}]
    hrefs = [node.attrs["href"] for node in root.walk() if "href" in node.attrs]
    assert hrefs and all(href.startswith("#about-") for href in hrefs)
    assert "url(" not in page
    assert "@import" not in page


# --- geometry and nesting ----------------------------------------------------------------


def test_each_block_is_as_tall_as_its_item_is_long(tiny):
    coffee = event("Coffee", "2024-03-30T10:15+01:00", "2024-03-30T11:00+01:00")
    root = parse(render(tiny, agenda_with(tiny, [], [coffee]), show_all=True))
    found = blocks(root)

    lengths = {
        key: int(found[key].style["--len"]) for key in ("morning", "alpha", "beta", "my-event")
    }
    assert lengths == {"morning": 60, "alpha": 30, "beta": 30, "my-event": 45}
    assert found["my-event"].style["--top"] == "75"  # 10:15 on a grid starting at 09:00
    assert "calc(var(--len) * var(--ppm))" in root.text()  # the CSS that turns minutes into height


def test_talks_are_drawn_inside_their_session(tiny):
    found = blocks(parse(render(tiny, agenda_with(tiny, ["morning"]))))

    for talk, top in (("alpha", "0"), ("beta", "30")):
        assert found["morning"] in found[talk].ancestors()
        assert found[talk].style["--top"] == top  # minutes from the session's start
    assert "container" in found["morning"].classes
    assert {"in-pick"} <= found["alpha"].classes
    assert "picked" in found["morning"].classes


def test_a_pick_shown_without_its_session_names_the_session(tiny):
    found = blocks(parse(render(tiny, agenda_with(tiny, ["beta"]))))

    assert set(found) == {"beta"}
    assert "in Morning session" in found["beta"].text()


def test_overlapping_events_share_the_column_side_by_side(tiny):
    first = event("Call", "2024-03-30T12:00+01:00", "2024-03-30T13:00+01:00", "my-call")
    second = event("Lunch", "2024-03-30T12:30+01:00", "2024-03-30T13:30+01:00", "my-lunch")
    later = event("Walk", "2024-03-30T14:00+01:00", "2024-03-30T14:30+01:00", "my-walk")
    found = blocks(parse(render(tiny, agenda_with(tiny, [], [first, second, later]))))

    lanes = {key: (found[key].style["--lane"], found[key].style["--lanes"]) for key in found}
    assert lanes == {"my-call": ("0", "2"), "my-lunch": ("1", "2"), "my-walk": ("0", "1")}


# --- what is shown -----------------------------------------------------------------------


def test_empty_agenda_without_all_is_an_error_saying_how_to_pick(tiny):
    with pytest.raises(ExportError, match=r"nothing picked yet; pick talks with `planner pick ID`"):
        render(tiny, Agenda(program_id=tiny.id))


def test_empty_agenda_with_all_shows_the_whole_program(tiny):
    root = parse(render(tiny, Agenda(program_id=tiny.id), show_all=True))
    found = blocks(root)

    assert set(found) == {"morning", "alpha", "beta", "gamma"}
    assert not [node for node in found.values() if "picked" in node.classes]
    tba = next(node for node in root.walk() if "tba" in node.classes)
    assert "Dinner, time to be announced" in tba.text()
    assert "0 picks, 0 personal events, 0 clashes" in root.text()


def test_without_all_only_the_rooms_and_hours_the_agenda_uses(tiny):
    root = parse(render(tiny, agenda_with(tiny, ["alpha"])))

    assert list(columns(root)) == ["Hall A"]
    assert set(blocks(root)) == {"alpha"}
    hour_labels = [node.text() for node in root.walk() if "hour" in node.classes]
    assert hour_labels == ["09:00"]
    assert "Dinner" not in root.text()


def test_with_all_picks_are_highlighted_and_the_rest_is_not(tiny):
    found = blocks(parse(render(tiny, agenda_with(tiny, ["gamma"]), show_all=True)))

    assert "picked" in found["gamma"].classes
    assert "✓ picked" in found["gamma"].text()
    assert not {"picked", "in-pick"} & found["alpha"].classes


def test_estimated_times_are_marked(tiny):
    root = parse(render(tiny, agenda_with(tiny, ["gamma"])))
    gamma = blocks(root)["gamma"]

    assert "estimated" in gamma.classes
    assert "~ estimated" in gamma.text()
    assert "end estimated from the page order" in gamma.attrs["title"]
    assert ".estimated { border-style: dashed;" in root.text()


def test_personal_events_get_their_own_column(tiny):
    coffee = event("Coffee with Bob", "2024-03-30T09:15+01:00", "2024-03-30T09:45+01:00")
    coffee.location = "Cafeteria"
    room_columns = columns(parse(render(tiny, agenda_with(tiny, ["alpha"], [coffee]))))

    assert list(room_columns) == ["Hall A", "My events"]
    mine = room_columns["My events"]
    assert "mine" in mine.classes
    assert "Coffee with Bob" in mine.text() and "Cafeteria" in mine.text()
    assert "Coffee" not in room_columns["Hall A"].text()


def test_picks_no_longer_in_the_program_are_listed(tiny):
    gone = Pick(id="removed-talk", snapshot=Snapshot(title="A talk that was cancelled"))
    agenda = agenda_with(tiny, ["alpha"])
    agenda.picks.append(gone)
    root = parse(render(tiny, agenda))

    vanished = next(node for node in root.walk() if "vanished" in node.classes)
    assert "A talk that was cancelled" in vanished.text()


# --- clashes -----------------------------------------------------------------------------


def test_clashing_picks_are_marked_with_a_note_naming_the_other(tiny):
    coffee = event("Coffee with Bob", "2024-03-30T09:15+01:00", "2024-03-30T09:45+01:00")
    agenda = agenda_with(tiny, ["alpha"], [coffee])
    clashes = agenda_clashes(tiny, agenda)
    assert [clash.items for clash in clashes] == [("alpha", "my-event")]

    root = parse(render(tiny, agenda, clashes=clashes))
    found = blocks(root)

    for own, other in (("alpha", "Coffee with Bob"), ("my-event", "Alpha: gradient things")):
        assert "clash" in found[own].classes
        note = next(node for node in found[own].walk() if "cn" in node.classes)
        assert f"Clashes with “{other}”: 15 min overlap" in note.text()
    listed = next(node for node in root.walk() if "clashes" in node.classes)
    assert clashes[0].message in listed.text()
    assert ".clash { border: 3px solid #d40000;" in root.text()


def test_tight_room_change_note(tiny):
    clash = Clash("room_change", ("alpha", "gamma"), 3, True, "tight room change: ...")
    found = blocks(parse(render(tiny, agenda_with(tiny, ["alpha", "gamma"]), clashes=[clash])))

    assert "Tight room change, “Gamma keynote”: 3 min short (estimated)" in found["alpha"].text()


# --- zones and days ----------------------------------------------------------------------


def test_times_are_shown_in_the_chosen_zone_half_hour_offset(tiny):
    root = parse(render(tiny, agenda_with(tiny, ["alpha"]), zone="Asia/Kolkata"))
    alpha = blocks(root)["alpha"]

    assert "13:30–14:00" in alpha.text()  # 09:00 CET is 13:30 IST
    assert alpha.style["--top"] == "30"  # the grid starts at the local hour, 13:00
    assert [node.text() for node in root.walk() if "hour" in node.classes] == ["13:00"]
    assert "Times in Asia/Kolkata" in root.text()
    assert "UTC+05:30" in root.text()


def test_mlsys_day_in_berlin_splits_at_berlin_midnight():
    program = load("mlsys2022")
    root = parse(
        render(program, agenda_with(program, ["virtualflow", "deeppool"]), zone="Europe/Berlin")
    )
    headings = [
        node.text() for node in root.walk() if node.tag == "h2" and "day" in node.parent.classes
    ]
    found = blocks(root)

    assert [heading.split(" (")[0] for heading in headings] == [
        "Tuesday 30 August 2022",
        "Wednesday 31 August 2022",
    ]
    assert "18:03–18:21" in found["virtualflow"].text()  # 09:03 PDT
    assert "00:09–00:27" in found["deeppool"].text()  # 15:09 PDT, the next day in Berlin
    assert "(times in Europe/Berlin, UTC+02:00)" in headings[0]


def test_hours_follow_the_clock_across_a_dst_change(tiny):
    # 01:30 CET to 03:30 CEST on 31 March 2024 is one hour: clocks skip 02:00-03:00.
    night = event("Night owl", "2024-03-31T01:30+01:00", "2024-03-31T03:30+02:00")
    root = parse(render(tiny, agenda_with(tiny, [], [night])))

    assert blocks(root)["my-event"].style["--len"] == "60"
    assert [node.text() for node in root.walk() if "hour" in node.classes] == ["01:00", "03:00"]


def test_hours_with_lord_howe_half_hour_dst():
    program = Program(id="lh", name="Lord Howe meetup", timezone="Australia/Lord_Howe")
    # DST ends 7 April 2024 at 02:00 (+11:00) when clocks go back to 01:30 (+10:30).
    late = event("Late talk", "2024-04-07T01:00+11:00", "2024-04-07T02:00+10:30")
    root = parse(render(program, Agenda(program_id="lh", events=[late])))

    assert blocks(root)["my-event"].style["--len"] == "90"
    assert [node.text() for node in root.walk() if "hour" in node.classes] == ["01:00", "01:30"]


def test_a_session_across_midnight_keeps_each_talk_on_its_own_day():
    program = program_named("session_across_midnight.json")
    root = parse(render(program, Agenda(program_id=program.id), show_all=True))
    found = blocks(root)
    days = [node for node in root.walk() if node.tag == "section" and "day" in node.classes]

    assert len(days) == 2
    assert found["late-session"] in found["before-midnight"].ancestors()
    assert found["late-session"] not in found["after-midnight"].ancestors()
    assert days[1] in found["after-midnight"].ancestors()
    assert "in Late session" in found["after-midnight"].text()
    assert "23:00–01:00+1" in found["late-session"].text()
    # The grid of the first day runs on past midnight to the session's end.
    assert [node.text() for node in days[0].walk() if "hour" in node.classes] == [
        "22:00",
        "23:00",
        "00:00",
    ]


def test_a_zero_length_item_still_gets_a_block_inside_the_grid():
    program = program_named("session_across_midnight.json")
    root = parse(render(program, agenda_with(program, ["doors"])))
    doors = blocks(root)["doors"]

    assert doors.style["--len"] == "5"
    day = next(node for node in root.walk() if node.tag == "section")
    assert int(day.style["--minutes"]) >= int(doors.style["--top"]) + 5


def test_unknown_zone_is_refused(tiny):
    with pytest.raises(ZoneError, match="Europe/Berlin"):
        render(tiny, agenda_with(tiny, ["alpha"]), zone="Europe/Berlinn")


# --- header, output --------------------------------------------------------------------------


def test_header_names_program_zone_and_export_time(tiny):
    page = render(tiny, agenda_with(tiny, ["alpha"]), zone="America/New_York")
    header = next(node for node in parse(page).walk() if node.tag == "header")

    assert "Tiny Conf 2024" in header.text()
    assert "Times in America/New_York" in header.text()
    assert "Exported 2024-03-01 07:00 (UTC-05:00)" in header.text()


def test_output_is_the_same_for_the_same_now(tiny):
    agenda = agenda_with(tiny, ["alpha", "gamma"])
    first = render(tiny, agenda, show_all=True)

    assert render(tiny, agenda, show_all=True) == first
    later = to_html(
        tiny, agenda, zone=tiny.timezone, now=NOW + timedelta(hours=1), show_all=True, clashes=[]
    )
    assert later != first


def test_print_and_phone_styles_are_present(tiny):
    page = render(tiny, agenda_with(tiny, ["alpha"]))

    assert "@page { size: landscape;" in page
    assert "@media print" in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert ".scroll { overflow-x: auto;" in page


def test_page_says_planner_made_it_so_a_later_export_may_replace_it(tiny):
    page = render(tiny, agenda_with(tiny, ["alpha"]))

    assert '<meta name="generator" content="planner ' in page


# --- a page of a big program: cut by day or room, and said how ------------------------------


def many_talks(count: int) -> Program:
    """``count`` 20-minute talks over two days in three rooms."""
    items = []
    for n in range(count):
        day = 10 + n % 2
        minute = (n // 6) * 20
        start = datetime(2024, 6, day, 8, 0, tzinfo=timezone.utc) + timedelta(minutes=minute)
        items.append(
            {
                "id": f"t{n}",
                "title": f"Talk {n}",
                "kind": "talk",
                "start": start.isoformat(),
                "end": (start + timedelta(minutes=20)).isoformat(),
                "room": f"Hall {'ABC'[n % 3]}",
            }
        )
    return Program.model_validate({"id": "many", "name": "Many", "timezone": "UTC", "items": items})


def test_a_page_of_thousands_of_items_says_how_to_cut_it() -> None:
    from planner.export.html import LARGE_PAGE_ITEMS

    program = many_talks(LARGE_PAGE_ITEMS + 6)
    page = to_html(
        program, Agenda(program_id="many"), zone="UTC", now=NOW, show_all=True, clashes=[]
    )
    hint = [e for e in parse(page).walk() if "size-hint" in e.classes]
    assert len(hint) == 1
    assert f"holds {LARGE_PAGE_ITEMS + 6} items" in hint[0].text()
    assert "--day 2024-06-10 --room TEXT" in hint[0].text()


def test_a_page_cut_to_some_items_shows_only_those_and_no_hint() -> None:
    from planner.export.html import LARGE_PAGE_ITEMS

    program = many_talks(LARGE_PAGE_ITEMS + 6)
    only = frozenset({"t0", "t6"})
    page = to_html(
        program,
        Agenda(program_id="many"),
        zone="UTC",
        now=NOW,
        show_all=True,
        clashes=[],
        only=only,
    )
    assert "size-hint" not in page
    assert "Talk 0<" in page and "Talk 6<" in page
    assert "Talk 1<" not in page and "Talk 12<" not in page


def test_export_day_and_room_cut_the_page_from_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from planner.cli import cli

    source = tmp_path / "many.json"
    source.write_text(many_talks(60).model_dump_json())
    page = tmp_path / "day.html"
    args = ["--program", str(source), "--agenda", str(tmp_path / "a.json"), "export"]
    result = CliRunner().invoke(
        cli,
        [
            *args,
            "--format",
            "html",
            "--all",
            "--day",
            "2024-06-11",
            "--room",
            "hall b",
            "-o",
            str(page),
        ],
        env={"PLANNER_NOW": "2024-03-01T12:00:00+00:00"},
    )
    assert result.exit_code == 0, result.output
    text = page.read_text()
    for n in range(60):
        expected = n % 2 == 1 and "ABC"[n % 3] == "B"
        assert (f">Talk {n}<" in text) == expected, n
    refused = CliRunner().invoke(cli, [*args, "--day", "2024-06-11"])
    assert refused.exit_code == 2
    assert "--day and --room apply to --format html only" in refused.output
