"""The calendar feed: `planner export`'s bytes plus the refresh lines, stable across GETs,
with an ETag and Last-Modified, and a GET that never writes the agenda."""

from __future__ import annotations

import os
from email.utils import format_datetime
from pathlib import Path

import pytest

from planner.feed import REFRESH_LINES
from tests.helpers.web import SAME_ORIGIN, client, planner, planner_env, stamp_of


@pytest.fixture
def agenda(tmp_path: Path) -> Path:
    return tmp_path / "agenda.json"


def cli_export(agenda: Path, *args: str) -> bytes:
    """What `planner export -o -` writes, its clock pinned to the agenda's last change."""
    import subprocess
    import sys

    env = {**planner_env(), "PLANNER_NOW": stamp_of(agenda).isoformat()}
    done = subprocess.run(
        [sys.executable, "-m", "planner", "--agenda", str(agenda), *args, "export", "-o", "-"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_the_feed_is_the_export_plus_the_refresh_lines(agenda):
    planner("pick", "deeppool", "fpga-inference", "virtualflow", agenda=agenda)
    feed = client(agenda).get("/agenda.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert REFRESH_LINES in feed.content
    assert feed.content.replace(REFRESH_LINES, b"") == cli_export(agenda)


def test_the_feed_in_another_zone_is_that_zones_export(agenda):
    planner("pick", "deeppool", agenda=agenda)
    feed = client(agenda).get("/agenda.ics", params={"tz": "Asia/Kolkata"})
    assert b"X-WR-TIMEZONE:Asia/Kolkata" in feed.content
    assert feed.content.replace(REFRESH_LINES, b"") == cli_export(agenda, "--tz", "Asia/Kolkata")


def test_two_gets_give_the_same_bytes_and_etag_and_a_304(agenda):
    planner("pick", "deeppool", agenda=agenda)
    api = client(agenda)
    first, second = api.get("/agenda.ics"), api.get("/agenda.ics")
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    assert first.headers["last-modified"] == format_datetime(stamp_of(agenda), usegmt=True)
    stamp = stamp_of(agenda).strftime("%Y%m%dT%H%M%SZ").encode()
    assert b"DTSTAMP:" + stamp in first.content
    unchanged = api.get("/agenda.ics", headers={"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304
    assert unchanged.content == b""


def test_a_change_gives_a_new_etag(agenda):
    planner("pick", "deeppool", agenda=agenda)
    api = client(agenda)
    before = api.get("/agenda.ics")
    api.post("/api/picks", json={"ids": ["virtualflow"]}, headers=SAME_ORIGIN)
    after = api.get("/agenda.ics", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert b"UID:virtualflow@mlsys2022.planner" in after.content


def test_a_get_never_writes_and_shows_the_sequence_an_export_would(agenda, tmp_path):
    # The program moved deeppool after the pick: an export raises its SEQUENCE to 1.
    fixtures = Path(__file__).parent / "fixtures"
    program = fixtures / "moved_after_pick.json"
    (tmp_path / "agenda.json").write_bytes((fixtures / "moved_after_pick.agenda.json").read_bytes())
    os.utime(agenda, (1_700_000_000, 1_700_000_000))
    before = agenda.read_bytes()
    api = client(agenda, str(program))
    first = api.get("/agenda.ics").content
    assert api.get("/agenda.ics").content == first
    assert agenda.read_bytes() == before, "a GET wrote the agenda"
    exported = cli_export(agenda, "--program", str(program))
    assert first.replace(REFRESH_LINES, b"") == exported
    raised = sequences(first)
    assert raised["mover"] == 1  # stored 0, moved since: an export writes 1
    # The export recorded those numbers; the feed keeps showing them, never less, never more.
    assert agenda.read_bytes() != before
    assert sequences(api.get("/agenda.ics").content) == raised


def sequences(data: bytes) -> dict[str, int]:
    import re

    found = re.findall(rb"UID:([^@\r]+)@.*?SEQUENCE:(\d+)", data, re.S)
    return {uid.decode(): int(number) for uid, number in found}


def test_an_empty_agenda_is_an_empty_calendar_to_subscribe_to(agenda):
    feed = client(agenda).get("/agenda.ics")
    assert feed.status_code == 200
    assert feed.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"BEGIN:VEVENT" not in feed.content
    assert REFRESH_LINES in feed.content
