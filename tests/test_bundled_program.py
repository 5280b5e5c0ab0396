"""The bundled MLSys 2022 program (data/mlsys2022.json), checked against FACTS.md by value."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from importlib import resources

import pytest

from planner.model import Item, Program
from planner.sources import load

DAY = "2022-08-30T"
PACIFIC = timedelta(hours=-7)

# id: (parent, start, end, estimated) for all 18 papers, as FACTS.md gives them.
PAPERS = {
    "quclassi": ("systems-for-ml-2", "08:45", "09:03", True),
    "virtualflow": ("systems-for-ml-2", "09:03", "09:21", True),
    "taglets": ("systems-for-ml-2", "09:21", "09:39", True),
    "mmsampler": ("systems-for-ml-2", "09:39", "09:57", True),
    "sustainable-ai": ("systems-for-ml-2", "09:57", "10:15", True),
    "matchmaker": ("ml-for-systems", "13:00", "13:18", True),
    "mcm-partitioning": ("ml-for-systems", "13:18", "13:36", True),
    "sla-inference": ("ml-for-systems", "13:36", "13:54", True),
    "nurd": ("ml-for-systems", "13:54", "14:12", True),
    "sesr": ("hardware-efficient-ml", "14:15", "14:33", True),
    "naas": ("hardware-efficient-ml", "14:33", "14:51", True),
    "gradient-compression": ("hardware-efficient-ml", "14:51", "15:09", True),
    "deeppool": ("hardware-efficient-ml", "15:09", "15:27", False),
    "revelio": ("testing-debugging", "16:00", "16:18", True),
    "tooling-randomness": ("testing-debugging", "16:18", "16:36", True),
    "parallelism-placement": ("testing-debugging", "16:36", "16:54", True),
    "dpro": ("testing-debugging", "16:54", "17:12", True),
    "diva": ("testing-debugging", "17:12", "17:30", True),
}
# id: (title, start, end, estimated)
SESSIONS = {
    "systems-for-ml-2": ("Systems for ML 2", "08:45", "10:15", True),
    "ml-for-systems": ("ML for Systems", "13:00", "14:12", True),
    "hardware-efficient-ml": ("Hardware Efficient ML", "14:15", "15:27", True),
    "testing-debugging": ("Testing, Debugging and Monitoring & Security", "16:00", "17:30", False),
}
# The sparsity tutorial's parts in order: id, kind, start, end, speakers.
SPARSITY_PARTS = [
    ("sparsity-opening", "talk", "13:00", "13:50", ["Wen-Mei Hwu", "Jinjun Xiong"]),
    ("tiled-spmm", "talk", "13:50", "14:45", ["Mert Hidayetoglu"]),
    ("fpga-inference", "talk", "14:45", "15:45", ["Sitao Huang"]),
    ("sparsity-break", "break", "15:45", "16:00", []),
    ("sparsity-24", "talk", "16:00", "16:45", ["Rakesh Nagi", "Jeff Pool"]),
    ("sparsity-closing", "talk", "16:45", "17:00", ["Vikram Sharma Mailthody"]),
]


@pytest.fixture(scope="module")
def program() -> Program:
    return load("mlsys2022")


@pytest.fixture(scope="module")
def items(program: Program) -> dict[str, Item]:
    return program.item_map()


def at(clock: str) -> datetime:
    return datetime.fromisoformat(f"{DAY}{clock}:00-07:00")


def test_loads_by_bundled_name_with_its_identity(program: Program) -> None:
    assert program.id == "mlsys2022"
    assert program.name == "MLSys 2022"
    assert program.timezone == "America/Los_Angeles"
    assert program.venue == "Santa Clara Convention Center, Santa Clara, California"
    assert [room.name for room in program.rooms] == ["Exhibit Hall A", "Room 204"]
    assert program.walk_minutes is None
    assert program.walk_table == []


def test_file_is_native_format_version_1() -> None:
    raw = resources.files("planner.data").joinpath("mlsys2022.json").read_text("utf-8")
    data = json.loads(raw)
    assert (data["format"], data["version"]) == ("planner-program", 1)


def test_counts_by_kind(program: Program) -> None:
    kinds = [item.kind for item in program.items]
    assert kinds.count("session") == 4
    assert kinds.count("paper") == 18
    assert kinds.count("tutorial") == 2
    assert kinds.count("talk") == 5
    assert kinds.count("break") == 1
    assert kinds.count("keynote") == 1
    assert kinds.count("social") == 1
    assert kinds.count("registration") == 1
    assert len(program.items) == 33


@pytest.mark.parametrize("paper_id", sorted(PAPERS))
def test_each_paper_has_its_session_slot_and_flag(items: dict[str, Item], paper_id: str) -> None:
    parent, start, end, estimated = PAPERS[paper_id]
    paper = items[paper_id]
    assert paper.kind == "paper"
    assert paper.parent == parent
    assert (paper.start, paper.end) == (at(start), at(end))
    assert paper.room == "Exhibit Hall A"
    assert paper.estimated is estimated
    assert paper.note, f"{paper_id} says nothing about where its slot came from"
    assert paper.abstract


def test_sessions(items: dict[str, Item]) -> None:
    for session_id, (title, start, end, estimated) in SESSIONS.items():
        session = items[session_id]
        assert (session.kind, session.title) == ("session", title)
        assert (session.start, session.end) == (at(start), at(end))
        assert session.room == "Exhibit Hall A"
        assert session.estimated is estimated


def test_key_times(items: dict[str, Item]) -> None:
    expected = {
        "virtualflow": ("09:03", "09:21", "Exhibit Hall A"),
        "telemetry-tutorial": ("08:00", "10:15", "Room 204"),
        "deeppool": ("15:09", "15:27", "Exhibit Hall A"),
        "fpga-inference": ("14:45", "15:45", "Room 204"),
        "sparsity-opening": ("13:00", "13:50", "Room 204"),
        "nurd": ("13:54", "14:12", "Exhibit Hall A"),
        "gradient-compression": ("14:51", "15:09", "Exhibit Hall A"),
    }
    for item_id, (start, end, room) in expected.items():
        item = items[item_id]
        assert (item.start, item.end, item.room) == (at(start), at(end), room), item_id


def test_tutorials(items: dict[str, Item]) -> None:
    telemetry = items["telemetry-tutorial"]
    assert telemetry.kind == "tutorial"
    assert telemetry.title == "ML-based Computer System Telemetry Analytics"
    assert telemetry.speakers == ["Burak Aksar"]
    assert telemetry.estimated is False
    sparsity = items["sparsity-tutorial"]
    assert sparsity.kind == "tutorial"
    assert sparsity.title.startswith("Sparsity in ML: Understanding and Optimizing Sparsity")
    assert (sparsity.start, sparsity.end, sparsity.room) == (at("13:00"), at("17:00"), "Room 204")
    assert sparsity.speakers == [
        "Mert Hidayetoglu",
        "Jinjun Xiong",
        "Wen-Mei Hwu",
        "Rakesh Nagi",
        "Vikram Sharma Mailthody",
        "Jeff Pool",
        "Sitao Huang",
    ]


def test_sparsity_tutorial_holds_its_parts_and_break_in_order(program: Program) -> None:
    children = sorted(program.children_map()["sparsity-tutorial"], key=lambda item: item.start)
    got = [(c.id, c.kind, c.start, c.end, c.speakers, c.room, c.estimated) for c in children]
    want = [
        (part_id, kind, at(start), at(end), speakers, "Room 204", False)
        for part_id, kind, start, end, speakers in SPARSITY_PARTS
    ]
    assert got == want
    assert "telemetry-tutorial" not in program.children_map()


def test_estimates_where_facts_say_unknown(items: dict[str, Item]) -> None:
    registration = items["registration"]
    assert registration.kind == "registration"
    assert (registration.start, registration.end) == (at("06:30"), at("08:00"))
    invited = items["invited-talk"]
    assert invited.kind == "keynote"
    assert invited.title == "Towards Building a Responsible Data Economy"
    assert invited.speakers == ["Dawn Song"]
    assert (invited.start, invited.end, invited.room) == (at("10:30"), at("11:30"), None)
    assert "page order" in (invited.note or "")
    round_table = items["round-table"]
    assert round_table.kind == "social"
    assert (round_table.start, round_table.end) == (at("11:30"), at("13:00"))
    for item in (registration, invited, round_table):
        assert item.estimated is True
        assert item.note


def test_every_estimated_item_says_why(program: Program) -> None:
    for item in program.items:
        if item.estimated:
            assert item.note and len(item.note) > 20, item.id


def test_all_on_tuesday_at_pacific_daylight_time(program: Program) -> None:
    for item in program.items:
        assert item.start is not None and item.end is not None, item.id
        for moment in (item.start, item.end):
            assert moment.utcoffset() == PACIFIC, item.id
            assert moment.date().isoformat() == "2022-08-30", item.id


def test_ids_are_short_typable_slugs(program: Program) -> None:
    for item in program.items:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", item.id), item.id
        assert len(item.id) <= 24, item.id


def test_page_glitches_are_fixed(items: dict[str, Item], program: Program) -> None:
    assert items["virtualflow"].speakers == ["Andrew Or", "Haoyu Zhang", "Michael J. Freedman"]
    assert items["sesr"].speakers == [
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
    tag = re.compile(r"</?[A-Za-z][^<>]*>")
    for item in program.items:
        assert not any("None" in name.split() for name in item.speakers), item.id
        assert len(set(item.speakers)) == len(item.speakers), item.id
        assert not tag.search(item.abstract), item.id
    assert "https://merthidayetoglu.github.io" in items["sparsity-tutorial"].abstract


def test_real_titles_and_author_counts(items: dict[str, Item]) -> None:
    assert items["virtualflow"].title == (
        "VirtualFlow: Decoupling Deep Learning Models from the Underlying Hardware"
    )
    assert items["deeppool"].title == "Efficient Strong Scaling Through Burst Parallel Training"
    assert items["gradient-compression"].title == (
        "On the Utility of Gradient Compression in Distributed Training Systems"
    )
    assert len(items["sustainable-ai"].speakers) == 25
    assert items["sustainable-ai"].speakers[0] == "Carole-Jean Wu"
    assert len(items["mcm-partitioning"].speakers) == 9
    assert len(items["naas"].speakers) == 10
    assert all(not item.title.startswith("Untitled") for item in items.values())


def test_notes_say_what_was_filled_in(program: Program) -> None:
    text = " ".join(program.notes).lower()
    assert "title" in text
    assert "end time" in text
    assert "estimated" in text
    assert "michael j. freedman" in text
