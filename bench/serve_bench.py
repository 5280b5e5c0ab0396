"""planner serve's benchmark figure: a pick through the JSON API against `planner pick`.

    python bench/serve_bench.py

On a generated 6,000-item program (bench/generate.py, the same generator as bench/run.py),
the CLI loads the program for every pick; the server loaded it once at start. Both sides
pick the same talks into an agenda that grows from empty:

- CLI: the whole process of `planner --program big.json pick ID`, median of several runs;
- API: `POST /api/picks {"ids": [ID]}` to a running `planner serve` on 127.0.0.1, one
  kept-alive connection, median wall time per request as the client sees it (the server's
  time plus a loopback round trip, so an upper bound of the server's time).

Goal: the API pick at most 1/10 of the CLI's. Prints the ratio; exits 1 when it is missed.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PLANNER, generate, run_once

ITEMS = 6000
PICKS = int(os.environ.get("BENCH_RUNS", "5")) * 4
TARGET = 0.1


def talk_ids(program: Path, count: int) -> list[str]:
    items = json.loads(program.read_text(encoding="utf-8"))["items"]
    return [item["id"] for item in items if item["kind"] == "talk"][: count * 2 : 2]


def cli_pick_seconds(program: Path, ids: list[str], folder: Path) -> float:
    agenda = folder / "cli-agenda.json"
    times = [
        run_once([*PLANNER, "--program", str(program), "--agenda", str(agenda), "pick", item_id])[0]
        for item_id in ids
    ]
    return statistics.median(times[1:])  # the first warms the page cache and .pyc files


def api_pick_seconds(program: Path, ids: list[str], folder: Path) -> float:
    agenda = folder / "api-agenda.json"
    argv = [*PLANNER, "--program", str(program), "--agenda", str(agenda), "serve", "--port", "0"]
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        found = re.search(r"http://([\d.]+):(\d+)/", server.stdout.readline())
        assert found, "planner serve printed no URL"
        host, port = found.group(1), int(found.group(2))
        connection = http.client.HTTPConnection(host, port, timeout=60)
        headers = {"Content-Type": "application/json", "Origin": f"http://{host}:{port}"}
        times = []
        for item_id in ids:
            body = json.dumps({"ids": [item_id]})
            started = time.perf_counter()
            connection.request("POST", "/api/picks", body=body, headers=headers)
            answer = connection.getresponse()
            answer.read()
            times.append(time.perf_counter() - started)
            if answer.status != 200:
                raise SystemExit(f"POST /api/picks answered {answer.status}")
        connection.close()
        return statistics.median(times[1:])
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    program = Path(f"{generate('serve-6000', ITEMS, 20)}.json")
    ids = talk_ids(program, PICKS + 1)
    with tempfile.TemporaryDirectory() as folder:
        cli = cli_pick_seconds(program, ids, Path(folder))
        api = api_pick_seconds(program, ids, Path(folder))
    ratio = api / cli
    verdict = "ok" if ratio <= TARGET else "MISSED"
    print(f"{'figure':<58} {'value':>9} {'baseline':>9} {'ratio':>7} {'target':>7}")
    print(
        f"{'pick via API, 6,000 items (vs planner pick, whole process)':<58} "
        f"{api * 1000:>7.1f}ms {cli * 1000:>7.1f}ms {ratio:>7.3f} {'<=' + str(TARGET):>7} {verdict}"
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
