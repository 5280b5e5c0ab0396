"""planner's benchmark: every figure is a ratio to a baseline measured in the same run.

    python bench/run.py                  # every figure, about two minutes on 2 cores
    python bench/run.py load export      # only some sections (startup, load, clashes,
                                         # export, memory, importers, pick, html, ics, plan)

Both sides of every ratio are whole processes started the same way: the planner
command against a `python -c` / script baseline doing the irreducible part of the
work (importing click, parsing the same bytes with the standard library, writing the
same events with icalendar). Times are medians of several runs; memory is the peak
RSS of one run. Exits 1 when a target is missed. Inputs are generated into bench/out/.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PY = sys.executable
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def planner_command() -> list[str]:
    script = Path(PY).with_name("planner")
    found = str(script) if script.exists() else shutil.which("planner")
    return [found] if found else [PY, "-m", "planner"]


PLANNER = planner_command()


@dataclass
class Figure:
    name: str
    value: float
    baseline: float
    target: float | None
    unit: str = "s"

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else math.inf

    @property
    def ok(self) -> bool:
        return self.target is None or self.ratio <= self.target


def run_once(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process."""
    # stderr goes to a file, not a pipe: a command that warns a lot would block on a full pipe.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=errors, env=env or os.environ.copy()
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            raise SystemExit(f"benchmark command failed ({code}): {' '.join(argv)}\n{message}")
    return elapsed, usage.ru_maxrss


def median_time(argv: list[str], env: dict[str, str] | None = None) -> float:
    run_once(argv, env)  # warm the page cache and .pyc files
    return statistics.median(run_once(argv, env)[0] for _ in range(RUNS))


def paired_times(ours: list[str], baseline: list[str], runs: int = RUNS) -> tuple[float, float]:
    """Medians of both commands, run alternately so that drift in machine load hits both."""
    run_once(ours), run_once(baseline)  # warm the page cache and .pyc files
    our_times, base_times = [], []
    for _ in range(runs):
        our_times.append(run_once(ours)[0])
        base_times.append(run_once(baseline)[0])
    return statistics.median(our_times), statistics.median(base_times)


def peak_rss(argv: list[str]) -> float:
    return float(min(run_once(argv)[1] for _ in range(2)))


