"""Picking, dropping, personal events, settings and changes since picking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner import agenda
from planner.agenda import (
    Agenda,
    Change,
    Pick,
    Snapshot,
    changes,
    covered_by,
    exported_items,
    read_agenda,
    sequence_of,
)
from planner.cli import cli
from planner.errors import NotFoundError, PlannerError
from planner.model import Program
from planner.sources import load

FIXTURES = Path(__file__).parent / "fixtures"
OVERLAPPING = FIXTURES / "overlapping_talks.json"
MOVED = FIXTURES / "moved_after_pick.json"
MOVED_AGENDA = FIXTURES / "moved_after_pick.agenda.json"
TINY = FIXTURES / "tiny_program.json"


@pytest.fixture(scope="module")
def program() -> Program:
    return load(str(OVERLAPPING))


def picked(program: Program, *ids: str) -> Agenda:
    by_id = program.item_map()
    return agenda.pick(Agenda(program_id=program.id), program, [by_id[i] for i in ids]).agenda


def run(agenda_path: Path, *args: str, program: Path = OVERLAPPING):
    return CliRunner().invoke(
        cli,
        ["--program", str(program), "--agenda", str(agenda_path), *args],
        catch_exceptions=False,
    )


def test_pick_adds_in_the_order_picked_with_a_snapshot(program: Program) -> None:
    result = agenda.pick(
        Agenda(program_id=program.id),
        program,
        [program.item_map()["outer"], program.item_map()["partial-a"]],
    )
    assert [p.id for p in result.agenda.picks] == ["outer", "partial-a"]
    assert result.agenda.picks[0].snapshot == Snapshot.of(program.item_map()["outer"])
    assert [(o.id, o.action) for o in result.outcomes] == [
        ("outer", "added"),
        ("partial-a", "added"),
    ]
    assert result.outcomes[0].message == "added outer: Outer talk (Tue 14 May 11:00-12:00, Room A)"


def test_pick_is_pure(program: Program) -> None:
    before = Agenda(program_id=program.id)
    agenda.pick(before, program, program.items[:2])
    assert before.picks == []


def test_a_talk_inside_a_picked_session_is_covered_and_nothing_is_added(program: Program) -> None:
    start = picked(program, "session")
    result = agenda.pick(start, program, [program.item_map()["session-talk-1"]])
    assert result.agenda == start
    [outcome] = result.outcomes
    assert (outcome.action, outcome.covered_by) == ("covered", "session")
    assert (
        "part of session Afternoon session (session), which you picked: nothing added"
        in outcome.message
    )


def test_picking_a_session_keeps_its_picked_talks_and_shows_them_covered(program: Program) -> None:
    start = picked(program, "session-talk-2")
    result = agenda.pick(start, program, [program.item_map()["session"]])
    assert [p.id for p in result.agenda.picks] == ["session-talk-2", "session"]
    assert [(o.id, o.action, o.covered_by) for o in result.outcomes] == [
        ("session", "added", None),
        ("session-talk-2", "now_covered", "session"),
    ]
    assert covered_by(program, result.agenda) == {"session-talk-2": "session"}
    assert [item.id for item in exported_items(program, result.agenda)] == ["session"]


def test_dropping_a_talk_only_the_session_covers_changes_nothing(program: Program) -> None:
    start = picked(program, "session")
    result = agenda.drop(start, program, ["session-talk-1"])
    assert result.agenda == start
    [outcome] = result.outcomes
    assert outcome.action == "only_covered"
    assert outcome.message == (
        "Session talk one (session-talk-1) is only covered by session Afternoon session (session), which you picked: nothing changed "
        "(drop session to drop it)"
    )


def test_dropping_a_session_keeps_the_talks_picked_on_their_own(program: Program) -> None:
    start = picked(program, "session-talk-1", "session")
    result = agenda.drop(start, program, ["session"])
    assert [p.id for p in result.agenda.picks] == ["session-talk-1"]
    assert "its talks you picked stay: session-talk-1" in result.outcomes[0].message


def test_dropping_a_talk_still_covered_by_its_session_says_so(program: Program) -> None:
    result = agenda.drop(picked(program, "session-talk-1", "session"), program, ["session-talk-1"])
    assert [p.id for p in result.agenda.picks] == ["session"]
    assert (
        "stays in your agenda as part of session Afternoon session (session)"
        in result.outcomes[0].message
    )


def test_dropping_what_is_not_picked_says_so(program: Program) -> None:
    result = agenda.drop(picked(program, "outer"), program, ["inner"])
    assert [o.action for o in result.outcomes] == ["not_picked"]
    assert [p.id for p in result.agenda.picks] == ["outer"]


def test_an_unknown_id_to_drop_is_an_error_that_names_the_closest(program: Program) -> None:
    with pytest.raises(NotFoundError, match=r"no item 'outr'.*closest: outer"):
        agenda.drop(picked(program, "outer"), program, ["outr"])


def test_a_prefix_shared_by_two_personal_events_is_ambiguous(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    for start in ("2024-05-14 16:00", "2024-05-14 17:00"):
        end = start[:-5] + str(int(start[-5:-3]) + 1) + ":00"
        assert run(path, "add", "Coffee", "--start", start, "--end", end).exit_code == 0
    result = run(path, "drop", "my-c")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: id 'my-c' is ambiguous in your agenda: it could be my-coffee, my-coffee-2\n"
    )
    assert len(read_agenda(path, "overlapping-talks").events) == 2


def test_a_prefix_unique_in_the_agenda_drops_that_entry(program: Program) -> None:
    # "partial" starts both partial-a and partial-b in the program, but only one is picked.
    result = agenda.drop(picked(program, "outer", "partial-a"), program, ["partial"])
    assert [(o.id, o.action) for o in result.outcomes] == [("partial-a", "dropped")]


def test_picking_a_time_to_be_announced_item_is_allowed_and_said(program: Program) -> None:
    result = agenda.pick(Agenda(program_id=program.id), program, [program.item_map()["tba-talk"]])
    [outcome] = result.outcomes
    assert outcome.action == "added" and outcome.tba
    assert "time to be announced" in outcome.message
    assert [p.id for p in result.agenda.picks] == ["tba-talk"]
    assert [item.id for item in exported_items(program, result.agenda)] == ["tba-talk"]


def test_repicking_an_unchanged_item_keeps_its_sequence(program: Program) -> None:
    start = picked(program, "outer")
    result = agenda.pick(start, program, [program.item_map()["outer"]])
    assert result.agenda == start
    assert result.outcomes[0].message == "Outer talk (outer) is already picked and up to date"


@pytest.fixture
def moved() -> tuple[Program, Agenda]:
    return load(str(MOVED)), read_agenda(MOVED_AGENDA, "moved-after-pick")


def test_changes_since_picking_are_listed_and_a_vanished_pick_is_kept(moved) -> None:
    program, current = moved
    assert changes(program, current) == [
        Change("mover", "moved", "moved from 10:03 to 09:21"),
        Change("relocated", "room", "room changed from Room 204 to Room 205"),
        Change("retitled", "renamed", "renamed (was 'The old title')"),
        Change("withdrawn", "vanished", "no longer in the program"),
    ]
    assert "withdrawn" in current.pick_ids()
    assert [item.id for item in exported_items(program, current)] == [
        "anchor",
        "mover",
        "relocated",
        "retitled",
    ]


def test_changes_name_the_day_when_a_pick_moves_to_another_day() -> None:
    program = load(str(MOVED))
    snapshot = Snapshot.of(program.item_map()["mover"]).model_copy(
        update={"start": program.item_map()["mover"].start.replace(day=29)}
    )
    current = Agenda(program_id=program.id, picks=[Pick(id="mover", snapshot=snapshot)])
    assert changes(program, current)[0].message == "moved from Mon 29 Aug 09:21 to Tue 30 Aug 09:21"


def test_repicking_a_changed_item_refreshes_the_snapshot_and_bumps_the_sequence(moved) -> None:
    program, current = moved
    by_id = program.item_map()
    assert sequence_of(current.find_pick("mover"), by_id["mover"]) == 1  # not confirmed yet
    result = agenda.pick(current, program, [by_id["mover"], by_id["relocated"], by_id["anchor"]])
    assert [o.message for o in result.outcomes] == [
        "Moved talk (mover) is already picked; noted the change: moved from 10:03 to 09:21",
        "Relocated talk (relocated) is already picked; noted the change: room changed from "
        "Room 204 to Room 205",
        "Anchor talk (anchor) is already picked and up to date",
    ]
    refreshed = result.agenda
    assert refreshed.find_pick("mover").sequence == 1
    assert refreshed.find_pick("relocated").sequence == 3
    assert refreshed.find_pick("anchor").sequence == 0
    assert refreshed.find_pick("mover").snapshot == Snapshot.of(by_id["mover"])
    assert sequence_of(refreshed.find_pick("mover"), by_id["mover"]) == 1
    assert [c.id for c in changes(program, refreshed)] == ["retitled", "withdrawn"]
    assert result.touched() == {"mover", "relocated", "anchor"}


def test_a_vanished_pick_can_be_dropped_by_its_id(moved) -> None:
    program, current = moved
    result = agenda.drop(current, program, ["withdrawn"])
    assert "withdrawn" not in result.agenda.pick_ids()
    assert result.outcomes[0].message == "dropped withdrawn: A withdrawn talk"


def test_add_gives_unique_personal_ids_that_never_clash_with_program_ids(program: Program) -> None:
    start = program.item_map()["outer"].start
    end = program.item_map()["outer"].end
    first = agenda.add_event(Agenda(program_id=program.id), program, "Lunch with Bob!", start, end)
    second = agenda.add_event(first.agenda, program, "lunch  with   BOB", start, end, " Cafe ")
    assert [e.id for e in second.agenda.events] == ["my-lunch-with-bob", "my-lunch-with-bob-2"]
    assert second.agenda.events[1].title == "lunch with BOB"
    assert second.agenda.events[1].location == "Cafe"
    weird = agenda.add_event(Agenda(program_id=program.id), program, "???", start, end)
    assert weird.agenda.events[0].id == "my-event"


def test_what_the_attendee_types_is_kept_to_one_safe_line(program: Program) -> None:
    item = program.item_map()["outer"]
    result = agenda.add_event(
        Agenda(program_id=program.id),
        program,
        "Café\x1b\x07 ☕",
        item.start,
        item.end,
        "Room\nB\r\n(upstairs)",
    )
    [event] = result.agenda.events
    assert (event.id, event.title, event.location) == ("my-cafe", "Café ☕", "Room B (upstairs)")
    assert "\x1b" not in result.outcomes[0].message


def test_a_personal_id_skips_program_ids_that_start_with_my() -> None:
    program = load(str(OVERLAPPING))
    program.items.append(program.items[0].model_copy(update={"id": "my-outer-talk"}))
    start, end = program.items[0].start, program.items[0].end
    result = agenda.add_event(Agenda(program_id=program.id), program, "Outer talk", start, end)
    assert result.agenda.events[0].id == "my-outer-talk-2"


def test_add_refuses_an_end_before_the_start_and_an_empty_title(program: Program) -> None:
    item = program.item_map()["outer"]
    with pytest.raises(PlannerError, match="give an --end after --start"):
        agenda.add_event(Agenda(program_id=program.id), program, "Lunch", item.end, item.start)
    with pytest.raises(PlannerError, match="needs a title"):
        agenda.add_event(Agenda(program_id=program.id), program, "  ", item.start, item.end)


def test_settings_change_and_validate(program: Program) -> None:
    start = Agenda(program_id=program.id)
    result = agenda.change_settings(start, walk_minutes=8, alarm_minutes=10)
    assert (result.agenda.settings.walk_minutes, result.agenda.settings.alarm_minutes) == (8, 10)
    cleared = agenda.change_settings(result.agenda, alarm_minutes=None)
    assert cleared.agenda.settings.alarm_minutes is None
    assert cleared.agenda.settings.walk_minutes == 8
    with pytest.raises(PlannerError, match="invalid setting"):
        agenda.change_settings(start, walk_minutes=-1)


# --- the commands ---


def test_pick_command_prints_what_was_added_and_warns_about_the_clash(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    first = run(path, "pick", "partial-a")
    assert first.exit_code == 0 and first.stderr == ""
    second = run(path, "pick", "partial-b", "outer")
    assert second.exit_code == 0
    assert second.stdout.splitlines() == [
        "added partial-b: Partial B (Tue 14 May 09:40-10:30, Room B)",
        "added outer: Outer talk (Tue 14 May 11:00-12:00, Room A)",
    ]
    assert second.stderr.splitlines() == [
        "Warning: Partial A (partial-a) and Partial B (partial-b) overlap by 20 minutes (09:40-10:00)"
    ]


def test_pick_accepts_a_unique_prefix_and_refuses_an_unknown_id(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    assert run(path, "pick", "OUTE").stdout.startswith("added outer:")
    unknown = run(path, "pick", "nosuch")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("Error: no item 'nosuch' in overlapping-talks")
    assert len(unknown.stderr.splitlines()) == 1
    assert [p.id for p in read_agenda(path, "overlapping-talks").picks] == ["outer"]


def test_pick_by_search_takes_the_one_match_or_every_match_with_yes(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    one = run(path, "pick", "--search", "rival")
    assert one.exit_code == 0, one.output
    assert one.stdout.startswith("added rival: Rival talk in another room")
    several = run(path, "pick", "--search", "partial", "--yes")
    assert several.exit_code == 0, several.output
    assert [p.id for p in read_agenda(path, "overlapping-talks").picks] == [
        "rival",
        "partial-a",
        "partial-b",
    ]
    none = run(path, "pick", "--search", "nothing like this")
    assert none.exit_code == 2
    assert none.stderr.startswith("Error: nothing in overlapping-talks matches")


def test_drop_command_removes_picks_and_personal_events(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    run(path, "pick", "outer", "inner")
    added = run(path, "add", "Coffee", "--start", "2024-05-14 16:00", "--end", "16:30")
    assert added.stdout == "added your event my-coffee: Coffee (Tue 14 May 16:00-16:30)\n"
    dropped = run(path, "drop", "inner", "my-coffee", "partial-a")
    assert dropped.exit_code == 0
    assert dropped.stdout.splitlines() == [
        "dropped inner: Inner talk",
        "dropped your event my-coffee: Coffee",
        "Partial A (partial-a) is not in your agenda: nothing changed",
    ]
    saved = read_agenda(path, "overlapping-talks")
    assert [p.id for p in saved.picks] == ["outer"] and saved.events == []


def test_add_command_warns_about_a_clash_and_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    run(path, "pick", "outer")
    result = run(
        path,
        "add",
        "Call home",
        "--start",
        "2024-05-14 11:50",
        "--end",
        "12:20",
        "--location",
        "Room B",
    )
    assert result.exit_code == 0
    assert (
        result.stdout
        == "added your event my-call-home: Call home (Tue 14 May 11:50-12:20, Room B)\n"
    )
    assert (
        result.stderr
        == "Warning: Outer talk (outer) and Call home (my-call-home) overlap by 10 minutes (11:50-12:00)\n"
    )
    [event] = read_agenda(path, "overlapping-talks").events
    assert event.start.isoformat() == "2024-05-14T11:50:00+02:00"


def test_add_command_rejects_bad_times_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    backwards = run(path, "add", "Lunch", "--start", "2024-05-14 13:00", "--end", "12:00")
    assert backwards.exit_code == 2
    assert backwards.stderr.startswith("Error: the event ends (2024-05-14T12:00:00+02:00) before")
    garbage = run(path, "add", "Lunch", "--start", "tomorrow", "--end", "12:00")
    assert garbage.exit_code == 2
    assert "is not a time like '2022-08-30 12:00'" in garbage.stderr
    no_date = run(path, "add", "Lunch", "--start", "12:00", "--end", "13:00")
    assert no_date.exit_code == 2
    assert not path.exists()


def test_settings_command_shows_and_changes(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    shown = run(path, "settings")
    assert shown.stdout.splitlines()[0].startswith("walk_minutes:  5 ")
    assert not path.exists()
    changed = run(path, "settings", "--walk", "7", "--alarm", "15")
    assert "walk_minutes:  7" in changed.stdout and "alarm_minutes: 15" in changed.stdout
    run(path, "settings", "--alarm", "none")
    data = json.loads(path.read_text())
    assert data["settings"] == {"alarm_minutes": None, "walk_minutes": 7}
    bad = run(path, "settings", "--walk", "-3")
    assert bad.exit_code == 2


def test_settings_say_when_the_program_gives_the_walk(tmp_path: Path) -> None:
    program = tmp_path / "walky.json"
    data = json.loads(OVERLAPPING.read_text())
    data["walk_minutes"] = 7
    program.write_text(json.dumps(data))
    shown = run(tmp_path / "a.json", "settings", program=program)
    assert "not used: overlapping-talks gives 7 minutes between rooms" in shown.stdout


# --- many picks: each id costs the same however many the agenda holds ------------------------


def sessions_program(sessions: int, talks_each: int) -> Program:
    """``sessions`` one-hour sessions in a row, each with ``talks_each`` talks inside."""
    items: list[dict] = []
    for s in range(sessions):
        day, hour = 1 + s // 10, 8 + s % 10
        start, end = (
            f"2024-06-{day:02d}T{hour:02d}:00:00+00:00",
            f"2024-06-{day:02d}T{hour:02d}:59:00+00:00",
        )
        common = {"start": start, "end": end, "room": "A"}
        items.append({"id": f"s{s}", "title": f"Session {s}", "kind": "session", **common})
        items += [
            {"id": f"s{s}-t{t}", "title": f"Talk {t}", "parent": f"s{s}", **common}
            for t in range(talks_each)
        ]
    return Program.model_validate({"id": "many", "name": "Many", "timezone": "UTC", "items": items})


class Counted:
    """Counts the calls of one method while a test runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> None:
        self.calls = 0
        original = getattr(owner, name)

        def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counting)


