"""A program at a URL: fetched from a server the test starts on 127.0.0.1, cached, refetched."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.program_server import Served, program_server

from planner.cli import cli
from planner.errors import ProgramError
from planner.fetch import FetchError, Limits, fetch
from planner.remote import Loading

NOW = datetime(2024, 9, 12, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def server() -> Iterator[tuple[str, Served]]:
    with program_server() as running:
        yield running


def loading(tmp_path: Path, now: datetime = NOW, **options: object) -> Loading:
    return Loading(tmp_path / "cache", now, **options)  # type: ignore[arg-type]


def test_a_200_is_parsed_and_cached_then_used_while_young(server, tmp_path: Path) -> None:
    base, served = server
    program = loading(tmp_path).load_url(f"{base}/program.xml", fmt=None, zone=None)
    assert program.id == "repeatcon"
    again = loading(tmp_path, NOW + timedelta(minutes=10))
    assert again.load_url(f"{base}/program.xml", fmt=None, zone=None).id == "repeatcon"
    assert len(served.requests) == 1  # younger than --max-age: no request at all


def test_an_old_copy_is_asked_about_with_its_etag_and_a_304_costs_no_download(
    server, tmp_path: Path
) -> None:
    base, served = server
    loading(tmp_path).load_url(f"{base}/p.xml", fmt=None, zone=None)
    later = loading(tmp_path, NOW + timedelta(minutes=20))
    assert later.load_url(f"{base}/p.xml", fmt=None, zone=None).id == "repeatcon"
    assert served.requests[-1]["If-None-Match"] == '"v1"'
    assert later.obtained is not None and later.obtained.fetched is False
    assert later.obtained.copy.confirmed_at == NOW + timedelta(minutes=20)  # a 304 confirms


def test_last_modified_is_sent_back(server, tmp_path: Path) -> None:
    base, served = server
    served.etag, served.last_modified = None, "Thu, 12 Sep 2024 07:00:00 GMT"
    loading(tmp_path).load_url(f"{base}/p.xml", fmt=None, zone=None)
    loading(tmp_path, max_age_minutes=0).load_url(f"{base}/p.xml", fmt=None, zone=None)
    assert served.requests[-1]["If-Modified-Since"] == served.last_modified
    assert "If-None-Match" not in served.requests[-1]


def test_redirects_are_followed_up_to_the_limit(server) -> None:
    base, _ = server
    assert fetch(f"{base}/redirect").data is not None
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(f"{base}/hop/1")


@pytest.mark.parametrize(
    ("status", "says"), [(404, "answered 404"), (500, "answered 500.*try again later")]
)
def test_http_errors_are_one_line_naming_the_url(server, status: int, says: str) -> None:
    base, served = server
    served.status = status
    with pytest.raises(FetchError, match=f"^{base}/p.xml: the server {says}"):
        fetch(f"{base}/p.xml")


def test_a_slow_server_times_out(server) -> None:
    base, served = server
    served.delay = 0.5
    with pytest.raises(FetchError, match=r"no complete answer within 0.1 s") as raised:
        fetch(f"{base}/p.xml", limits=Limits(timeout=0.1))
    assert raised.value.offline


def test_a_server_dripping_its_body_is_cut_off_at_the_whole_fetchs_deadline(server) -> None:
    # Every byte that arrives restarts a socket's timeout: only a deadline for the whole
    # answer stops a server that sends one byte every 0.3 s of a promised 100,000.
    base, served = server
    served.body, served.drip = b"x" * 100_000, 0.3
    started = time.monotonic()
    with pytest.raises(FetchError) as raised:
        fetch(f"{base}/p.xml", limits=Limits(timeout=1))
    assert time.monotonic() - started < 4
    assert str(raised.value) == (
        f"{base}/p.xml: no complete answer within 1 s; check your connection, or try again later"
    )
    assert raised.value.offline


def test_a_body_over_the_cap_is_refused(server) -> None:
    base, _ = server
    with pytest.raises(FetchError, match="larger than 100 bytes"):
        fetch(f"{base}/p.xml", limits=Limits(max_bytes=100))


def test_the_server_gone_uses_the_copy_and_says_how_old(server, tmp_path: Path) -> None:
    base, _ = server
    url = f"{base}/p.xml"
    loading(tmp_path).load_url(url, fmt=None, zone=None)
    gone = "http://127.0.0.1:9/p.xml"  # the discard port: nothing listens
    with pytest.raises(FetchError, match="connection was refused"):
        loading(tmp_path).load_url(gone, fmt=None, zone=None)
    # the same URL, its server gone: the cached copy, with a warning
    cached = loading(tmp_path / "other")
    cached.load_url(url, fmt=None, zone=None)
    (tmp_path / "other" / "cache").rename(tmp_path / "kept")
    later = Loading(tmp_path / "kept", NOW + timedelta(hours=2, minutes=10))
    later.fetcher = lambda *_: (_ for _ in ()).throw(FetchError("refused", offline=True))
    assert later.load_url(url, fmt=None, zone=None).id == "repeatcon"
    assert later.warnings == [
        "Warning: offline; using the copy of repeatcon fetched 2 h 10 min ago"
    ]


def test_a_broken_update_keeps_the_good_copy_and_its_age(server, tmp_path: Path) -> None:
    base, served = server
    url = f"{base}/p.xml"
    loading(tmp_path).load_url(url, fmt=None, zone=None)
    served.body, served.etag = b"<schedule><conference>", '"v2"'
    later = loading(tmp_path, NOW + timedelta(minutes=30))
    assert later.load_url(url, fmt=None, zone=None).id == "repeatcon"
    assert later.warnings[0].startswith(f"Warning: the new copy of {url} does not load")
    assert later.warnings[0].endswith("kept the copy of repeatcon fetched 30 min ago")
    with pytest.raises(ProgramError, match="not well-formed"):
        loading(tmp_path / "fresh").load_url(url, fmt=None, zone=None)


def test_the_cli_reads_a_url_and_reports_errors_in_one_line(server, tmp_path: Path) -> None:
    base, served = server
    env = {"XDG_CACHE_HOME": str(tmp_path / "c"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    runner = CliRunner()
    ok = runner.invoke(cli, ["--program", f"{base}/p.xml", "talks"], env=env)
    assert ok.exit_code == 0 and "Intro to Rust" in ok.output
    served.status = 404
    bad = runner.invoke(cli, ["--program", f"{base}/missing.xml", "talks"], env=env)
    assert bad.exit_code == 2
    assert bad.output.strip().splitlines() == [
        f"Error: {base}/missing.xml: the server answered 404 Not Found; check the address "
        "(the conference may have moved its schedule)"
    ]
