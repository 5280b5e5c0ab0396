"""How long `planner plan` takes, as a ratio to `planner talks` on the same file (issue 14).

    python bench/plan_bench.py          # or: python bench/run.py plan

Inputs as bench/run.py makes them: the 36C3-sized frab file (about 1,500 events in 90 rooms)
and a 6,000-result site JSON. Both sides are whole processes started the same way, run
alternately, median of BENCH_RUNS (default 5): `planner plan` with four interests (and once
with three --like ids as well) on an empty agenda, against `planner talks` listing the whole
program. Goal: <= 2. Also the import cost of snowballstemmer, the one library the two
commands add, as a process that imports it against one that does not.
A script, not a test: speed is never asserted in tests. Exits 1 when a goal is missed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import (  # noqa: E402  (bench/run.py makes the inputs and runs the processes)
    OUT,
    PLANNER,
    PY,
    RUNS,
    Figure,
    compile_planner_like_an_install,
    generate,
    paired_times,
    print_table,
    site_json,
)

GOAL = 2.0
INTERESTS = ["sparse", "kernel", "tensor compiler", "attention"]
SITE_ZONE = "America/Los_Angeles"


def talk_ids(path: Path, zone: str | None, count: int) -> list[str]:
    from planner.sources import load

    program = load(str(path), zone=zone)
    return [item.id for item in program.items if item.kind == "talk"][:count]


def plan_figures(folder: Path) -> list[Figure]:
    frab = Path(f"{generate('frab-1500', 1875, 90)}.xml")
    site = site_json()
    figures = []
    for name, path, zone in (
        ("frab, 1,500 events, 90 rooms", frab, None),
        ("site JSON, 6,000 results", site, SITE_ZONE),
    ):
        source = [*(["--program-tz", zone] if zone else []), "--program", str(path)]
        agenda = ["--agenda", str(folder / f"{path.stem}.agenda.json")]
        talks = [*PLANNER, *source, *agenda, "talks"]
        liked = [arg for item_id in talk_ids(path, zone, 3) for arg in ("--like", item_id)]
        for label, extra in (("", []), (", with --like of 3 talks", liked)):
            plan = [*PLANNER, *source, *agenda, "plan", *INTERESTS, *extra]
            figures.append(
                Figure(f"plan vs talks: {name}{label}", *paired_times(plan, talks), GOAL)
            )
    return figures


def stemmer_import() -> list[Figure]:
    """What importing snowballstemmer (and building the English stemmer) adds to a process."""
    code = "import snowballstemmer; snowballstemmer.stemmer('english')"
    ours, bare = paired_times([PY, "-c", code], [PY, "-c", "pass"], runs=4 * RUNS)
    return [Figure("snowballstemmer import + English stemmer vs bare python", ours, bare, None)]


def figures(_big: object = None) -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        return plan_figures(Path(folder)) + stemmer_import()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    compile_planner_like_an_install()
    found = figures()
    print_table(found)
    stem = found[-1]
    print(f"snowballstemmer adds {1000 * (stem.value - stem.baseline):.1f} ms to a process")
    return 0 if all(figure.ok for figure in found) else 1


if __name__ == "__main__":
    raise SystemExit(main())
