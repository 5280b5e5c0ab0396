"""Loading the ML conference sites' JSON (<conf>-<year>-orals-posters.json)."""

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


def test_oral_and_poster_of_one_paper_stay_two_items_linked_both_ways() -> None:
    program = load(fixture("sitejson_oral_and_poster.json"))
    assert (program.id, program.name) == ("mlsys2022", "MLSys 2022")
    assert [
        (item.id, item.kind, item.start.astimezone(UTC), item.end.astimezone(UTC), item.room)
        for item in program.items
    ] == [
        ("oral-2131", "paper", utc("2022-08-30T16:03"), utc("2022-08-30T16:21"), "Exhibit Hall A"),
        (
            "poster-2132",
            "poster",
            utc("2022-08-31T00:30"),
            utc("2022-08-31T02:30"),
            "Exhibit Hall B",
        ),
        (
            "poster-2049",
            "poster",
            utc("2022-08-31T00:30"),
            utc("2022-08-31T02:30"),
            "Exhibit Hall B",
        ),
        ("oral-2048", "paper", utc("2022-08-30T16:39"), utc("2022-08-30T16:57"), "Exhibit Hall A"),
    ]
    related = {item.id: item.related for item in program.items}
    assert related == {
        "oral-2131": ["poster-2132"],
        "poster-2132": ["oral-2131"],
        "poster-2049": ["oral-2048"],  # same uid, no related_events_ids: linked all the same
        "oral-2048": ["poster-2049"],
    }


def test_a_result_keeps_its_title_authors_text_url_session_and_poster_position() -> None:
    oral, poster, *_ = load(fixture("sitejson_oral_and_poster.json")).items
    assert oral.title == "VirtualFlow: Decoupling Deep Learning Models from the Underlying Hardware"
    # The site writes a missing middle name as "None".
    assert oral.speakers == ["Andrew Or", "Haoyu Zhang", "Michael Freedman"]
    assert oral.abstract == (
        "State-of-the-art deep learning systems tightly couple the model with the underlying "
        "hardware…"
    )
    assert oral.url == "https://mlsys.org/virtual/2022/oral/2131"
    assert oral.note == "session: Systems for ML 2"
    assert poster.note == "session: Poster Session 1; poster position: 12"


def test_one_offset_gives_a_fixed_offset_zone_noted_and_program_tz_names_the_place() -> None:
    program = load(fixture("sitejson_oral_and_poster.json"))
    assert program.timezone == "Etc/GMT+7"
    assert program.notes == [
        "the file gives UTC offsets but no timezone (all times -07:00); estimated the timezone "
        "as Etc/GMT+7; give --program-tz ZONE to show times in the conference's own zone"
    ]
    named = load(fixture("sitejson_oral_and_poster.json"), zone="US/Pacific")
    assert named.timezone == "US/Pacific"
    assert named.notes == []
    assert named.items[0].start == program.items[0].start


def test_one_page_of_a_paginated_answer_loads_and_notes_the_shortfall() -> None:
    program = load(fixture("sitejson_partial_page.json"))
    assert (program.id, program.name) == ("neurips2025", "NeurIPS 2025")
    assert [(item.id, item.title, item.room) for item in program.items] == [
        ("oral-117001", "Scaling Laws for Tiny Models", "Hall C"),
        ("poster-117002", "A Poster About Posters", "Exhibit Hall C,D,E"),
    ]
    assert program.notes[0] == (
        "this file is one page of a longer answer: it holds 2 of 5210 results; the next page is "
        "https://neurips.cc/static/virtual/data/neurips-2025-orals-posters.json?page=2; "
        "loaded the 2 it has"
    )


def test_results_without_times_are_to_be_announced() -> None:
    program = load(fixture("sitejson_tba.json"))
    assert (program.id, program.timezone) == ("icml2024", "Etc/GMT-2")
    keynote, spotlight = program.items
    assert (keynote.id, keynote.kind, keynote.start, keynote.end, keynote.room) == (
        "invited-talk-3001",
        "keynote",
        None,
        None,
        None,
    )
    assert (spotlight.id, spotlight.kind, spotlight.start.astimezone(UTC)) == (
        "spotlight-3002",
        "paper",
        utc("2024-07-23T08:30"),
    )


def test_without_site_urls_the_program_id_comes_from_the_file_name(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "sitejson_tba.json").read_text())
    for result in data["results"]:
        result.pop("virtualsite_url")
    path = tmp_path / "iclr-2024-orals-posters.json"
    path.write_text(json.dumps(data))
    program = load(str(path))
    assert (program.id, program.name) == ("iclr2024", "ICLR 2024")


def test_repeated_ids_get_a_stable_suffix_and_a_note(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "sitejson_partial_page.json").read_text())
    data["results"][1]["id"] = 117001
    data["results"][1]["eventtype"] = "Oral"
    path = tmp_path / "repeated.json"
    path.write_text(json.dumps(data))
    program = load(str(path))
    assert [item.id for item in program.items] == ["oral-117001", "oral-117001-2"]
    assert "id 'oral-117001' is repeated (results[1] (id 117001)); renamed it 'oral-117001-2'" in (
        program.notes
    )


