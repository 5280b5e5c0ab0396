"""`planner plan`: the best clash-free agenda from the command line, on the named cases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from planner.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
NOW = "2022-08-29T18:00:00-07:00"


def run(agenda_path: Path, program: Path | str, *args: str) -> Result:
    return CliRunner(env={"PLANNER_NOW": NOW, "NO_COLOR": "1", "COLUMNS": "100"}).invoke(
        cli,
        ["--program", str(program), "--agenda", str(agenda_path), *args],
        catch_exceptions=False,
        prog_name="planner",
    )


def fixture(name: str) -> Path:
    return FIXTURES / f"{name}.json"


def planned(agenda_path: Path, name: str, *args: str) -> dict:
    result = run(agenda_path, fixture(name), "plan", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ids(plan: dict) -> list[str]:
    return [item["id"] for item in plan["items"]]


def scores_of(agenda_path: Path, name: str, *interests: str) -> dict[str, float]:
    result = run(agenda_path, fixture(name), "suggest", *interests, "--json")
    return {entry["id"]: entry["score"] for entry in json.loads(result.stdout)}


def test_of_two_overlapping_talks_the_better_one(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    plan = planned(agenda, "plan_two_overlapping", "sparsity", "gpu", "compilers")
    scores = scores_of(agenda, "plan_two_overlapping", "sparsity", "gpu", "compilers")
    assert scores["sparsity"] > scores["compilers"] > 0
    assert plan == {
        "added": ["sparsity"],
        "dropped": [],
        "items": [{"estimated": False, "id": "sparsity", "score": scores["sparsity"]}],
        "kept": [],
        "total": scores["sparsity"],
    }
    assert not agenda.exists()  # nothing is written without --apply


def test_a_tight_room_change_forces_the_second_best(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    interests = ("quantization", "pruning", "distillation")
    scores = scores_of(agenda, "plan_tight_room_change", *interests)
    # far is worth more than near, but is a 10-minute walk from first with 5 minutes to go.
    assert scores["far"] > scores["near"] and scores["first"] + scores["near"] > scores["far"]
    plan = planned(agenda, "plan_tight_room_change", *interests)
    assert ids(plan) == ["first", "near"]
    assert plan["total"] == scores["first"] + scores["near"]


def test_a_session_or_its_talks_never_both(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    # "sparse" is in every part and the session's title: the whole session is worth the most
    # (its panel, with no end, counts in it but could never be chosen on its own).
    assert ids(planned(agenda, "plan_session_vs_talks", "sparse")) == ["session"]
    # Two parts and the talk across the hall between them beat the session.
    plan = planned(agenda, "plan_session_vs_talks", "gpu", "attention", "compilers")
    assert ids(plan) == ["part-1", "outside", "part-3"]


def test_a_fixed_pick_in_the_middle_is_kept_and_planned_around(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    assert run(agenda, fixture("plan_fixed_pick"), "pick", "picked").exit_code == 0
    plan = planned(agenda, "plan_fixed_pick", "robotics")
    # rival overlaps the pick; walk-away starts 5 minutes after it, a 15-minute walk away.
    assert ids(plan) == ["early", "picked", "late"]
    assert plan["kept"] == ["picked"] and plan["added"] == ["early", "late"]
    assert plan["dropped"] == []
    # --replace plans from scratch: the better-scoring rival wins and the pick is dropped.
    replaced = planned(agenda, "plan_fixed_pick", "robotics", "--replace")
    assert "rival" in ids(replaced) and "picked" not in ids(replaced)
    assert replaced["dropped"] == ["picked"]


def test_a_personal_lunch_is_planned_around_and_not_listed(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    shutil.copy(fixture("plan_personal_lunch.agenda"), agenda)
    for flag in ("--keep-picks", "--replace"):
        plan = planned(agenda, "plan_personal_lunch", "robotics", flag)
        # noon-talk is during lunch; tight-after starts 2 minutes after it, a 10-minute walk
        # from the cafeteria.
        assert [i for i in ids(plan) if i != "morning"] == ["after-lunch"]
        assert "my-lunch" not in ids(plan)
    text = run(agenda, fixture("plan_personal_lunch"), "plan", "robotics").stdout
    assert "12:00-13:00    Cafeteria  Lunch with Bob" in text  # shown, as in `planner agenda`


def test_a_dst_day_counts_real_minutes_and_says_what_is_estimated(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    # night ends 01:58 CET, dawn starts 03:00 CEST: two real minutes, less than the walk.
    plan = planned(agenda, "plan_dst_day", "robotics")
    assert ids(plan) == ["night", "later"]
    assert [item["estimated"] for item in plan["items"]] == [False, True]
    text = run(agenda, fixture("plan_dst_day"), "plan", "robotics").stdout
    # The night belongs to Saturday's conference day (the day changes at 04:00).
    assert "Saturday 30 March 2024 (times in Europe/Berlin, UTC+01:00)" in text
    assert "01:00-01:58    Hall A" in text and "03:40-04:10~   Hall A" in text
    assert "~ rests on estimated times: later" in text
    # --from 02:30 does not exist that night: it is read as 03:30 CEST, after dawn's start.
    late = planned(agenda, "plan_dst_day", "robotics", "--day", "2024-03-30", "--from", "02:30")
    assert ids(late) == ["later"]
    # Saturday's last set runs past 04:00 and still belongs to Saturday; Sunday has nothing.
    assert ids(planned(agenda, "plan_dst_day", "robotics", "--day", "2024-03-30")) == [
        "night",
        "later",
    ]
    assert ids(planned(agenda, "plan_dst_day", "robotics", "--day", "2024-03-31")) == []
    # With calendar dates (--day-change 00:00) the night is Sunday's, as before.
    calendar = run(agenda, fixture("plan_dst_day"), "--day-change", "00:00", "plan", "robotics")
    assert "Sunday 31 March 2024 (times in Europe/Berlin, UTC+01:00)" in calendar.stdout


def test_the_text_view_is_the_agenda_layout_with_scores_and_the_total(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    assert run(agenda, fixture("plan_fixed_pick"), "pick", "picked").exit_code == 0
    result = run(agenda, fixture("plan_fixed_pick"), "plan", "robotics", "gardening")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "A fixed pick in the middle: proposed agenda"
    assert lines[2] == "Tuesday 14 May 2024 (times in UTC, UTC+00:00)"
    assert lines[3].split()[:3] == ["09:00-09:45", "Hall", "A"]
    assert lines[4].strip().startswith("+ added, score ")
    assert lines[4].strip().endswith("(robotics)")
    assert any(line.strip().startswith("kept, score ") for line in lines)
    assert any(line.strip().startswith("·        free 09:45-10:00") for line in lines)
    plan = planned(agenda, "plan_fixed_pick", "robotics", "gardening")
    assert f"Total score {plan['total']:.2f}: 3 items (2 added, 1 kept)." in lines
    assert lines[-1] == "Nothing written; --apply picks the 2 added items."


def test_replace_shows_what_is_dropped(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    assert run(agenda, fixture("plan_fixed_pick"), "pick", "picked").exit_code == 0
    text = run(agenda, fixture("plan_fixed_pick"), "plan", "robotics", "--replace").stdout
    assert "- dropped picked: The talk already picked" in text
    assert "(--apply only adds; `planner drop ID...` drops these)" in text


def test_apply_picks_in_one_change_and_prints_the_undo(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    program = fixture("plan_fixed_pick")
    assert run(agenda, program, "pick", "picked").exit_code == 0
    before = agenda.read_bytes()
    result = run(agenda, program, "plan", "robotics", "--apply")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "added early: Early talk (Tue 14 May 09:00-09:45, Hall A)" in lines
    assert lines[-1] == "Undo: planner drop early late"
    assert "Nothing written" not in result.stdout
    stored = json.loads(agenda.read_text())
    assert [p["id"] for p in stored["picks"]] == ["picked", "early", "late"]
    assert result.stderr == ""  # the plan is clash-free
    assert run(agenda, program, "clashes", "--strict").exit_code == 0
    # Applying again adds nothing and writes nothing.
    again = run(agenda, program, "plan", "robotics", "--apply")
    assert again.stdout.splitlines()[-1] == "Nothing picked: your agenda already holds this plan."
    # The printed undo restores the agenda as it was.
    assert run(agenda, program, "drop", "early", "late").exit_code == 0
    assert json.loads(agenda.read_text()) == json.loads(before)


def test_apply_with_json_keeps_stdout_the_plan(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    result = run(agenda, fixture("plan_two_overlapping"), "plan", "gpu", "--apply", "--json")
    assert result.exit_code == 0
    assert ids(json.loads(result.stdout)) == ["sparsity"]
    assert "Undo: planner drop sparsity" in result.stderr


def test_a_window_plans_only_inside_it(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    args = ("robotics", "--day", "2024-05-14")
    assert ids(planned(agenda, "plan_fixed_pick", *args, "--until", "10:00")) == ["early"]
    assert "early" not in ids(planned(agenda, "plan_fixed_pick", *args, "--from", "09:30"))
    # A one-day program needs no --day for --from / --until.
    assert ids(planned(agenda, "plan_fixed_pick", "robotics", "--until", "10:00")) == ["early"]
    other_day = planned(agenda, "plan_fixed_pick", "robotics", "--day", "2024-05-15")
    assert other_day["items"] == [] and other_day["total"] == 0


def test_min_score_leaves_out_the_weaker_items(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    scores = scores_of(agenda, "plan_tight_room_change", "quantization", "pruning", "distillation")
    plan = planned(
        agenda,
        "plan_tight_room_change",
        "quantization",
        "pruning",
        "distillation",
        "--min-score",
        str(scores["first"]),
    )
    assert ids(plan) == ["far"]


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    program = fixture("plan_two_overlapping")
    cases = {
        (): "nothing to rank by: give interests",
        ("--like", "sparsty"): "no item 'sparsty' in plan-two-overlapping; closest: sparsity",
        ("gpu", "--from", "10:00", "--until", "09:00"): "--until 09:00 is not after --from 10:00",
        ("gpu", "--from", "9.30"): "'9.30' is not a time of day like 04:00",
        ("gpu", "--min-score", "-1"): "--min-score",
    }
    for args, message in cases.items():
        result = run(agenda, program, "plan", *args)
        assert result.exit_code == 2, args
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and message in result.stderr, result.stderr
    assert "(see 'planner plan --help')" in run(agenda, program, "plan").stderr
    assert not agenda.exists()


def test_an_interest_matching_nothing_says_so_with_an_empty_plan(tmp_path: Path) -> None:
    agenda = tmp_path / "agenda.json"
    result = run(agenda, fixture("plan_two_overlapping"), "plan", "xylophone")
    assert result.exit_code == 0
    assert result.stderr == "Note: no item matches 'xylophone'\n"
    assert "Nothing to plan: no item scores above the minimum" in result.stdout
    plan = planned(agenda, "plan_two_overlapping", "xylophone")
    assert plan == {"added": [], "dropped": [], "items": [], "kept": [], "total": 0}


def test_from_until_need_a_day_on_a_program_of_several_days(tmp_path: Path) -> None:
    result = run(
        tmp_path / "a.json",
        FIXTURES / "session_across_midnight.json",
        "--day-change",  # calendar dates: the session's night is a second day
        "00:00",
        "plan",
        "x",
        "--from",
        "10:00",
    )
    assert result.exit_code == 2
    assert "--from/--until need --day DATE" in result.stderr


def test_the_bundled_day_plans_sparsity_and_gpu_without_overlaps(tmp_path: Path) -> None:
    from planner.clashes import Slot, WalkRule, sweep_clashes
    from planner.sources import load

    agenda = tmp_path / "agenda.json"
    result = run(agenda, "mlsys2022", "plan", "sparsity", "gpu", "--json")
    assert result.exit_code == 0
    plan = json.loads(result.stdout)
    program = load("mlsys2022")
    by_id = program.item_map()
    chosen = [by_id[i] for i in ids(plan)]
    sparsity_parts = {c.id for c in program.children_map()["sparsity-tutorial"]}
    assert sparsity_parts <= set(ids(plan)) or "sparsity-tutorial" in ids(plan)
    slots = [Slot(i.id, i.start, i.end, room=i.room) for i in chosen]
    assert sweep_clashes(slots, WalkRule(program)) == []
