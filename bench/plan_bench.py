"""How long ranking and planning take, as a ratio to `planner talks` on the same file (issue 14).

    python bench/plan_bench.py

Inputs as bench/run.py makes them: the 36C3-sized frab file (about 1,500 events in 90 rooms)
and a 6,000-result site JSON. Both sides run in this process for now, alternating, median of
BENCH_RUNS (default 5): `talks` is the real command through click's test runner; `plan` is
loading the same file, ranking it (planner.rank) and building the exact plan (planner.plan).
Once `planner plan` exists, bench/run.py takes whole-process figures instead. Goal: <= 2.
A script, not a test: speed is never asserted in tests. Exits 1 when a goal is missed.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import OUT, generate  # noqa: E402  (bench/run.py makes the inputs)

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
GOAL = 2.0
INTERESTS = ["sparse", "kernel", "tensor compiler", "attention"]
SITE_ZONE = "America/Los_Angeles"


def site_json(talks: int = 6000) -> Path:
    """The site JSON bench/run.py's importer figures use: 6,000 talks as results."""
    site = OUT / f"site-{talks}.json"
    if site.exists():
        return site
    big = json.loads(Path(f"{generate('big', 20000, 30)}.json").read_text(encoding="utf-8"))
    chosen = [item for item in big["items"] if item["kind"] == "talk"][:talks]
    results = [
        {
            "id": number,
            "uid": f"u{number}",
            "name": talk["title"],
            "authors": [{"fullname": name, "institution": "Bench U"} for name in talk["speakers"]],
            "abstract": talk["abstract"],
            "session": "Oral",
            "eventtype": "Oral",
            "room_name": talk["room"],
            "starttime": talk["start"],
            "endtime": talk["end"],
            "poster_position": None,
            "virtualsite_url": f"https://bench.invalid/virtual/2030/oral/{number}",
        }
        for number, talk in enumerate(chosen, start=1)
    ]
    site.write_text(json.dumps({"count": len(results), "next": None, "results": results}))
    return site


def talks_command(path: Path, zone: str | None) -> Callable[[], object]:
    from click.testing import CliRunner

    from planner.cli import cli

    zone_args = ["--program-tz", zone] if zone else []
    argv = [*zone_args, "--program", str(path), "talks"]
    runner = CliRunner()

    def run() -> object:
        result = runner.invoke(cli, argv, catch_exceptions=False)
        if result.exit_code != 0:
            raise SystemExit(f"talks failed: {result.output}")
        return result

    return run


def plan_steps(path: Path, zone: str | None, like: int = 0) -> Callable[[], object]:
    from planner.clashes import WalkRule
    from planner.plan import best_agenda
    from planner.rank import rank
    from planner.sources import load

    def run() -> object:
        program = load(str(path), zone=zone)
        liked = [item.id for item in program.items if item.kind == "talk"][:like]
        ranking = rank(program, INTERESTS, like=liked)
        scores = {ranked.id: ranked.score for ranked in ranking}
        return best_agenda(program, scores, fixed=[], walk=WalkRule(program, 5))

    return run


def median_pair(ours: Callable[[], object], baseline: Callable[[], object]) -> tuple[float, float]:
    ours(), baseline()  # warm: imports and caches out of the figures
    mine, theirs = [], []
    for _ in range(RUNS):
        for run, times in ((ours, mine), (baseline, theirs)):
            gc.collect()
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
    return statistics.median(mine), statistics.median(theirs)


def main() -> int:
    frab = Path(f"{generate('frab-1500', 1875, 90)}.xml")
    site = site_json()
    missed = False
    print("| figure | plan | talks | ratio | goal |\n|---|---|---|---|---|")
    for name, path, zone, like in (
        ("frab, 1,500 events, 90 rooms", frab, None, 0),
        ("frab, with --like of 3 talks", frab, None, 3),
        ("site JSON, 6,000 results", site, SITE_ZONE, 0),
        ("site JSON, with --like of 3 talks", site, SITE_ZONE, 3),
    ):
        plan_time, talks_time = median_pair(plan_steps(path, zone, like), talks_command(path, zone))
        ratio = plan_time / talks_time
        missed |= ratio > GOAL
        verdict = "ok" if ratio <= GOAL else "missed"
        print(
            f"| {name} | {plan_time:.3f} s | {talks_time:.3f} s | {ratio:.2f} | <= {GOAL} {verdict} |"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
