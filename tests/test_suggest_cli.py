"""`planner suggest`: the program ranked by interests and --like, from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planner.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
TWO_OVERLAPPING = FIXTURES / "plan_two_overlapping.json"
SESSION = FIXTURES / "plan_session_vs_talks.json"
WORDS = FIXTURES / "rank_words.json"
NOW = "2022-08-29T18:00:00-07:00"


def run(tmp_path: Path, *args: str, program: Path | str = TWO_OVERLAPPING) -> Result:
    return CliRunner(env={"PLANNER_NOW": NOW}).invoke(
        cli,
        ["--program", str(program), "--agenda", str(tmp_path / "agenda.json"), *args],
        catch_exceptions=False,
        prog_name="planner",
    )


def ranked(result: Result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_text_view_shows_score_time_id_and_the_words_that_matched(tmp_path: Path) -> None:
    result = run(tmp_path, "suggest", "sparsity", "gpu", "compilers")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "2 items match (times in UTC); best first:"
    assert lines[1].split() == [
        "3.58",
        "10:15-10:45",
        "sparsity",
        "[sparsity,",
        "gpu]",
        "Sparsity",
        "on",
        "GPUs",
    ]
    assert lines[2].split()[:4] == ["1.68", "10:00-10:30", "compilers", "[compilers]"]
    assert len(lines) == 3  # items scoring 0 are not listed in the text view


def test_json_lists_every_timed_item_sorted_by_unrounded_score(tmp_path: Path) -> None:
    entries = ranked(run(tmp_path, "suggest", "sparsity", "gpu", "--json"))
    # tba has no time; blink (zero length) has one and is listed, with score 0.
    assert [e["id"] for e in entries] == ["sparsity", "compilers", "closing", "blink"]
    assert all(list(e) == ["id", "matched", "score"] for e in entries)
    assert entries[0]["matched"] == ["sparsity", "gpu"]
    assert entries[0]["score"] != round(entries[0]["score"], 2)
    assert [e["score"] for e in entries[1:]] == [0, 0, 0]


def test_json_scores_are_the_numbers_plan_maximises(tmp_path: Path) -> None:
    scores = {
        e["id"]: e["score"]
        for e in ranked(run(tmp_path, "suggest", "sparse", "--json", program=SESSION))
    }
    plan = ranked(run(tmp_path, "plan", "sparse", "--json", program=SESSION))
    assert plan["items"] == [{"estimated": False, "id": "session", "score": scores["session"]}]
    # A session is worth the sum of its parts, the panel with no end included.
    parts = ("part-1", "part-2", "part-3", "panel")
    assert scores["session"] == pytest.approx(sum(scores[p] for p in parts))


def test_limit_kind_and_day_cut_the_list(tmp_path: Path) -> None:
    assert len(ranked(run(tmp_path, "suggest", "sparse", "--json", "--limit", "2"))) == 2
    sessions = ranked(run(tmp_path, "suggest", "sparse", "--json", "--kind", "session"))
    assert [e["id"] for e in sessions] == []
    sessions = ranked(
        run(tmp_path, "suggest", "sparse", "--json", "--kind", "session", program=SESSION)
    )
    assert [e["id"] for e in sessions] == ["session"]
    assert ranked(run(tmp_path, "suggest", "gpu", "--json", "--day", "2024-05-15")) == []
    assert len(ranked(run(tmp_path, "suggest", "gpu", "--json", "--day", "2024-05-14"))) == 4
    text = run(tmp_path, "suggest", "sparse", "--limit", "1", program=SESSION).stdout
    assert text.splitlines()[-1] == "... and 4 more (--limit N shows more)"


def test_a_bad_kind_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "suggest", "gpu", "--kind", "talks")
    assert result.exit_code == 2
    assert "'talks' is not one of talk" in result.stderr


def test_nothing_to_rank_by_is_a_usage_error_that_says_what_to_give(tmp_path: Path) -> None:
    result = run(tmp_path, "suggest")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: nothing to rank by: give interests")
    assert "--like ID" in result.stderr and "see 'planner suggest --help'" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_an_interest_matching_nothing_says_so_and_exits_0(tmp_path: Path) -> None:
    result = run(tmp_path, "suggest", "xylophone", "gpu")
    assert result.exit_code == 0
    assert result.stderr == "Note: no item matches 'xylophone'\n"
    assert "sparsity" in result.stdout
    alone = run(tmp_path, "suggest", "xylophone")
    assert alone.exit_code == 0 and alone.stdout == "No item matches.\n"


def test_an_unknown_like_id_names_the_closest(tmp_path: Path) -> None:
    result = run(tmp_path, "suggest", "--like", "compilerz", program=WORDS)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no item 'compilerz' in ")
    assert "closest: compilers" in result.stderr


def test_like_picks_ranks_by_the_current_picks(tmp_path: Path) -> None:
    empty = run(tmp_path, "suggest", "--like", "picks", program=WORDS)
    assert empty.exit_code == 2 and "no picks to be like" in empty.stderr
    assert run(tmp_path, "pick", "compilers", program=WORDS).exit_code == 0
    by_picks = ranked(run(tmp_path, "suggest", "--like", "picks", "--json", program=WORDS))
    by_id = ranked(run(tmp_path, "suggest", "--like", "compilers", "--json", program=WORDS))
    assert by_picks == by_id
    assert by_picks[0]["id"] == "compilers"


def test_a_like_id_with_no_time_is_noted(tmp_path: Path) -> None:
    result = run(tmp_path, "suggest", "gpu", "--like", "tba")
    assert result.exit_code == 0
    assert "Note: --like tba: its time is to be announced" in result.stderr


STARTUP_PROBE = """
import sys
from planner.cli import main
sys.argv = ["planner", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
loaded = [name for name in ("planner.rank", "planner.planning", "snowballstemmer")
          if name in sys.modules]
print("LOADED:" + ",".join(loaded), file=sys.stderr)
"""


def loaded_by(tmp_path: Path, *args: str) -> str:
    env = {
        **os.environ,
        "PLANNER_NOW": NOW,
        "PLANNER_AGENDA": str(tmp_path / "agenda.json"),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / ".config"),
    }
    result = subprocess.run(
        [sys.executable, "-c", STARTUP_PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    line = [x for x in result.stderr.splitlines() if x.startswith("LOADED:")]
    assert line, result.stderr
    return line[-1].removeprefix("LOADED:")


def test_other_commands_never_import_the_ranking_or_its_stemmer(tmp_path: Path) -> None:
    program = str(TWO_OVERLAPPING)
    for args in (
        ["--help"],
        ["--program", program, "talks"],
        ["--program", program, "pick", "sparsity"],
        ["--program", program, "agenda"],
        ["--program", program, "clashes"],
    ):
        assert loaded_by(tmp_path, *args) == "", args
    assert "snowballstemmer" in loaded_by(tmp_path, "--program", program, "suggest", "gpu")


def test_liking_only_items_with_no_time_says_so(tmp_path: Path) -> None:
    result = run(tmp_path, "suggest", "--like", "tba")
    assert result.exit_code == 2
    assert "--like: no liked item has a time yet" in result.stderr
