"""`planner serve` as a real process on 127.0.0.1: it prints its URL, stops cleanly on
SIGTERM, refuses a port in use with one Error line, and shares the agenda with the CLI:
16 CLI picks and 16 API picks at the same moment, all 32 kept."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import urllib.request

import pytest

from planner.sources import load
from tests.helpers.web import FIXTURES, planner, planner_env, running_server

pytestmark = pytest.mark.slow


def post(url: str, path: str, data: dict) -> dict:
    origin = url.split("/?")[0].rstrip("/")
    request = urllib.request.Request(
        origin + path,
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", "Origin": origin},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def test_prints_the_url_and_stops_cleanly_on_sigterm(tmp_path):
    with running_server(tmp_path / "agenda.json") as (url, process):
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=30) as page:
            assert page.status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert "stopped" in process.stdout.read()


def test_stops_cleanly_on_ctrl_c(tmp_path):
    with running_server(tmp_path / "agenda.json") as (_url, process):
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert "Traceback" not in process.stderr.read()


def test_a_port_in_use_is_one_error_line_and_exit_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "planner", "--agenda", str(tmp_path / "a.json"), "serve",
             "--port", str(port)],
            capture_output=True, text=True, env=planner_env(), timeout=60,
        )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"Error: 127.0.0.1:{port} is already in use; stop the other server or choose another "
        "port with --port"
    ]


def test_another_host_prints_a_token_url(tmp_path):
    with running_server(tmp_path / "agenda.json", "--host", "127.0.0.2") as (url, _process):
        assert url.startswith("http://127.0.0.2:") and "?token=" in url
        bare = url.split("?")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(bare, timeout=30)
        assert refused.value.code == 401
        with urllib.request.urlopen(url, timeout=30) as page:
            assert page.status == 200


def test_16_cli_picks_and_16_api_picks_at_once_all_kept(tmp_path):
    agenda = tmp_path / "agenda.json"
    program = str(FIXTURES / "thirty_two_talks.json")
    ids = [item.id for item in load(program).items]
    assert len(ids) == 32
    cli_ids, api_ids = ids[:16], ids[16:]
    with running_server(agenda, program=program) as (url, _process):
        start = threading.Barrier(32)
        errors: list[BaseException] = []

        def by_cli(item_id: str) -> None:
            start.wait()
            planner("--program", program, "pick", item_id, agenda=agenda)

        def by_api(item_id: str) -> None:
            start.wait()
            post(url, "/api/picks", {"ids": [item_id]})

        def guarded(work, item_id):  # type: ignore[no-untyped-def]
            try:
                work(item_id)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=guarded, args=(by_cli, i)) for i in cli_ids]
        threads += [threading.Thread(target=guarded, args=(by_api, i)) for i in api_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
    picked = {pick["id"] for pick in json.loads(agenda.read_text())["picks"]}
    assert picked == set(ids)


def test_open_opens_the_browser_at_the_url(tmp_path, monkeypatch):
    opened = tmp_path / "opened.txt"
    fake = tmp_path / "fake-browser"
    fake.write_text(
        f"#!{sys.executable}\nimport sys\nopen({str(opened)!r}, 'w').write(sys.argv[1])\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER", f"{fake} %s")
    with running_server(tmp_path / "agenda.json", "--open") as (url, _process):
        for _ in range(100):
            if opened.exists() and opened.read_text():
                break
            threading.Event().wait(0.1)
        assert opened.read_text() == url
