"""planner serve's JSON API under the framework's test client: the CLI's --json shapes,
the agenda file the CLI reads, and a JSON error (never a traceback) for bad requests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.web import FIXTURES, SAME_ORIGIN, client, planner

TRACKS = str(FIXTURES / "web_tracks_and_languages.json")


@pytest.fixture
def agenda(tmp_path: Path) -> Path:
    return tmp_path / "agenda.json"


def cli_json(*args: str, agenda: Path) -> object:
    return json.loads(planner(*args, agenda=agenda).stdout)


def test_program_is_talks_json_with_the_same_filters(agenda):
    api = client(agenda)
    assert api.get("/api/program").json() == cli_json("talks", "--json", agenda=agenda)
    filtered = api.get(
        "/api/program", params={"search": "sparse", "kind": "talk", "tz": "Asia/Kolkata"}
    )
    assert filtered.json() == cli_json(
        "--tz",
        "Asia/Kolkata",
        "talks",
        "--search",
        "sparse",
        "--kind",
        "talk",
        "--json",
        agenda=agenda,
    )
    assert filtered.json(), "the filter should match something"


def test_item_is_show_json(agenda):
    answer = client(agenda).get("/api/items/deeppool")
    assert answer.json() == cli_json("show", "deeppool", "--json", agenda=agenda)


def test_picks_reach_the_agenda_file_and_warn_about_the_clash(agenda):
    api = client(agenda)
    answer = api.post(
        "/api/picks", json={"ids": ["deeppool", "fpga-inference"]}, headers=SAME_ORIGIN
    )
    assert answer.status_code == 200
    report = answer.json()
    assert [o["action"] for o in report["outcomes"]] == ["added", "added"]
    assert report["warnings"] == [
        "Sparse deep neural network… (fpga-inference) and Efficient Strong Scaling… (deeppool) "
        "overlap by 18 minutes (15:09-15:27)"
    ]
    assert api.get("/api/agenda").json() == cli_json("agenda", "--json", agenda=agenda)
    assert planner("clashes", agenda=agenda).stdout.decode().startswith("time")


def test_a_session_covers_its_talks_as_in_the_cli(agenda):
    api = client(agenda)
    api.post("/api/picks", json={"ids": ["sparsity-tutorial"]}, headers=SAME_ORIGIN)
    report = api.post("/api/picks", json={"ids": ["fpga-inference"]}, headers=SAME_ORIGIN).json()
    assert report["outcomes"][0]["action"] == "covered"
    assert report["outcomes"][0]["covered_by"] == "sparsity-tutorial"


def test_drop_a_pick(agenda):
    api = client(agenda)
    api.post("/api/picks", json={"ids": ["deeppool"]}, headers=SAME_ORIGIN)
    answer = api.delete("/api/picks/deeppool", headers=SAME_ORIGIN)
    assert answer.status_code == 200
    assert answer.json()["outcomes"][0]["action"] == "dropped"
    assert api.get("/api/agenda").json()["items"] == []
    again = api.delete("/api/picks/deeppool", headers=SAME_ORIGIN)
    assert again.status_code == 404
    assert "not in your agenda" in again.json()["error"]


def test_add_and_drop_a_personal_event_in_the_asked_zone(agenda):
    api = client(agenda)
    event = {
        "title": "Lunch with Bob",
        "start": "2022-08-30 12:00",
        "end": "13:00",
        "location": "Cafe",
    }
    answer = api.post(
        "/api/events", json=event, params={"tz": "Europe/Berlin"}, headers=SAME_ORIGIN
    )
    assert answer.status_code == 201
    assert answer.json()["messages"] == [
        "added your event my-lunch-with-bob: Lunch with Bob (Tue 30 Aug 12:00-13:00, Cafe)"
    ]
    items = api.get("/api/agenda", params={"tz": "Europe/Berlin"}).json()["items"]
    assert items[0]["start"] == "2022-08-30T12:00:00+02:00"
    assert api.delete("/api/events/my-lunch-with-bob", headers=SAME_ORIGIN).status_code == 200
    assert api.delete("/api/events/my-lunch-with-bob", headers=SAME_ORIGIN).status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "words"),
    [
        ("post", "/api/picks", {"ids": ["no-such-talk"]}, 404, "no item 'no-such-talk'"),
        ("post", "/api/picks", {"ids": []}, 400, "non-empty list"),
        ("post", "/api/picks", {"ids": "deeppool"}, 400, "non-empty list"),
        ("post", "/api/picks", [1, 2], 400, "JSON object"),
        ("post", "/api/events", {"title": "x", "start": "soon", "end": "later"}, 400, "not a time"),
        (
            "post",
            "/api/events",
            {"title": "x", "start": "2022-08-30 12:00", "end": "11:00"},
            400,
            "before",
        ),
        ("get", "/api/items/nope", None, 404, "no item 'nope'"),
        ("get", "/api/agenda?tz=Mars/Olympus", None, 400, "unknown timezone"),
        ("get", "/api/program?kind=dance", None, 400, "kind 'dance'"),
        ("get", "/api/program?day=someday", None, 400, "not a date"),
        ("get", "/api/program?track=Security", None, 400, "gives no item a track"),
        ("get", "/api/program?language=en", None, 400, "gives no item a language"),
        ("get", "/no/such/page", None, 404, "no such page"),
    ],
)
def test_bad_requests_get_one_json_error(agenda, method, path, body, status, words):
    api = client(agenda)
    kwargs = {"headers": SAME_ORIGIN} if method != "get" else {}
    if body is not None:
        kwargs["json"] = body
    answer = getattr(api, method)(path, **kwargs)
    assert answer.status_code == status
    assert words in answer.json()["error"]
    assert api.get("/api/agenda").status_code == 200  # still serving


def test_a_body_that_is_not_json(agenda):
    answer = client(agenda).post("/api/picks", content=b"ids=deeppool", headers=SAME_ORIGIN)
    assert answer.status_code == 400
    assert "not JSON" in answer.json()["error"]


def test_a_10_mb_body_is_refused_and_the_server_keeps_serving(agenda):
    api = client(agenda)
    answer = api.post("/api/picks", content=b"[" * (10 * 1024 * 1024), headers=SAME_ORIGIN)
    assert answer.status_code == 413
    assert "larger than" in answer.json()["error"]
    assert api.get("/api/program").status_code == 200


def test_the_page_shows_the_grid_and_the_picks(agenda):
    api = client(agenda)
    api.post("/api/picks", json={"ids": ["deeppool", "fpga-inference"]}, headers=SAME_ORIGIN)
    page = api.get("/", params={"day": "2022-08-30"})
    assert page.status_code == 200
    assert 'class="block kind-paper picked clash" ' in page.text  # the export's own layout
    assert "(fpga-inference) and Efficient Strong Scaling… (deeppool) overlap by 18" in page.text
    assert "webcal://127.0.0.1:8765/agenda.ics?tz=America%2FLos_Angeles" in page.text


def test_the_page_with_an_unknown_zone_says_so(agenda):
    page = client(agenda).get("/", params={"tz": "Mars/Olympus"})
    assert page.status_code == 400
    assert "unknown timezone" in page.text


def test_a_cli_pick_shows_on_the_next_page_load(agenda):
    api = client(agenda)
    assert "sustainable-ai" not in api.get("/api/agenda").text
    planner("pick", "sustainable-ai", agenda=agenda)
    assert [i["id"] for i in api.get("/api/agenda").json()["items"]] == ["sustainable-ai"]


# --- track and language filters (planner talks --track / --language) ---


@pytest.mark.parametrize(
    "query",
    [
        [("track", "security")],
        [("track", "Security"), ("track", "<b>art</b> & culture")],
        [("language", "en")],  # also the item written "EN"
        [("language", "de"), ("language", "EN"), ("track", "Security")],
        [("track", "Security"), ("kind", "talk"), ("search", "watch")],
        [("track", ""), ("language", "")],  # an empty choice is "any", as on the page
    ],
)
def test_track_and_language_filter_as_talks_does(agenda, query):
    answer = client(agenda, TRACKS).get("/api/program", params=query)
    assert answer.status_code == 200
    options = [arg for key, value in query if value for arg in (f"--{key}", value)]
    expected = cli_json("--program", TRACKS, "talks", "--json", *options, agenda=agenda)
    assert answer.json() == expected
    assert expected, "the filter should match something"


def test_filters_change_what_is_listed(agenda):
    api = client(agenda, TRACKS)
    ids = [item["id"] for item in api.get("/api/program", params={"language": "en"}).json()]
    assert ids == ["welcome", "watchers", "solder"]


@pytest.mark.parametrize(
    ("query", "cli_args"),
    [
        ({"track": "securty"}, ["--track", "securty"]),
        ({"track": "Art"}, ["--track", "Art"]),  # exact: not a part of a track's name
        ({"language": "fr"}, ["--language", "fr"]),
    ],
)
def test_an_unknown_track_or_language_is_the_clis_error(agenda, query, cli_args):
    api = client(agenda, TRACKS)
    answer = api.get("/api/program", params=query)
    assert answer.status_code == 400
    done = planner("--program", TRACKS, "talks", *cli_args, agenda=agenda, check=False)
    assert done.returncode == 2
    assert answer.json() == {"error": done.stderr.decode().removeprefix("Error: ").rstrip("\n")}
    assert "\n" not in answer.json()["error"]
    assert api.get("/api/program").status_code == 200  # still serving


def test_the_page_offers_track_and_language_filters_escaped(agenda):
    page = client(agenda, TRACKS).get("/")
    assert page.status_code == 200
    assert '<select name="track" id="track">' in page.text
    assert '<select name="language" id="language">' in page.text
    assert '<option value="&lt;b&gt;Art&lt;/b&gt; &amp; Culture">' in page.text
    assert "<b>Art</b>" not in page.text
    # one option per language in any case, as the filter matches them
    assert page.text.count('<option value="en">') == 1
    assert '<option value="EN">' not in page.text


def test_the_page_lists_a_track_and_keeps_it_on_the_day_links(agenda):
    page = client(agenda, TRACKS).get("/", params={"track": "security", "day": "2024-05-14"})
    assert page.status_code == 200
    assert "2 matching items" in page.text
    assert 'data-matches="fibre watchers"' in page.text
    assert '<option value="Security" selected>' in page.text
    assert "?tz=Europe%2FBerlin&amp;track=security&amp;day=2024-05-15" in page.text
    assert not agenda.exists(), "a GET never writes the agenda"


def test_the_page_with_an_unknown_track_says_so(agenda):
    page = client(agenda, TRACKS).get("/", params={"language": "fr"})
    assert page.status_code == 400
    assert "no language &#39;fr&#39; in web-tracks; its languages: de, en</p>" in page.text


def test_the_page_of_a_program_without_tracks_has_no_track_filter(agenda):
    page = client(agenda).get("/")
    assert 'name="track"' not in page.text
    assert 'name="language"' not in page.text