def test_picking_walks_up_once_per_new_id_however_many_picks_are_held(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from planner.model import ProgramTree

    program = sessions_program(sessions=60, talks_each=10)
    talks = [item for item in program.items if item.kind == "talk"]
    held = agenda.pick(Agenda(program_id="many"), program, talks[:500]).agenda
    walks = Counted(monkeypatch, ProgramTree, "ancestors")
    scans = [Counted(monkeypatch, Agenda, name) for name in ("pick_ids", "find_pick")]
    result = agenda.pick(held, program, talks[500:])
    assert len(result.agenda.picks) == 600
    assert walks.calls == 100  # was one walk per held pick, for each new pick: 50,000
    assert [scan.calls for scan in scans] == [0, 0]  # no pass over the held picks per id
    assert [p.id for p in held.picks] == [t.id for t in talks[:500]]  # the input is untouched


def test_a_session_picked_last_names_the_picks_it_now_covers_in_pick_order() -> None:
    program = sessions_program(sessions=2, talks_each=3)
    by_id = program.item_map()
    held = picked(program, "s0-t2", "s1-t0", "s0-t0")
    result = agenda.pick(held, program, [by_id["s0"]])
    assert [(o.id, o.action) for o in result.outcomes] == [
        ("s0", "added"),
        ("s0-t2", "now_covered"),
        ("s0-t0", "now_covered"),
    ]
    assert [p.id for p in held.picks] == ["s0-t2", "s1-t0", "s0-t0"]


def test_dropping_many_ids_and_prefixes_in_one_go(monkeypatch: pytest.MonkeyPatch) -> None:
    program = sessions_program(sessions=30, talks_each=10)
    talks = [item.id for item in program.items if item.kind == "talk"]
    held = picked(program, *talks, "s0")
    scans = [Counted(monkeypatch, Agenda, name) for name in ("pick_ids", "find_pick")]
    result = agenda.drop(held, program, [*talks[10:], "s0"])
    assert [scan.calls for scan in scans] == [0, 0]
    assert result.outcomes[-1].message == (
        "dropped s0: Session 0; its talks you picked stay: "
        + ", ".join(f"s0-t{t}" for t in range(10))
    )
    assert [p.id for p in result.agenda.picks] == talks[:10]
    # A prefix is matched among what is still picked: s0-t1 alone once s0-t10.. are gone.
    tens = picked(program, "s1-t1", "s2-t1")
    assert agenda.drop(tens, program, ["s1-t1", "s2"]).outcomes[1].id == "s2"
    assert agenda.drop(tens, program, ["s2-t1", "S1-T"]).outcomes[1].id == "s1-t1"
    with pytest.raises(NotFoundError, match="ambiguous in your agenda: it could be s1-t1, s2-t1"):
        agenda.drop(picked(program, "s1-t1", "s1-t2", "s2-t1"), program, ["s1-t2", "s"])


def test_a_cli_pick_of_many_ids_builds_the_program_s_index_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.model import PrefixIndex, ProgramTree

    program = sessions_program(sessions=40, talks_each=5)
    path = tmp_path / "many.json"
    path.write_text(program.model_dump_json())
    ids = [item.id for item in program.items if item.kind == "talk"]
    builds = Counted(monkeypatch, ProgramTree, "__init__")
    prefixes = Counted(monkeypatch, PrefixIndex, "__init__")
    result = run(tmp_path / "a.json", "pick", *ids, program=path)
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == len(ids)
    assert builds.calls == 1  # one id index for the loaded program, not one per id
    assert prefixes.calls == 0  # exact ids: no prefix index needed
    assert run(tmp_path / "a.json", "pick", "S39-T", program=path).exit_code == 2  # ambiguous
    assert (
        "Talk 4 (s39-t4) is already picked"
        in run(tmp_path / "a.json", "pick", "S39-T4", program=path).stdout
    )


def test_dropping_a_session_names_its_talks_that_stay_and_leaves_the_input_as_it_was() -> None:
    program = sessions_program(sessions=2, talks_each=3)
    held = picked(program, "s0-t1", "s0-t0", "s1-t0", "s0")
    result = agenda.drop(held, program, ["s0"])
    assert "its talks you picked stay: s0-t1, s0-t0" in result.outcomes[0].message
    assert [p.id for p in result.agenda.picks] == ["s0-t1", "s0-t0", "s1-t0"]
    assert [p.id for p in held.picks] == ["s0-t1", "s0-t0", "s1-t0", "s0"]


# --- pick --search: pick by what the listing shows ------------------------------------------


def test_pick_search_takes_one_match_at_once(tmp_path: Path) -> None:
    result = run(tmp_path / "a.json", "pick", "--search", "rival")
    assert result.exit_code == 0
    assert result.stdout.startswith("added rival: Rival talk in another room")
    assert [p.id for p in read_agenda(tmp_path / "a.json", "overlapping-talks").picks] == ["rival"]


def test_pick_search_asks_before_picking_several(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    runner = CliRunner()
    asked = ["--program", str(OVERLAPPING), "--agenda", str(path), "pick", "--search", "partial"]
    declined = runner.invoke(cli, asked, input="n\n")
    assert declined.exit_code == 0
    assert "partial-a" in declined.stderr and "Pick these 2? [y/N]" in declined.stderr
    assert "Nothing picked" in declined.stderr and not path.exists()
    unanswered = runner.invoke(cli, asked, input="")  # stdin closed: no yes, nothing picked
    assert unanswered.exit_code == 0 and not path.exists()
    taken = runner.invoke(cli, [*asked, "--yes"])
    assert taken.exit_code == 0
    assert [p.id for p in read_agenda(path, "overlapping-talks").picks] == [
        "partial-a",
        "partial-b",
    ]


def test_pick_search_with_no_match_or_with_ids_is_an_error(tmp_path: Path) -> None:
    none = run(tmp_path / "a.json", "pick", "--search", "zzz")
    assert none.exit_code == 2
    assert none.stderr.startswith("Error: nothing in overlapping-talks matches 'zzz'")
    both = run(tmp_path / "a.json", "pick", "outer", "--search", "rival")
    assert both.exit_code == 2 and "give the ids to pick, or --search TEXT" in both.stderr
