"""How the clash engine grows: 2,000 and 20,000 picks at the same overlap density.

    python bench/clash_growth.py

The larger agenda spreads over ten times as many days (50 picks a day, in 10 rooms,
08:00-18:00, 15-60 minutes each: about three at any moment), so the number of clashes should grow about 10x
and, for an O(n log n + clashes) sweep, so should the time. Prints the counts, the
median of 5 CPU timings for `agenda_clashes` (time + room change) and `check_program`
(double-booked rooms and the rest), their ratio and the growth exponent
log(t2/t1) / log(10). A script, not a test: speed is never asserted in tests.
"""

from __future__ import annotations

import gc
import math
import random
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from planner.agenda import Agenda, Pick, Snapshot, agenda_clashes
from planner.clashes import check_program
from planner.model import Item, Program, Room

PICKS_PER_DAY = 50
ROOMS = 10
DAY_MINUTES = 10 * 60
RUNS = 5
SIZES = (2_000, 20_000)
FIRST_DAY = datetime(2030, 6, 3, 8, 0, tzinfo=timezone.utc)


def generate(picks: int, seed: int = 7) -> tuple[Program, Agenda]:
    """A program of ``picks`` talks over picks/50 days, every talk picked."""
    chance = random.Random(seed)
    items = []
    for n in range(picks):
        day_start = FIRST_DAY + timedelta(days=n // PICKS_PER_DAY)
        length = chance.randint(15, 60)
        start = day_start + timedelta(minutes=chance.randint(0, DAY_MINUTES - length))
        items.append(
            Item(
                id=f"t{n}",
                title=f"Talk {n}",
                start=start,
                end=start + timedelta(minutes=length),
                room=f"Room {chance.randrange(ROOMS)}",
            )
        )
    program = Program(
        id=f"bench-{picks}",
        name=f"Benchmark, {picks} talks",
        timezone="UTC",
        rooms=[Room(name=f"Room {r}") for r in range(ROOMS)],
        items=items,
    )
    agenda = Agenda(
        program_id=program.id,
        picks=[Pick(id=item.id, snapshot=Snapshot.of(item)) for item in items],
    )
    return program, agenda


def sample(work: Callable[[], object], repeats: int) -> float:
    gc.collect()
    started = time.process_time()
    for _ in range(repeats):
        work()
    return (time.process_time() - started) / repeats


def repeats_for(work: Callable[[], object]) -> int:
    """How often to repeat a quick call so that one sample lasts about 0.3 s."""
    return max(1, math.ceil(0.3 / max(sample(work, 1), 1e-6)))


def measure(jobs: dict[int, Callable[[], object]]) -> dict[int, float]:
    """Median CPU seconds of each job over 5 rounds, the sizes interleaved in every round so
    that both see the same machine (other processes share it)."""
    repeats = {size: repeats_for(work) for size, work in jobs.items()}
    samples: dict[int, list[float]] = {size: [] for size in jobs}
    for _ in range(RUNS):
        for size, work in jobs.items():
            samples[size].append(sample(work, repeats[size]))
    return {size: statistics.median(values) for size, values in samples.items()}


def main() -> None:
    data = {size: generate(size) for size in SIZES}
    counts = {}
    for size, (program, agenda) in data.items():
        clashes = agenda_clashes(program, agenda)
        findings = check_program(program)
        counts[size] = (
            sum(1 for c in clashes if c.kind == "time"),
            sum(1 for c in clashes if c.kind == "room_change"),
            sum(1 for f in findings if f.kind == "room_double_booked"),
        )
    agenda_s = measure({s: (lambda p=p, a=a: agenda_clashes(p, a)) for s, (p, a) in data.items()})
    check_s = measure({s: (lambda p=p: check_program(p)) for s, (p, _) in data.items()})
    for size in SIZES:
        times, walks, double = counts[size]
        print(
            f"{size:>6} picks over {size // PICKS_PER_DAY:>3} days: {times:>6} time clashes, "
            f"{walks:>5} room changes, {double:>5} double-booked pairs; "
            f"agenda_clashes {agenda_s[size] * 1000:7.1f} ms, "
            f"check_program {check_s[size] * 1000:6.1f} ms (CPU, median of {RUNS})"
        )
    small, large = SIZES
    for label, timing in (("agenda_clashes", agenda_s), ("check_program", check_s)):
        ratio = timing[large] / timing[small]
        exponent = math.log(ratio) / math.log(large / small)
        print(f"{label}: time ratio {ratio:.2f}, growth exponent {exponent:.3f}")
    pairs = {size: counts[size][0] + counts[size][1] for size in SIZES}
    print(f"agenda clash pairs ratio {pairs[large] / pairs[small]:.2f}")
    print(f"double-booked pairs ratio {counts[large][2] / counts[small][2]:.2f}")


if __name__ == "__main__":
    main()
