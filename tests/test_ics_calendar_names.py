"""Which name (and so which program id, agenda file and export UIDs) an .ics feed goes by.

The ladder (planner/sources/ics/naming.py): X-WR-CALNAME, PRODID's organiser, the UIDs'
domain (for pretalx UIDs the event slug), and the file name only when nothing else names it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from helpers.loading import FIXTURES

from planner.cli import cli
from planner.sources import load
from planner.sources.ics.naming import calendar_name


@pytest.mark.parametrize(
    ("name", "program_id", "program_name"),
    [
        ("ics_name_calname.ics", "kieler-linuxtage-2020", "Kieler Linuxtage 2020"),
        ("ics_name_prodid.ics", "kieler-linuxtage", "Kieler Linuxtage"),
        ("ics_name_pretalx_uids.ics", "pyconau2023", "pyconau2023"),
        ("ics_name_uid_domain.ics", "2020.linux.conf.au", "2020.linux.conf.au"),
        ("ics_name_file_only.ics", "ics_name_file_only", "ics_name_file_only"),
    ],
)
def test_each_rung_of_the_ladder_names_the_calendar(
    name: str, program_id: str, program_name: str
) -> None:
    program = load(str(FIXTURES / name))
    assert (program.id, program.name) == (program_id, program_name)


@pytest.mark.parametrize(
    ("calname", "prodid", "uids", "expected"),
    [
        ("PyCon AU 2023", "-//Org//Product//EN", ["a@b.example.org"], "PyCon AU 2023"),
        (None, "-//JRES 2022//Programme//FR", ["a@jres.example.org"], "JRES 2022"),
        (None, "-//Apple Inc.//Mac OS X 10.15//EN", ["a@jres.example.org"], "jres.example.org"),
        (None, "-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN", [], None),
        (None, "Schedule exporter 1.0", ["x@conf.example.org"], "conf.example.org"),
        # Self-hosted pretalx: its UIDs name the event better than its host does.
        (None, "-//pretalx//talks.example.org//", ["pretalx-democon-AB12@talks.example.org"],
         "democon"),
        (None, None, ["pretalx-py-con-au-2023-AB12@pretalx.com"], "py-con-au-2023"),
        # The most common domain wins, in file order on a tie.
        (None, None, ["1@a.example", "2@b.example", "3@b.example"], "b.example"),
        (None, None, ["1@google.com", "2@google.com"], None),
        (None, None, ["1@localhost", "2@192.168.0.1", "no-domain"], None),
        (None, None, ["ABC123@pretalx.com"], None),  # no slug, and pretalx.com is no conference
    ],
)  # fmt: skip
def test_the_ladder_step_by_step(
    calname: str | None, prodid: str | None, uids: list[str], expected: str | None
) -> None:
    assert calendar_name(calname, prodid, uids) == expected


def _export(tmp_path: Path, feed: Path) -> icalendar.Calendar:
    env = {
        "PLANNER_AGENDA": str(tmp_path / f"{feed.stem}.agenda.json"),
        "PLANNER_NOW": "2023-11-01T09:00:00+00:00",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PLANNER_TZ": None,
        "PLANNER_PROGRAM": None,
    }
    runner = CliRunner(env=env)
    picked = runner.invoke(
        cli, ["--program", str(feed), "pick", "pyconau2023-ABC123", "pretalx-pyconau2023-XYZ789"]
    )
    assert picked.exit_code == 0, picked.output
    exported = runner.invoke(cli, ["--program", str(feed), "export", "-o", "-"])
    assert exported.exit_code == 0, exported.output
    return icalendar.Calendar.from_ical(exported.stdout)


def test_a_pretalx_download_exports_under_its_event_slug_whatever_the_file_is_called(
    tmp_path: Path,
) -> None:
    calendars = []
    for file_name in ("pyconau_2023.pretalx.as-downloaded.ics", "schedule (1).ics"):
        feed = tmp_path / file_name
        shutil.copy(FIXTURES / "ics_name_pretalx_uids.ics", feed)
        calendars.append(_export(tmp_path, feed))
    for calendar in calendars:
        assert str(calendar["X-WR-CALNAME"]) == "pyconau2023 - my agenda"
    uids = [sorted(str(event["UID"]) for event in cal.walk("VEVENT")) for cal in calendars]
    assert uids[0] == uids[1]  # the same program id: the same UIDs, file name or not
    assert all(uid.endswith("@pyconau2023.planner") for uid in uids[0])
    assert len(uids[0]) == 2