def generate(name: str, items: int, rooms: int) -> Path:
    base = OUT / name
    if not Path(f"{base}.json").exists():
        subprocess.run(
            [
                PY,
                str(HERE / "generate.py"),
                "--items",
                str(items),
                "--rooms",
                str(rooms),
                "--out",
                str(base),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return base


def agenda_with_picks(program: Path, picks: int) -> Path:
    """An agenda file picking the first `picks` talks of a generated program."""
    target = OUT / f"{program.stem}.agenda-{picks}.json"
    if target.exists():
        return target
    items = json.loads(program.read_text(encoding="utf-8"))["items"]
    talks = [item for item in items if item["kind"] == "talk"][:picks]
    agenda = {
        "version": 2,
        "program_id": "bench",
        "picks": [
            {
                "id": talk["id"],
                "snapshot": {k: talk[k] for k in ("title", "start", "end", "room")},
                "sequence": 0,
                "picked_at": None,
            }
            for talk in talks
        ],
        "events": [],
        "settings": {"walk_minutes": 5, "alarm_minutes": None},
    }
    target.write_text(json.dumps(agenda), encoding="utf-8")
    return target


def json_baseline(path: Path) -> list[str]:
    return [PY, "-c", f"import json; json.load(open({str(path)!r}, 'rb'))"]


def xml_baseline(path: Path) -> list[str]:
    return [PY, "-c", f"import xml.etree.ElementTree as E; E.parse({str(path)!r})"]


def startup() -> list[Figure]:
    return [
        Figure(
            "start-up: planner --help vs import click",
            *paired_times([*PLANNER, "--help"], [PY, "-c", "import click"], runs=4 * RUNS),
            1.2,
        )
    ]


def browse_and_load(big: Path) -> list[Figure]:
    native, frab, c3voc = Path(f"{big}.json"), Path(f"{big}.xml"), Path(f"{big}.schedule.json")
    search = [*PLANNER, "--program", str(native), "talks", "--search", "quantization pruning"]
    figures = [
        Figure(
            "browse: talks --search on 20,000 items vs json.load",
            *paired_times(search, json_baseline(native)),
            2.0,
        )
    ]
    for label, path, baseline in (
        ("native JSON", native, json_baseline(native)),
        ("frab XML", frab, xml_baseline(frab)),
        ("c3voc JSON", c3voc, json_baseline(c3voc)),
    ):
        load = [*PLANNER, "--program", str(path), "talks", "--search", "no-such-words"]
        figures.append(
            Figure(
                f"load {label} (20,000 items) vs stdlib parse", *paired_times(load, baseline), 2.5
            )
        )
    return figures


def count_clashes(argv: list[str]) -> int:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{result.stderr}")
    data = json.loads(result.stdout)
    findings = data if isinstance(data, list) else data.get("findings", data.get("clashes", []))
    return len(findings)


def growth(name: str, small_argv: list[str], big_argv: list[str]) -> list[Figure]:
    big_time, small_time = paired_times(big_argv, small_argv)
    small_count, big_count = (
        count_clashes([*small_argv, "--json"]),
        count_clashes([*big_argv, "--json"]),
    )
    exponent = math.log(big_time / small_time) / math.log(10)
    return [
        Figure(
            f"{name}: time 20,000 vs 2,000 (exponent {exponent:.2f})", big_time, small_time, 12.0
        ),
        Figure(
            f"{name}: findings {big_count} vs {small_count}",
            big_count,
            max(small_count, 1),
            None,
            unit="n",
        ),
    ]


def clash_growth() -> list[Figure]:
    small, big = generate("check-2k", 2000, 30), generate("big", 20000, 30)
    figures = growth(
        "check",
        [*PLANNER, "--program", f"{small}.json", "check"],
        [*PLANNER, "--program", f"{big}.json", "check"],
    )
    few_rooms_small, few_rooms_big = (
        generate("agenda-2k", 2600, 3),
        generate("agenda-20k", 26000, 3),
    )
    small_agenda = agenda_with_picks(Path(f"{few_rooms_small}.json"), 2000)
    big_agenda = agenda_with_picks(Path(f"{few_rooms_big}.json"), 20000)
    figures += growth(
        "clashes",
        [
            *PLANNER,
            "--program",
            f"{few_rooms_small}.json",
            "--agenda",
            str(small_agenda),
            "clashes",
        ],
        [*PLANNER, "--program", f"{few_rooms_big}.json", "--agenda", str(big_agenda), "clashes"],
    )
    return figures


EXPORT_BASELINE = r"""
import json, sys
from datetime import datetime, timedelta, timezone
from icalendar import Calendar, Event, Timezone, TimezoneStandard, TimezoneDaylight
program = json.load(open(sys.argv[1], "rb"))
picked = {p["id"] for p in json.load(open(sys.argv[2], "rb"))["picks"]}
zone = program["timezone"]
cal = Calendar()
for key, value in (("VERSION", "2.0"), ("PRODID", "-//baseline//EN"), ("CALSCALE", "GREGORIAN")):
    cal.add(key, value)
tz = Timezone(); tz.add("TZID", zone)
std = TimezoneStandard(); std.add("DTSTART", datetime(2029, 11, 4, 2)); std.add("TZOFFSETFROM", timedelta(hours=-7)); std.add("TZOFFSETTO", timedelta(hours=-8)); std.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 11, "BYDAY": "1SU"})
dst = TimezoneDaylight(); dst.add("DTSTART", datetime(2029, 3, 11, 2)); dst.add("TZOFFSETFROM", timedelta(hours=-8)); dst.add("TZOFFSETTO", timedelta(hours=-7)); dst.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "2SU"})
tz.add_component(std); tz.add_component(dst); cal.add_component(tz)
now = datetime.now(timezone.utc)
for item in program["items"]:
    if item["id"] not in picked:
        continue
    event = Event()
    event.add("UID", f"{item['id']}@{program['id']}.planner")
    event.add("DTSTAMP", now)
    event.add("DTSTART", datetime.fromisoformat(item["start"]).replace(tzinfo=None), parameters={"TZID": zone})
    event.add("DTEND", datetime.fromisoformat(item["end"]).replace(tzinfo=None), parameters={"TZID": zone})
    event.add("SUMMARY", item["title"])
    event.add("LOCATION", f"{item['room']}, {program['venue']}")
    event.add("DESCRIPTION", ", ".join(item["speakers"]) + "\n\n" + item["abstract"])
    event.add("SEQUENCE", 0)
    event.add("CATEGORIES", [item["kind"]])
    cal.add_component(event)
open(sys.argv[3], "wb").write(cal.to_ical())
"""


def export() -> list[Figure]:
    base = generate("agenda-2k", 2600, 3)
    program, agenda = Path(f"{base}.json"), agenda_with_picks(Path(f"{base}.json"), 2000)
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "baseline.py"
        script.write_text(EXPORT_BASELINE, encoding="utf-8")
        ours = [
            *PLANNER,
            "--program",
            str(program),
            "--agenda",
            str(agenda),
            "export",
            "--force",
            "-o",
            f"{folder}/ours.ics",
        ]
        theirs = [PY, str(script), str(program), str(agenda), f"{folder}/theirs.ics"]
        ours_time, theirs_time = paired_times(ours, theirs)
    return [
        Figure("export: 2,000 picks to .ics vs plain icalendar script", ours_time, theirs_time, 1.1)
    ]


def memory(big: Path) -> list[Figure]:
    native, frab = Path(f"{big}.json"), Path(f"{big}.xml")
    talks = ["talks", "--search", "no-such-words"]
    return [
        Figure(
            "memory: talks on 20,000 items vs json.load (peak RSS)",
            peak_rss([*PLANNER, "--program", str(native), *talks]) / 1024,
            peak_rss(json_baseline(native)) / 1024,
            2.0,
            unit="MiB",
        ),
        Figure(
            "memory: talks on frab XML vs ElementTree.parse (peak RSS)",
            peak_rss([*PLANNER, "--program", str(frab), *talks]) / 1024,
            peak_rss(xml_baseline(frab)) / 1024,
            2.0,
            unit="MiB",
        ),
    ]


def site_json(talks: int = 6000) -> Path:
    """A conference site's JSON of ``talks`` results, made from the big program's talks."""
    site = OUT / f"site-{talks}.json"
    if site.exists():
        return site
    items = json.loads(Path(f"{generate('big', 20000, 30)}.json").read_text(encoding="utf-8"))[
        "items"
    ]
    chosen = [item for item in items if item["kind"] == "talk"][:talks]
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
    site.write_text(
        json.dumps({"count": len(results), "next": None, "previous": None, "results": results})
    )
    return site


def importer_scale() -> list[Figure]:
    """Issue 5's scale check: a 1,500-event 90-room frab file, a 6,000-result site JSON."""
    frab = generate("frab-1500", 1875, 90)  # about 1,500 talks once sessions are left out
    site = site_json(6000)
    talks = ["talks", "--search", "no-such-words"]
    one_second = 1.0
    return [
        Figure(
            "load 1,500-event 90-room frab (vs 1 second)",
            median_time([*PLANNER, "--program", f"{frab}.xml", *talks]),
            one_second,
            1.0,
        ),
        Figure(
            "load 6,000-result site JSON (vs 1 second)",
            median_time(
                [*PLANNER, "--program-tz", "America/Los_Angeles", "--program", str(site), *talks]
            ),
            one_second,
            1.0,
        ),
    ]


def folded_feed(events: int) -> Path:
    """An .ics of ``events`` events shaped like the JRES 2022 feed: TZID=Europe/Paris,
    CR CR LF line ends, 900-byte descriptions folded every 75 bytes, inside characters too."""
    path = OUT / f"folded-{events}.ics"
    if path.exists():
        return path
    text = ("Résumé : l’accès aux données coûte 5 € ; naïveté garantie. " * 15).encode()
    description = b"DESCRIPTION;CHARSET=UTF-8;ENCODING=8BIT:" + text
    folded = [description[:75]] + [
        b" " + description[start : start + 74] for start in range(75, len(description), 74)
    ]
    lines = [b"BEGIN:VCALENDAR", b"VERSION:2.0", b"PRODID:-//Bench//Folded//FR"]
    for number in range(events):
        day, slot = divmod(number, 40)
        start = f"202210{17 + day % 10:02d}T{8 + slot // 4:02d}{slot % 4 * 15:02d}00"
        lines += [
            b"BEGIN:VEVENT",
            f"UID:folded-{number}@bench.example.org".encode(),
            f"DTSTART;TZID=Europe/Paris:{start}".encode(),
            b"DURATION:PT15M",
            f"SUMMARY;CHARSET=UTF-8;ENCODING=8BIT:Séance {number} – l’état".encode(),
            *folded,
            f"LOCATION:Salle {number % 12}".encode(),
            b"END:VEVENT",
        ]
    path.write_bytes(b"\r\r\n".join([*lines, b"END:VCALENDAR", b""]))
    return path


def parse_seconds(path: Path) -> float:
    """The fastest of RUNS parses of ``path`` in one process (no caches, no start-up)."""
    script = (
        "import sys, time\n"
        "from planner.sources import load\n"
        "times = []\n"
        f"for _ in range({RUNS}):\n"
        "    started = time.perf_counter(); load(sys.argv[1])\n"
        "    times.append(time.perf_counter() - started)\n"
        "print(min(times))\n"
    )
    result = subprocess.run(
        [PY, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    return float(result.stdout)


def ics_growth() -> list[Figure]:
    """Issue 15: folded UTF-8 feeds load in time linear in their size (per event, 4x the
    events vs the small feed; 1.0 is exactly linear)."""
    small, large = parse_seconds(folded_feed(1000)), parse_seconds(folded_feed(4000))
    return [
        Figure(
            "load folded .ics: 4,000 events vs 4 x 1,000 (time per event)", large, 4 * small, 1.25
        )
    ]


def print_table(figures: list[Figure]) -> None:
    width = max(len(figure.name) for figure in figures)
    print(f"{'figure':<{width}}  {'planner':>10}  {'baseline':>10}  {'ratio':>6}  target  result")
    for figure in figures:
        value = f"{figure.value:.3f}{figure.unit}" if figure.unit != "n" else f"{figure.value:.0f}"
        base = (
            f"{figure.baseline:.3f}{figure.unit}"
            if figure.unit != "n"
            else f"{figure.baseline:.0f}"
        )
        target = f"<={figure.target:g}" if figure.target else "-"
        verdict = "ok" if figure.ok else "MISSED"
        print(
            f"{figure.name:<{width}}  {value:>10}  {base:>10}  {figure.ratio:>6.2f}  {target:>6}  {verdict}"
        )


def pick_into_a_full_agenda_file(native: Path) -> tuple[Path, list[dict]]:
    """An agenda holding the program's first 18,000 items, and the 2,000 items after them."""
    program = json.loads(native.read_text(encoding="utf-8"))
    held, new = program["items"][:18000], program["items"][18000:20000]
    full = OUT / "big.agenda-18000.json"
    if not full.exists():
        picks = [
            {
                "id": item["id"],
                "snapshot": {k: item.get(k) for k in ("title", "start", "end", "room")},
                "sequence": 0,
                "picked_at": None,
                "exported": None,
            }
            for item in held
        ]
        agenda = {"version": 3, "program_id": program["id"], "picks": picks, "events": []}
        full.write_text(json.dumps(agenda), encoding="utf-8")
    return full, new


def pick_into_a_full_agenda(big: Path) -> list[Figure]:
    """`pick` of 2,000 ids into an agenda holding 18,000 picks of the 20,000-item program.

    Both sides first copy the same 18,000-pick agenda into place, so every run picks into the
    same file and the copy costs both the same.
    """
    native = Path(f"{big}.json")
    full, new = pick_into_a_full_agenda_file(native)
    work = OUT / "big.agenda-work.json"
    copy = f"cp {full} {work} && "
    ids = " ".join(item["id"] for item in new)
    planner = " ".join(PLANNER)
    ours = ["sh", "-c", f"{copy}{planner} --program {native} --agenda {work} pick {ids} >/dev/null"]
    talks = ["sh", "-c", f"{copy}{planner} --program {native} talks >/dev/null"]
    return [
        Figure(
            "pick: 2,000 ids into 18,000 picks (20,000 items) vs talks",
            *paired_times(ours, talks),
            2.0,
        )
    ]


def html_page(big: Path) -> list[Figure]:
    """The whole 20,000-item program as a timetable page vs the .ics of 18,000 of its items.

    The calendar reads the 18,000-pick agenda (pick_into_a_full_agenda_file writes it). The
    page is drawn twice: with no picks (the cost of the page itself; target 1.5) and over that
    same agenda, where it also words and lists its 67,110 clashes (shown, no target).
    """
    native = Path(f"{big}.json")
    full, _ = pick_into_a_full_agenda_file(native)
    empty = OUT / "big.agenda-empty.json"
    empty.unlink(missing_ok=True)

    def export(agenda: Path, *args: str) -> list[str]:
        return [*PLANNER, "--program", str(native), "--agenda", str(agenda), "export", *args]

    calendar = export(full, "-o", str(OUT / "big.ics"))
    env = {**os.environ, "PLANNER_NOW": "2024-05-01T08:30:00+00:00"}
    figures = []
    for label, agenda, target in (("no picks", empty, 1.5), ("18,000 picks", full, None)):
        page = export(agenda, "--format", "html", "--all", "-o", str(OUT / "big.html"))
        ours, theirs = [], []
        for _ in range(RUNS):
            ours.append(run_once(page, env)[0])
            theirs.append(run_once(calendar, env)[0])
        figures.append(
            Figure(
                f"html --all (20,000 items, {label}) vs .ics of 18,000 picks",
                statistics.median(ours),
                statistics.median(theirs),
                target,
            )
        )
    return figures


def plan_and_talks() -> list[Figure]:
    """Issue 14: `planner plan` against `planner talks` on the same file (bench/plan_bench.py)."""
    import plan_bench  # beside this file; it imports this module back for its helpers

    return plan_bench.figures()


def parsed_cache(big: Path) -> list[Figure]:
    """The parsed-program cache: a repeat `talks --search` on an unchanged 20,000-item file
    against json.load of the same program's native JSON (goal 1.5x), and the first load with
    an empty cache (unchanged by the cache: it parses, then writes the entry)."""
    native, frab = Path(f"{big}.json"), Path(f"{big}.xml")
    figures = []
    for label, path in (("native JSON", native), ("frab XML", frab)):
        search = [*PLANNER, "--program", str(path), "talks", "--search", "quantization pruning"]
        with tempfile.TemporaryDirectory() as warm:
            env = {**os.environ, "XDG_CACHE_HOME": warm}
            run_once(search, env)  # writes the entry the repeats read
            ours, base = [], []
            for _ in range(RUNS):
                ours.append(run_once(search, env)[0])
                base.append(run_once(json_baseline(native))[0])
        figures.append(
            Figure(
                f"cache: repeat talks --search, {label} vs json.load (native)",
                statistics.median(ours),
                statistics.median(base),
                1.5,
            )
        )
        first, base = [], []
        for _ in range(RUNS):
            with tempfile.TemporaryDirectory() as empty:
                first.append(run_once(search, {**os.environ, "XDG_CACHE_HOME": empty})[0])
            baseline = json_baseline(native) if path == native else xml_baseline(frab)
            base.append(run_once(baseline)[0])
        figures.append(
            Figure(
                f"cache: first talks --search, {label}, empty cache vs stdlib parse",
                statistics.median(first),
                statistics.median(base),
                None,
            )
        )
    return figures


SECTIONS = {
    "startup": lambda big: startup(),
    "load": browse_and_load,
    "cache": parsed_cache,
    "clashes": lambda big: clash_growth(),
    "export": lambda big: export(),
    "memory": memory,
    "importers": lambda big: importer_scale(),
    "pick": pick_into_a_full_agenda,
    "html": html_page,
    "ics": lambda big: ics_growth(),
    "plan": lambda big: plan_and_talks(),
}


def compile_planner_like_an_install() -> None:
    """Byte-compile planner's modules, as `pip install .` does for an installed copy.

    An editable install on a machine with PYTHONDONTWRITEBYTECODE set (this one, CI's) would
    otherwise compile planner from source in every measured process, a cost the baselines,
    whose standard library and click come compiled, never pay.
    """
    import compileall

    import planner

    compileall.compile_dir(str(Path(planner.__file__).parent), quiet=1)


def main() -> int:
    chosen = sys.argv[1:] or list(SECTIONS)
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        print(f"unknown section {unknown}; choose from {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    compile_planner_like_an_install()
    big = generate("big", 20000, 30)
    figures = [figure for name in chosen for figure in SECTIONS[name](big)]
    print(
        f"planner benchmark, {RUNS} runs each (median), python {sys.version.split()[0]}, {os.cpu_count()} cores"
    )
    print_table(figures)
    print(f"took {time.perf_counter() - started:.0f} s")
    missed = [figure.name for figure in figures if not figure.ok]
    if missed:
        print(f"missed {len(missed)} target(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
