"""Never crash on a bad file: the corpus in tests/fixtures/bad/, run through the real CLI.

Every file named in tests/fixtures/bad/MANIFEST.json goes through ``planner --program FILE
talks`` and ``planner import FILE`` in real processes (forked by the fork server of
tests/helpers/fork_server.py) under a 2 GiB address-space limit and a 30-second watchdog
that kills a process that hangs. A refused file gives exit 2 and exactly one line on
stderr, ``Error: <the path>: ...``, with no traceback; a loaded one gives exit 0 and
``check`` reports what was assumed. The dangerous files also go once through a cold
``python -m planner`` with the limit set in ``preexec_fn``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.model import Program

BAD = Path(__file__).parent / "fixtures" / "bad"
MANIFEST = json.loads((BAD / "MANIFEST.json").read_text(encoding="utf-8"))["files"]
REPO = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 2 * 1024**3
WATCHDOG_SECONDS = 30  # a hang, not a speed limit: every file takes well under a second
FIFTY_MB = 50 * 1024 * 1024
FORMATS = ("native", "daypage", "frab", "c3voc", "sitejson", "ics", "csv")


# --- the generated files (too big to commit) -----------------------------------------------


def nested_lists(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)


def nested_results(path: Path) -> None:
    path.write_text('{"count": 1, "results": ' + "[" * 100_000 + "]" * 100_000 + "}")


def nested_xml_abstract(path: Path) -> None:
    page = (BAD / "frab_spring_forward_gap.xml").read_text(encoding="utf-8")
    deep = "<b>" * 100_000 + "deep" + "</b>" * 100_000
    path.write_text(page.replace("<type>meeting</type>", f"<abstract>{deep}</abstract>", 1))


def fifty_megabyte_abstract(path: Path) -> None:
    head = '{"id": "big", "name": "Big", "timezone": "UTC", "items": [{"id": "a", "title": "A",'
    head += ' "start": "2024-05-14T09:00:00+00:00", "end": "2024-05-14T09:30:00+00:00",'
    head += ' "abstract": "'
    tail = '"}]}\n'
    sentence = "A long abstract. "
    path.write_text(head + sentence * ((FIFTY_MB - len(head) - len(tail)) // len(sentence)) + tail)


def fifty_megabytes_of_zeros(path: Path) -> None:
    path.write_bytes(bytes(FIFTY_MB))


GENERATORS = {
    function.__name__: function
    for function in (
        nested_lists,
        nested_results,
        nested_xml_abstract,
        fifty_megabyte_abstract,
        fifty_megabytes_of_zeros,
    )
}


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated-bad-inputs")
    for entry in MANIFEST:
        if "generator" in entry:
            GENERATORS[entry["generator"]](folder / entry["file"])
    return folder


def corpus_path(entry: dict, generated: Path) -> Path:
    return (generated if "generator" in entry else BAD) / entry["file"]


# --- running planner --------------------------------------------------------------------------


@dataclass
class Run:
    code: int | None
    stdout: str
    stderr: str
    timed_out: bool


def run_planner(fork_server, folder: Path, name: str, args: list[str]) -> Run:  # type: ignore[no-untyped-def]
    out, err = folder / f"{name}.out", folder / f"{name}.err"
    fork_server.send(
        {
            "mode": "run",
            "args": args,
            "out": str(out),
            "err": str(err),
            "memory": MEMORY_LIMIT,
            "timeout": WATCHDOG_SECONDS,
        }
    )
    answer = json.loads(fork_server.answer())
    read = lambda path: path.read_text(encoding="utf-8", errors="replace")  # noqa: E731
    return Run(answer["code"], read(out), read(err), answer["timed_out"])


def assert_refused(run: Run, path: Path, expect: str) -> None:
    assert not run.timed_out
    assert "Traceback" not in run.stderr
    assert run.code == 2, run.stderr
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"Error: {path}: "), lines[0]
    assert expect in lines[0]


def assert_ran(run: Run, *codes: int) -> None:
    assert not run.timed_out
    assert "Traceback" not in run.stderr
    assert run.code in codes, run.stderr


# --- the corpus --------------------------------------------------------------------------------


def test_the_corpus_covers_every_format_and_every_file_is_in_the_manifest() -> None:
    committed = {entry["file"] for entry in MANIFEST if "generator" not in entry}
    on_disk = {path.name for path in BAD.iterdir() if path.name != "MANIFEST.json"}
    assert committed == on_disk
    assert len(MANIFEST) >= 40
    for fmt in FORMATS:
        outcomes = {entry["outcome"] for entry in MANIFEST if entry["file"].startswith(fmt)}
        assert outcomes == {"refused", "loaded"}, fmt
    assert all(path.stat().st_size < 64 * 1024 for path in BAD.iterdir())  # big ones generated
    assert set(GENERATORS) == {entry["generator"] for entry in MANIFEST if "generator" in entry}


@pytest.mark.parametrize("entry", MANIFEST, ids=[entry["file"] for entry in MANIFEST])
def test_a_bad_file_is_refused_in_one_line_or_loaded_with_what_was_assumed(
    entry: dict, generated: Path, fork_server, tmp_path: Path
) -> None:
    path = corpus_path(entry, generated)
    options = entry.get("args", [])
    talks = run_planner(fork_server, tmp_path, "talks", [*options, "--program", str(path), "talks"])
    imported = run_planner(fork_server, tmp_path, "import", [*options, "import", str(path)])
    if entry["outcome"] == "refused":
        assert_refused(talks, path, entry["expect"])
        assert_refused(imported, path, entry["expect"])
        return
    assert_ran(talks, 0)
    assert_ran(imported, 0)
    Program.model_validate_json(imported.stdout)  # what import prints is a valid program
    checked = run_planner(
        fork_server, tmp_path, "check", [*options, "--program", str(path), "check"]
    )
    assert_ran(checked, 0, 1)
    assert entry["expect"] in checked.stdout, checked.stdout


DANGEROUS = [
    "frab_billion_laughs.xml",
    "frab_external_entity.xml",
    "native_nested_100000.json",
    "fifty_megabyte_abstract",
    "native_binary.json",
]


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.slow
@pytest.mark.parametrize("name", DANGEROUS)
def test_the_dangerous_files_are_safe_in_a_cold_planner_process_too(
    name: str, generated: Path
) -> None:
    entry = next(e for e in MANIFEST if name in (e["file"], e.get("generator")))
    path = corpus_path(entry, generated)
    result = subprocess.run(
        [sys.executable, "-m", "planner", "--program", str(path), "talks"],
        capture_output=True,
        text=True,
        timeout=WATCHDOG_SECONDS,
        preexec_fn=limit_memory,
        cwd=REPO,
    )
    run = Run(result.returncode, result.stdout, result.stderr, False)
    if entry["outcome"] == "refused":
        assert_refused(run, path, entry["expect"])
    else:
        assert_ran(run, 0)
