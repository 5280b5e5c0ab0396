"""Tracks, languages and types: read from every format that has them, kept in the native
format (version 2; version 1 files still load), filtered by `talks --track/--language`,
shown by --json, `show` and the HTML timetable."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from helpers.loading import fixture, run

from planner.agenda import Agenda
from planner.export.html import TRACK_COLOURS, to_html
from planner.model import FORMAT_VERSION, Program
from planner.query import Wanted, filter_items
from planner.sources import SourceContext, load, parse
from planner.sources.common import kind_from_label

FRAB = fixture("night_congress_frab.xml")
C3VOC = fixture("night_congress_c3voc.json")


def labels(program: Program) -> list[tuple[str, str, str | None, str | None]]:
    return [(item.title, item.kind, item.track, item.language) for item in program.items]


# --- every format ---


def test_frab_track_language_and_type() -> None:
    assert labels(load(FRAB)) == [
        ("Opening ceremony", "talk", "CCC", "en"),  # lecture
        ("Tapping fibre optics", "talk", "Security", "de"),
        ("Soldering for beginners", "tutorial", "Hardware & Making", "en"),  # workshop
        ("Chiptune night", "social", "Art & Culture", None),  # concert; <language></language>
        ("Who watches the watchers", "talk", "Security", "en"),  # podium
        ("Lightning talks", "talk", "CCC", "EN"),  # lightning_talk
        ("Last set before sunrise", "social", "Art & Culture", None),  # djset, no <language>
    ]


def test_c3voc_track_and_language_and_a_track_that_is_not_text() -> None:
    assert labels(load(C3VOC)) == [
        ("Open hardware in practice", "talk", "Hardware", "en"),
        ("Panel: who owns the night", "talk", "Society", "nl"),
        ("Before the clocks go back", "social", "Music", None),  # "language": null
        # "track": {"name": ...} is not text: no track, and no error (neither is needed to plan)
        ("Sunrise set", "social", None, None),
        ("Workshop: your first synthesiser", "tutorial", "Hardware", "en"),
    ]


def test_pretalx_json_tracks_and_languages() -> None:
    program = load(fixture("pretalx_democon.schedule.json"))
    tracks = Counter(item.track for item in program.items)
    assert tracks == {"Horizontal": 21, "Phased": 15}
    assert {item.language for item in program.items} == {"en"}


def test_site_json_topic_is_the_track() -> None:
    program = load(fixture("sitejson_oral_and_poster.json"))
    assert {item.track for item in program.items} == {"Systems for ML"}


def test_site_json_without_a_topic_uses_the_session() -> None:
    data = {
        "count": 1,
        "results": [
            {
                "id": 7,
                "name": "A paper",
                "session": "Oral Session 3",
                "eventtype": "Oral",
                "starttime": "2024-05-07T10:00:00+02:00",
                "endtime": "2024-05-07T10:15:00+02:00",
            }
        ],
    }
    context = SourceContext(label="site.json", stem="iclr-2024")
    program = parse(json.dumps(data).encode(), context, fmt="sitejson")
    assert program.items[0].track == "Oral Session 3"


def test_csv_track_and_language_columns() -> None:
    program = load(fixture("csv_night_items.csv"))
    assert [(item.track, item.language) for item in program.items] == [
        ("Community", "en"),
        ("Community", "de"),
        ("Web", "en"),
    ]
    assert not any("ignored the column" in note for note in program.notes)


def test_ics_categories_give_a_track_where_it_is_clear() -> None:
    program = load(fixture("ics_categories.ics"))
    assert [(item.id, item.kind, item.track) for item in program.items] == [
        ("kind-and-track", "talk", "Security"),  # Lecture names the kind, Security the track
        ("track-alone", "talk", "Open Hardware"),  # no kind named: the default kind
        ("kind-alone", "tutorial", None),
        ("unclear", "other", None),  # two labels, neither a kind: which is the track?
    ]


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("lecture", "talk"),
        ("Lecture", "talk"),
        ("workshop", "tutorial"),
        ("podium", "talk"),
        ("Podium discussion", "talk"),
        ("panel", "talk"),
        ("lightning_talk", "talk"),
        ("lightningtalk", "talk"),  # FOSDEM
        ("maintrack", "talk"),  # FOSDEM
        ("devroom", "talk"),  # FOSDEM
        ("keynote", "keynote"),
        ("meeting", "social"),
        ("concert", "social"),
        ("djset", "social"),
        ("DJ set", "social"),
        ("performance", "social"),
        ("film", "social"),
        ("certification", "other"),
        ("other", "other"),
    ],
)
def test_format_types_map_to_kinds(label: str, kind: str) -> None:
    assert kind_from_label(label) == kind


# --- the native format ---


def test_a_version_1_program_still_loads() -> None:
    program = load(fixture("native_program_v1.json"))
    assert [(item.id, item.track, item.language) for item in program.items] == [
        ("opening", None, None),
        ("late", None, None),
    ]
    assert (program.days, program.day_change) == ([], None)
    assert program.version == FORMAT_VERSION == 3  # written back in the current version


def test_import_keeps_tracks_languages_and_days(tmp_path: Path) -> None:
    target = tmp_path / "congress.json"
    result = run("import", FRAB, "-o", str(target))
    assert result.exit_code == 0, result.output
    written = json.loads(target.read_text("utf-8"))
    assert written["version"] == 3
    assert written["items"][1]["track"] == "Security"
    assert written["items"][1]["language"] == "de"
    assert written["days"][0] == {
        "date": "2019-12-27",
        "start": "2019-12-27T10:00:00+01:00",
        "end": "2019-12-28T04:00:00+01:00",
    }
    assert load(str(target)) == load(FRAB)


def test_a_newer_version_is_refused_with_one_line(tmp_path: Path) -> None:
    newer = tmp_path / "newer.json"
    data = json.loads(Path(fixture("native_program_v1.json")).read_text("utf-8"))
    newer.write_text(json.dumps({**data, "version": FORMAT_VERSION + 1}), "utf-8")
    result = run("--program", str(newer), "talks")
    assert result.exit_code == 2
    assert "format version 4" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_schema_describes_track_language_and_days() -> None:
    schema = json.loads(run("schema").stdout)
    assert {"track", "language"} <= set(schema["$defs"]["Item"]["properties"])
    assert {"days", "day_change"} <= set(schema["properties"])


# --- talks --track / --language ---


def titles(*args: str) -> list[str]:
    result = run("--program", FRAB, "talks", "--json", *args)
    assert result.exit_code == 0, result.output
    return [item["title"] for item in json.loads(result.stdout)]


def test_track_filter_is_exact_in_any_case() -> None:
    assert titles("--track", "security") == ["Tapping fibre optics", "Who watches the watchers"]
    assert titles("--track", "SECURITY") == titles("--track", "Security")
    # exact, not a part of the name: "Art" is not "Art & Culture"
    assert run("--program", FRAB, "talks", "--track", "Art").exit_code == 2


def test_track_filter_repeats_as_alternatives() -> None:
    assert titles("--track", "Security", "--track", "art & culture") == [
        "Tapping fibre optics",
        "Chiptune night",
        "Who watches the watchers",
        "Last set before sunrise",
    ]


def test_language_filter_and_track_together() -> None:
    assert titles("--language", "en") == [
        "Opening ceremony",
        "Soldering for beginners",
        "Who watches the watchers",
        "Lightning talks",  # written "EN"
    ]
    assert titles("--language", "en", "--track", "ccc") == ["Opening ceremony", "Lightning talks"]
    assert titles("--language", "de", "--language", "EN", "--track", "Security") == [
        "Tapping fibre optics",
        "Who watches the watchers",
    ]


def test_an_unknown_track_names_the_closest_one() -> None:
    result = run("--program", FRAB, "talks", "--track", "securty")
    assert result.exit_code == 2
    assert result.stderr == "Error: no track 'securty' in nightcongress; closest: Security\n"


def test_an_unknown_language_lists_the_programs_languages() -> None:
    result = run("--program", fixture("csv_night_items.csv"), "talks", "--language", "fr")
    assert result.exit_code == 2
    assert result.stderr == "Error: no language 'fr' in csv_night_items; its languages: de, en\n"


def test_a_program_without_tracks_says_so() -> None:
    result = run("--program", fixture("native_program_v1.json"), "talks", "--track", "x")
    assert result.exit_code == 2
    assert result.stderr == "Error: oldconf gives no item a track; leave out --track\n"


def test_the_core_filter_gives_the_same_answer() -> None:
    program = load(FRAB)
    found = filter_items(program, Wanted(tracks=("hardware & making",)), zone=program.timezone)
    assert [item.title for item in found] == ["Soldering for beginners"]


# --- showing them ---


def test_json_has_track_and_language() -> None:
    result = run("--program", FRAB, "talks", "--json", "--track", "Security")
    first = json.loads(result.stdout)[0]
    assert (first["track"], first["language"]) == ("Security", "de")
    assert list(first) == sorted(first)  # keys stay sorted
    untracked = json.loads(
        run("--program", fixture("native_program_v1.json"), "talks", "--json").stdout
    )
    assert (untracked[0]["track"], untracked[0]["language"]) == (None, None)


def test_show_names_the_track_and_language() -> None:
    result = run("--program", FRAB, "show", "0a000000-0000-4000-8000-000000000012")
    assert "  track:    Security" in result.stdout.splitlines()
    assert "  language: de" in result.stdout.splitlines()


def test_the_timetable_colours_tracks_and_lists_them_in_a_legend() -> None:
    program = load(FRAB)
    page = to_html(
        program,
        Agenda(program_id=program.id),
        zone=program.timezone,
        now=program.items[0].start,
        show_all=True,
        clashes=[],
    )
    # Sorted in any case: Art & Culture, CCC, Hardware & Making, Security.
    legend = page.split('<ul class="legend tracks" aria-label="tracks">', 1)[1].split("</ul>")[0]
    assert legend.count("<li>") == 4
    assert legend.index("Art &amp; Culture") < legend.index("CCC") < legend.index("Security")
    assert f'style="background:{TRACK_COLOURS[3]}"></span>Security' in legend
    security_block = page.split('data-id="12"')[0]
    assert security_block.rsplit("<div ", 1)[1].count(f"--tc:{TRACK_COLOURS[3]}") == 1
    assert "tracked" in security_block.rsplit("<div ", 1)[1]
    assert "track: Security" in page  # the block's tooltip


def test_a_page_without_tracks_has_no_track_legend() -> None:
    program = load(fixture("native_program_v1.json"))
    page = to_html(
        program,
        Agenda(program_id=program.id),
        zone=program.timezone,
        now=program.items[0].start,
        show_all=True,
        clashes=[],
    )
    assert "legend tracks" not in page
    assert " tracked" not in page.split("</style>")[1]


def test_a_day_page_of_a_big_program_keeps_each_tracks_colour() -> None:
    program = load(FRAB)
    day_two = frozenset(
        item.id
        for item in filter_items(program, Wanted(day=date(2019, 12, 28)), zone=program.timezone)
    )
    page = to_html(
        program,
        Agenda(program_id=program.id),
        zone=program.timezone,
        now=program.items[0].start,
        show_all=True,
        clashes=[],
        only=day_two,
    )
    legend = page.split('aria-label="tracks">', 1)[1].split("</ul>")[0]
    assert "Hardware" not in legend  # not on this page
    assert f'style="background:{TRACK_COLOURS[3]}"></span>Security' in legend
