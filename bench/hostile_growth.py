"""Growth of the inputs that were once quadratic (issue 16): 10x the input should cost about 10x.

    python bench/hostile_growth.py

Each case loads the same kind of input at two sizes, ten times apart, as a whole `planner`
process (the way an attendee meets it), and prints the time ratio and the growth exponent
(log of the time ratio over log of the size ratio: 1 is linear, 2 quadratic). Exits 1 when an
exponent is above 1.3. Inputs are written to bench/out/.
"""

from __future__ import annotations

import math
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
FRAB = HERE.parent / "tests" / "fixtures" / "frab_offsets.xml"
RUNS = 3
MAX_EXPONENT = 1.3


def planner() -> list[str]:
    script = Path(sys.executable).with_name("planner")
    found = str(script) if script.exists() else shutil.which("planner")
    return [found] if found else [sys.executable, "-m", "planner"]


def seconds(path: Path, *options: str) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(
            [*planner(), "--program", str(path), *options, "talks", "--search", "zzz"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def wide_csv(columns: int) -> Path:
    """A header of ``columns`` names: refused past 1,000, but only after reading it whole."""
    path = OUT / f"wide-{columns}.csv"
    names = ["title", "start", "end", "room"] + [f"extra{n}" for n in range(columns - 4)]
    path.write_text(",".join(names) + "\nTalk,2024-06-10 09:00,2024-06-10 10:00,A\n")
    return path


def huge_attribute(megabytes: int) -> Path:
    path = OUT / f"attribute-{megabytes}mb.xml"
    text = FRAB.read_text(encoding="utf-8")
    huge = "x" * (megabytes * 1024 * 1024)
    path.write_text(
        text.replace(
            "<title>Opening keynote</title>", f'<title note="{huge}">Opening keynote</title>'
        )
    )
    return path


CASES: list[tuple[str, Callable[[int], Path], int, int, tuple[str, ...]]] = [
    ("CSV header, columns", wide_csv, 20_000, 200_000, ("--program-tz", "UTC")),
    ("frab attribute, MB", huge_attribute, 6, 60, ()),
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"{'case':<24}{'small':>10}{'big':>10}{'small s':>10}{'big s':>10}{'ratio':>8}{'exp':>7}")
    worst = 0.0
    for name, make, small, big, options in CASES:
        small_s, big_s = seconds(make(small), *options), seconds(make(big), *options)
        ratio = big_s / small_s
        exponent = math.log(ratio) / math.log(big / small)
        worst = max(worst, exponent)
        print(
            f"{name:<24}{small:>10}{big:>10}{small_s:>10.3f}{big_s:>10.3f}{ratio:>8.2f}{exponent:>7.2f}"
        )
    return 1 if worst > MAX_EXPONENT else 0


if __name__ == "__main__":
    sys.exit(main())
