"""planner serve is a server: the token off loopback, the Host check, same-origin changes,
escaped program text, the Content-Security-Policy, and no disk path served."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.web.security import Guard, needs_token
from tests.helpers.web import BASE, FIXTURES, SAME_ORIGIN, client

HOSTILE = str(FIXTURES / "web_script_titles.json")


@pytest.fixture
def agenda(tmp_path: Path) -> Path:
    return tmp_path / "agenda.json"


@pytest.mark.parametrize(("host", "needed"), [
    ("127.0.0.1", False), ("localhost", False), ("127.0.0.2", True), ("::1", True),
    ("0.0.0.0", True), ("192.168.1.20", True),
])  # fmt: skip
def test_a_token_is_needed_off_127_0_0_1_and_localhost(host, needed):
    assert needs_token(host) is needed


def test_without_the_token_401_with_it_a_cookie(agenda):
    api = client(agenda, host="127.0.0.2", token="s3cret")
    refused = api.get("/api/agenda")
    assert refused.status_code == 401
    assert "token" in refused.json()["error"]
    assert api.get("/api/agenda", params={"token": "wrong"}).status_code == 401
    allowed = api.get("/", params={"token": "s3cret"})
    assert allowed.status_code == 200
    assert "planner_token=s3cret" in allowed.headers["set-cookie"]
    assert "HttpOnly" in allowed.headers["set-cookie"]
    assert api.get("/api/agenda").status_code == 200  # the cookie now
    assert "token=s3cret" in allowed.text  # the feed links carry it: calendars keep no cookie


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "attacker.test", ""])
def test_another_host_header_is_refused(agenda, host):
    answer = client(agenda).get("/api/agenda", headers={"Host": host})
    assert answer.status_code == 400
    assert "host" in answer.json()["error"]


def test_localhost_and_the_bind_address_are_accepted(agenda):
    api = client(agenda)
    assert api.get("/api/agenda", headers={"Host": "localhost:8765"}).status_code == 200
    guard = Guard.for_bind("127.0.0.2", 8765, "t")
    assert guard.host_ok("127.0.0.2:8765") and not guard.host_ok("127.0.0.3:8765")
    assert Guard.for_bind("::1", 8765, "t").host_ok("[::1]:8765")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "https://127.0.0.1:8765"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/page"},
    ],
)
def test_changes_need_the_servers_own_origin(agenda, headers):
    api = client(agenda)
    for method, path in (("post", "/api/picks"), ("delete", "/api/picks/deeppool")):
        kwargs = {"json": {"ids": ["deeppool"]}} if method == "post" else {}
        answer = getattr(api, method)(path, headers=headers, **kwargs)
        assert answer.status_code == 403, (method, headers)
    assert api.get("/api/agenda").json()["items"] == []
    assert not agenda.exists()


def test_a_referer_of_the_server_itself_will_do(agenda):
    answer = client(agenda).post(
        "/api/picks", json={"ids": ["deeppool"]}, headers={"Referer": f"{BASE}/?day=2022-08-30"}
    )
    assert answer.status_code == 200


def test_a_get_cannot_change_and_other_methods_are_refused(agenda):
    api = client(agenda)
    assert api.get("/api/picks", params={"ids": "deeppool"}).status_code == 405
    assert api.put("/api/picks", json={"ids": ["deeppool"]}, headers=SAME_ORIGIN).status_code == 405
    assert not agenda.exists()


def test_program_text_is_escaped_and_javascript_urls_are_no_links(agenda):
    api = client(agenda, HOSTILE)
    api.post("/api/picks", json={"ids": ["img-talk", "script-talk"]}, headers=SAME_ORIGIN)
    page = api.get("/").text
    for raw in ("<img src=x", "<script>alert", "</script><script>", "<b>titles</b>", "<i>A</i>"):
        assert raw not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "javascript:" not in page
    assert page.count("<script") == 1  # the page's own, from /static/app.js
    # The JSON API gives the text as data; the page's script puts it in with textContent.
    item = api.get("/api/items/img-talk").json()
    assert item["title"] == "<img src=x onerror=alert(1)>"


def test_every_answer_carries_the_policy(agenda):
    api = client(agenda)
    for path in ("/", "/api/agenda", "/agenda.ics", "/static/app.js", "/nowhere"):
        policy = api.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert api.get("/", headers={"Host": "evil"}).headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "path",
    [
        "/static/../core.py",
        "/static/..%2fcore.py",
        "/static/%2e%2e%2f%2e%2e%2fsetup.cfg",
        "/static/core.py",
        "/static/templates",
        "/etc/passwd",
        "/static//etc/passwd",
    ],
)
def test_no_disk_path_is_served(agenda, path):
    answer = client(agenda).get(path)
    assert answer.status_code == 404
    assert "error" in answer.json()


def test_planners_own_assets_are_served(agenda):
    api = client(agenda)
    assert "textContent" in api.get("/static/app.js").text
    assert ".block" in api.get("/static/timetable.css").text
    assert api.get("/static/app.css").headers["content-type"].startswith("text/css")