def test_sniffed_by_its_keys() -> None:
    assert sniff((FIXTURES / "sitejson_tba.json").read_bytes()) == "sitejson"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"count": 1, "results": [', "line 1, column 26: not valid JSON (Expecting value)"),
        (
            b'{"results": 5}',
            '"results" is int, expected a list of events',
        ),
        (
            b'{"count": 1, "items": []}',
            'not a conference-site JSON: expected an object with a "results" list (as '
            "/static/virtual/data/<conf>-<year>-orals-posters.json has)",
        ),
        (b'{"results": [{"id": 7}]}', 'results[0] (id 7) has no "name" (the paper title)'),
        (
            b'{"results": [{"id": 7, "name": "T", "starttime": "Tuesday 9am", "endtime": null}]}',
            "results[0] (id 7): \"starttime\" 'Tuesday 9am' is not an ISO 8601 time with a UTC "
            "offset",
        ),
        (
            b'{"results": [{"id": 7, "name": "T", "starttime": "2024-07-23T10:30:00",'
            b' "endtime": "2024-07-23T10:35:00"}]}',
            "results[0] (id 7): \"starttime\" '2024-07-23T10:30:00' is not an ISO 8601 time with "
            "a UTC offset; give --program-tz ZONE for times without one",
        ),
        (
            b'{"results": [{"id": 7, "name": "T", "authors": "Ada"}]}',
            'results[0] (id 7): "authors" is str, expected a list',
        ),
    ],
)
def test_bad_files_raise_one_program_error_naming_the_result(content: bytes, message: str) -> None:
    with pytest.raises(ProgramError) as error:
        parse(content, SourceContext(label="site.json", stem="site"), fmt="sitejson")
    assert str(error.value) == f"site.json: {message}"


def test_times_without_an_offset_are_read_in_program_tz() -> None:
    content = (
        b'{"results": [{"id": 7, "name": "T", "eventtype": "Oral",'
        b' "starttime": "2024-03-31T02:30:00", "endtime": "2024-03-31T04:30:00"}]}'
    )
    context = SourceContext(label="site.json", stem="site")
    program = parse(content, context, fmt="sitejson", zone="Europe/Vienna")
    [item] = program.items
    # 02:30 does not exist that night in Vienna: moved forward by the gap, and said.
    assert (item.start.isoformat(), item.end.isoformat()) == (
        "2024-03-31T03:30:00+02:00",
        "2024-03-31T04:30:00+02:00",
    )
    assert any("results[0] (id 7): " in note and "02:30" in note for note in program.notes)


def test_an_end_before_the_start_is_refused_naming_the_item() -> None:
    content = (
        b'{"results": [{"id": 7, "name": "T", "eventtype": "Oral",'
        b' "starttime": "2024-07-23T10:30:00+02:00", "endtime": "2024-07-23T10:00:00+02:00"}]}'
    )
    with pytest.raises(ProgramError) as error:
        parse(content, SourceContext(label="site.json", stem="site"), fmt="sitejson")
    assert "item 'oral-7' ends (2024-07-23T10:00:00+02:00) before it starts" in str(error.value)


# --- command line ---


def test_cli_talks_lists_both_presentations() -> None:
    result = run(
        "--program", fixture("sitejson_oral_and_poster.json"), "--program-tz", "US/Pacific", "talks"
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Tuesday 30 August 2022 (times in US/Pacific, UTC-07:00)",
        "  09:03-09:21   Exhibit Hall A   oral-2131    VirtualFlow: Decoupling Deep Learning "
        "Models from the Underlying Hardware",
        "  09:39-09:57   Exhibit Hall A   oral-2048    mmSampler: Efficient Frame Sampler for "
        "Multimodal Video Retrieval",
        "  17:30-19:30   Exhibit Hall B   poster-2049  mmSampler: Efficient Frame Sampler for "
        "Multimodal Video Retrieval",
        "  17:30-19:30   Exhibit Hall B   poster-2132  VirtualFlow: Decoupling Deep Learning "
        "Models from the Underlying Hardware",
    ]


def test_cli_program_format_forces_sitejson(tmp_path: Path) -> None:
    path = tmp_path / "bare.json"
    path.write_text(json.dumps(json.loads((FIXTURES / "sitejson_tba.json").read_text())["results"]))
    result = run("--program", str(path), "--program-format", "sitejson", "talks", "--json")
    assert result.exit_code == 0, result.output
    assert [item["id"] for item in json.loads(result.output)] == [
        "spotlight-3002",
        "invited-talk-3001",
    ]


def test_cli_pick_the_oral_and_check_the_estimated_zone(tmp_path: Path) -> None:
    base = ["--program", fixture("sitejson_oral_and_poster.json"), "--agenda", str(tmp_path / "a")]
    picked = run(*base, "pick", "oral-2131", "poster-2049")
    assert picked.exit_code == 0, picked.output
    checked = run(*base, "check")
    assert "estimated the timezone as Etc/GMT+7" in checked.output


def test_cli_bad_file_exits_2_with_one_error_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"count": 3, "results": [{"id": 1, "name": "x", "starttime": "soon"}]}')
    result = run("--program", str(path), "talks")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: {path}: results[0] (id 1): \"starttime\" 'soon' is not an ISO 8601 time with a "
        "UTC offset"
    ]
