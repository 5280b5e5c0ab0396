"""The use cases: the steps a face (the command line, a web page) asks for, with their rules.

Every rule both faces need lives here, so both give the same answer: the display and export
zone resolved once, an export's SEQUENCE raised and recorded under the agenda's lock, which
clashes a change created, and every message an attendee reads. Functions take plain values
(a loaded program, the agenda's path, a zone name, the current instant) and return data; they
never print, never read the environment, and know nothing of click or any web framework.

Heavy modules (pydantic via the agenda, icalendar for .ics) load when a use case first runs,
not when this module is imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from planner.errors import ExportError, PlannerError

if TYPE_CHECKING:
    from planner.agenda import Agenda, Change, EditResult, Outcome, Settings
    from planner.clashes import Clash, FoundClash
    from planner.model import Item, Program
    from planner.remote import Loading
    from planner.session import Session

ExportFormat = Literal["ics", "html"]
# How much of an existing file is read to recognise it as planner's own output.
HEAD_BYTES = 4096
PROGRAM_MARKER = re.compile(rb'"format"\s*:\s*"planner-program"')  # native JSON, any layout


# --- time and zones ---------------------------------------------------------------------


def current_time(pinned: str | None = None) -> datetime:
    """Now, or the instant ``pinned`` names (ISO 8601 with an offset: PLANNER_NOW, which pins
    the clock for tests and examples)."""
    from planner.timezones import UTC, parse_aware

    if not pinned:
        return datetime.now(UTC)
    try:
        return parse_aware(pinned)
    except ValueError:
        raise PlannerError(
            f"PLANNER_NOW={pinned!r} is not an ISO 8601 time with an offset"
        ) from None


def display_zone(program: Program, tz: str | None = None) -> str:
    """The zone times are shown in: ``tz`` (checked, canonical) if given, else the program's."""
    from planner.timezones import check_zone

    return check_zone(tz) if tz is not None else program.timezone


@dataclass(frozen=True)
class ExportZone:
    """Where an export's times are written, decided once.

    ``name`` is the zone the file's times are in ("UTC" when ``utc``); ``wording`` is the zone
    the clash warnings are worded in: the display zone when the file is in UTC, since UTC
    clock times mean little to the attendee reading the warnings.
    """

    name: str
    utc: bool
    wording: str


def export_zone(
    program: Program, *, display_tz: str | None = None, tz: str | None = None, utc: bool = False
) -> ExportZone:
    """The export zone: UTC if asked, else ``tz`` (checked), else the display zone (from
    ``display_tz`` as display_zone reads it)."""
    from planner.timezones import check_zone

    if utc:
        return ExportZone("UTC", True, display_zone(program, display_tz))
    zone = check_zone(tz) if tz is not None else display_zone(program, display_tz)
    return ExportZone(zone, False, zone)


# --- changing the agenda -----------------------------------------------------------------


@dataclass(frozen=True)
class EditReport:
    """What one change to the agenda did.

    ``outcomes`` (one per id, each with its sentence), the clashes the change created
    (worded in the zone the change was asked in; warnings, never a refusal), and ``notes``:
    how an ambiguous wall-clock time was read.
    """

    agenda: Agenda
    outcomes: list[Outcome]
    clashes: list[Clash] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        return [outcome.message for outcome in self.outcomes]


def find_items(program: Program, ids: Iterable[str]) -> list[Item]:
    """The items ``ids`` name, each by exact id or a unique prefix in any case (as the
    command line's ID arguments are read); an unknown or ambiguous id is a NotFoundError."""
    from planner.query import resolve_id

    return [resolve_id(program, text) for text in ids]


def search_items(program: Program, text: str, *, zone: str) -> list[Item]:
    """What ``talks --search TEXT`` lists, for picking by what one sees; none is an error."""
    from planner.errors import NotFoundError
    from planner.query import Wanted, filter_items

    found = filter_items(program, Wanted(search=text), zone=zone)
    if not found:
        raise NotFoundError(
            f"nothing in {program.id} matches {text!r}; try fewer words, or find ids with "
            "`planner talks --search`"
        )
    return found


def pick(
    program: Program,
    agenda_path: Path,
    items: Iterable[Item],
    *,
    zone: str,
    now: datetime,
    maybe: bool = False,
) -> EditReport:
    """Pick items (a session means all of it); picking again confirms a change. ``maybe``:
    as backups, which overlap a pick without clashing (picking one again makes it firm)."""
    from planner import agenda

    chosen = list(items)
    result = agenda.update_agenda(
        agenda_path,
        program,
        lambda current: agenda.pick(current, program, chosen, zone=zone, now=now, maybe=maybe),
    )
    return _reported(program, result, zone)


def drop(program: Program, agenda_path: Path, ids: Iterable[str]) -> EditReport:
    """Drop picks and personal events by id or unique prefix (also picks no longer in the
    program)."""
    from planner import agenda

    texts = list(ids)
    result = agenda.update_agenda(
        agenda_path, program, lambda current: agenda.drop(current, program, texts)
    )
    return EditReport(result.agenda, result.outcomes)


def add_event(
    program: Program,
    agenda_path: Path,
    title: str,
    when: tuple[datetime, datetime | time],
    location: str | None = None,
    *,
    zone: str,
) -> EditReport:
    """Add a personal event from ``when`` = (start, end).

    A time without an offset is wall-clock time in ``zone``; an end given as a clock time
    alone is on the start's local date. A time the zone skips or repeats is read as RFC 5545
    says, and the report's notes say how.
    """
    from planner import agenda

    start, end, notes = event_times(when[0], when[1], zone)
    result = agenda.update_agenda(
        agenda_path,
        program,
        lambda current: agenda.add_event(current, program, title, start, end, location, zone=zone),
    )
    report = _reported(program, result, zone)
    return EditReport(report.agenda, report.outcomes, report.clashes, notes)


def parse_wall_clock(text: str, name: str) -> datetime | time:
    """ "2022-08-30 12:00" (or ISO 8601 with an offset), or "13:00" alone, as typed by an
    attendee into the field ``name``; a bad one is a PlannerError saying what to type."""
    text = str(text).strip()
    try:
        return time.fromisoformat(text) if len(text) <= 5 else datetime.fromisoformat(text)
    except ValueError:
        raise PlannerError(
            f"{name}: {text!r} is not a time like '2022-08-30 12:00' (or '13:00')"
        ) from None


def event_times(
    start: datetime, end: datetime | time, zone: str
) -> tuple[datetime, datetime, list[str]]:
    """Aware start and end for a personal event, and how skipped or repeated times were read."""
    from planner import timezones

    notes: list[str] = []
    start_at = start if start.tzinfo else _localized(start, zone, notes)
    if isinstance(end, time):
        end = datetime.combine(timezones.local_date(start_at, zone), end)
    end_at = end if end.tzinfo else _localized(end, zone, notes)
    return start_at, end_at, notes


def _localized(naive: datetime, zone: str, notes: list[str]) -> datetime:
    from planner import timezones

    moment, note = timezones.localize(naive, zone)
    if note:
        notes.append(note)
    return moment


def read_settings(program: Program, agenda_path: Path) -> Settings:
    from planner import agenda

    return agenda.read_agenda(agenda_path, program).settings


def change_settings(
    program: Program, agenda_path: Path, changes: dict[str, int | None]
) -> EditReport:
    """Set ``walk_minutes`` and/or ``alarm_minutes`` (None clears the alarm)."""
    from planner import agenda

    unknown = set(changes) - {"walk_minutes", "alarm_minutes"}
    if unknown:
        raise PlannerError(f"unknown setting {', '.join(sorted(unknown))}")
    result = agenda.update_agenda(
        agenda_path, program, lambda current: agenda.change_settings(current, **changes)
    )
    return EditReport(result.agenda, result.outcomes)


def _reported(program: Program, result: EditResult, zone: str) -> EditReport:
    """The change with the clashes it created: those of the ids it added or refreshed. Only
    those are worded: a big agenda has thousands of clashes."""
    from planner.agenda import sweep_agenda

    created = [
        found.worded(zone) for found in sweep_agenda(program, result.agenda, result.touched())
    ]
    return EditReport(result.agenda, result.outcomes, created)


# --- reading the agenda ------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaView:
    """The agenda with its clashes and the changes since picking, for a day view."""

    agenda: Agenda
    clashes: list[Clash]
    changes: list[Change]


def agenda_view(program: Program, agenda_path: Path, *, zone: str) -> AgendaView:
    from planner import agenda

    current = agenda.read_agenda(agenda_path, program)
    return AgendaView(
        current,
        agenda.agenda_clashes(program, current, zone=zone),
        agenda.changes(program, current, zone),
    )


def clashes(program: Program, agenda_path: Path, *, zone: str) -> list[Clash]:
    """Every time clash and tight room change in the agenda, in time order."""
    from planner import agenda

    return agenda.agenda_clashes(program, agenda.read_agenda(agenda_path, program), zone=zone)


# --- export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRequest:
    """What to export: the format, the zone, and the options of that format."""

    fmt: ExportFormat
    zone: ExportZone
    alarm_minutes: int | None = None  # ics; None: the agenda's setting
    name: str | None = None  # ics calendar name; None: "<program> - my agenda"
    show_all: bool = False  # html: the whole program, picks highlighted
    day: date | None = None  # html: only this conference day (in the export zone)
    room: str | None = None  # html: only rooms whose name contains this
    with_backups: bool = False  # also the backups (pick --maybe): TENTATIVE, TRANSPARENT

    def __post_init__(self) -> None:
        if self.fmt == "html" and (self.alarm_minutes is not None or self.name is not None):
            raise ExportError("an alarm and a calendar name apply to .ics exports only")
        if self.fmt == "ics" and (self.show_all or self.day is not None or self.room is not None):
            raise ExportError("the whole program, a day and a room apply to HTML exports only")

    def page_items(self, program: Program) -> frozenset[str] | None:
        """The ids an HTML page is cut to by ``day`` and ``room`` (None: no cut)."""
        from planner.query import Wanted, filter_items

        if self.day is None and self.room is None:
            return None
        wanted = Wanted(day=self.day, room=self.room)
        chosen = filter_items(program, wanted, zone=self.zone.name)
        return frozenset(item.id for item in chosen)


@dataclass(frozen=True)
class Export:
    """An export's bytes, where they were written (None: returned only), a one-line summary
    ("3 events, zone Europe/Berlin"), and the lines to show beside it: items left out,
    calendar warnings, clash warnings."""

    data: bytes
    summary: str
    messages: list[str]
    written_to: Path | None = None
    media_type: str = "text/calendar"


def default_export_path(program: Program, fmt: ExportFormat) -> Path:
    return Path("exports") / f"{program.id}-agenda.{fmt}"


def export(
    program: Program,
    agenda_path: Path,
    request: ExportRequest,
    *,
    now: datetime,
    target: Path | None = None,
    force: bool = False,
) -> Export:
    """Export the agenda; write it atomically to ``target`` if given (None: only return it).

    ``target`` is never a file other than an earlier planner export unless ``force``. An .ics
    export that raises some SEQUENCE is built and recorded under the agenda's lock (a busy
    lock stops it before anything is written); the file is written after the lock is
    released, so a slow writer never holds up other commands. A write that fails then leaves
    SEQUENCE one higher than calendars saw, never lower.
    """
    from planner import agenda

    current = agenda.read_agenda(agenda_path, program)
    if target is not None:
        check_export_target(target, force=force)
    backups = request.with_backups
    if request.fmt == "ics" and agenda.export_pending(current, program, with_backups=backups):
        with agenda.edit_agenda(agenda_path, program) as locked:
            built = _build(program, locked, request, now)
            agenda.mark_exported(locked, program, with_backups=backups)
    else:
        built = _build(program, current, request, now)
    if target is None:
        return built
    from planner import files

    files.write_atomic(target, built.data)
    return Export(built.data, built.summary, built.messages, target, built.media_type)


def check_export_target(path: Path, *, force: bool = False) -> None:
    """Refuse a folder, and a file that is not an earlier planner export (unless ``force``)."""
    from planner.export.markers import is_planner_export

    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give a file name with -o")
    if path.exists() and not force and not is_planner_export(_head(path)):
        raise ExportError(
            f"{path}: exists and is not an earlier planner export; "
            "use --force to overwrite it, or -o another file"
        )


def _build(program: Program, current: Agenda, request: ExportRequest, now: datetime) -> Export:
    from planner.agenda import sweep_agenda

    # A backup beside a pick is no clash: neither the page nor the warnings count it.
    found = [clash for clash in sweep_agenda(program, current) if clash.kind != "backup"]
    zone = request.zone
    if request.fmt == "html":
        from planner.export.html import to_html

        worded = [clash.worded(zone.wording) for clash in found]
        page = to_html(
            program,
            current,
            zone=zone.name,
            now=now,
            show_all=request.show_all,
            clashes=worded,
            only=request.page_items(program),
            with_backups=request.with_backups,
        )
        built = Export(page.encode("utf-8"), f"zone {zone.name}", [], media_type="text/html")
    else:
        built = _ics(program, current, request, now)
    warnings = clash_warnings(found)
    return Export(built.data, built.summary, built.messages + warnings, None, built.media_type)


def _ics(program: Program, current: Agenda, request: ExportRequest, now: datetime) -> Export:
    from planner.export.ics import to_ics

    zone = request.zone
    result = to_ics(
        program,
        current,
        zone=zone.name,  # "UTC" when zone.utc
        now=now,
        alarm_minutes=request.alarm_minutes,
        name=request.name,
        with_backups=request.with_backups,
    )
    summary = f"{result.events} event{'s' if result.events != 1 else ''}, zone {result.zone}"
    if result.cancelled:
        summary += f" ({result.cancelled} cancelled: no longer in the program)"
    if result.utc and result.zone != "UTC":
        summary += " (times written in UTC)"
    lines = [f"Left out (time to be announced): {i.id}: {i.title}" for i in result.left_out]
    lines += [f"Warning: {message}" for message in result.warnings]
    return Export(result.data, summary, lines)


def clash_warnings(found: Sequence[FoundClash]) -> list[str]:
    """An export counts the agenda's clashes and says where to read them: pick and add have
    already warned of each as it was made, and `planner clashes` lists them all, so an
    export that repeated them would say the same warning again on every export."""
    if not found:
        return []
    count = len(found)
    return [f"Warning: {count} clash{'es' if count != 1 else ''} (planner clashes)"]


# --- the current program (planner use, planner programs) -------------------------------


def use_program(session: Session, source: str, *, bundled: bool = False) -> Program:
    """Make ``source`` (a file, URL, bundled name, or the id of a program used before) the
    current program of ``session``'s config dir; it is loaded first, so a source that does not
    load is never remembered. ``bundled``: go back to a bundled program (nothing to keep).
    The program as loaded now is what the first `planner refresh` compares with."""
    from planner import current
    from planner.refresh import keep_baseline

    if bundled:
        from planner.sources import bundled_names

        if source not in bundled_names():
            raise PlannerError(
                f"--bundled {source}: no such bundled program (bundled: "
                f"{', '.join(bundled_names())}); give a file or URL as SOURCE instead"
            )
    known = current.read(session.config_dir).known.get(source)
    picked = known or current.ProgramSource(
        current.normalised(source), session.program_tz, session.program_format
    )
    session.program_source = picked.source
    session.program_tz, session.program_format = picked.program_tz, picked.program_format
    program = session.program
    current.remember(session.config_dir, program.id, None if bundled else picked)
    keep_baseline(program.id, session.loading)
    return program


def current_program_lines(session: Session) -> list[str]:
    """What `planner use` alone says: the program, its source and copy's age, its agenda."""
    from planner import current

    chosen, program = session.chosen_source(), session.program
    lines = [
        f"Program: {program.id}: {program.name} ({len(program.items)} items, "
        f"zone {program.timezone})"
    ]
    obtained = session.loading.obtained
    if obtained is not None:
        from planner.remote import age_text

        age = age_text(session.now() - obtained.copy.confirmed_at)
        lines.append(f"Source: {current.shown(chosen.source)} (copy fetched {age} ago)")
    else:
        lines.append(f"Source: {current.shown(chosen.source)}")
    if chosen.program_tz:
        lines.append(f"Read in: {chosen.program_tz} (--program-tz)")
    from planner.agenda.store import stored_file

    # Until the next change, the agenda of a program known by another id before is read from
    # that id's file: name the file the picks are in now.
    path = stored_file(session.agenda_path, program)
    summary = current.summary_of(path)
    ids = {program.id, *program.former_ids}
    picks = summary.picks if summary is not None and summary.program_id in ids else 0
    lines.append(f"Agenda: {current.shown(path)} ({_count(picks, 'pick')})")
    return lines


def programs_lines(session: Session) -> list[str]:
    """What `planner programs` says: each program with an agenda, its picks and source."""
    from planner import current
    from planner.session import DEFAULT_PROGRAM

    remembered = current.read(session.config_dir)
    found = current.agendas(session.agenda_folder)
    if not found:
        return [
            "No agendas yet; pick talks with `planner pick ID` (choose a program with `planner use`)"
        ]
    width = max(len(summary.program_id) for summary in found)
    lines = []
    for summary in found:
        mark = "*" if summary.program_id == (remembered.current or DEFAULT_PROGRAM) else " "
        known = remembered.known.get(summary.program_id)
        bundled = summary.program_id == DEFAULT_PROGRAM
        where = current.shown(known.source) if known else ("bundled" if bundled else "")
        count = _count(summary.picks, "pick")
        lines.append(f"{mark} {summary.program_id:<{width}}  {count:>9}  {where}".rstrip())
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# --- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """A program converted to native JSON, and the line that says what was written."""

    text: str
    summary: str


def import_program(
    source: str,
    *,
    fmt: str | None,
    zone: str | None,
    today: date,
    target: Path | None = None,
    force: bool = False,
    loading: Loading | None = None,
) -> Imported:
    """Load any supported program and give it as native JSON; write it to ``target`` if given,
    never over a file that is not a planner program (unless ``force``)."""
    from planner.sources import load

    program = load(source, fmt=fmt, zone=zone, today=today, loading=loading)
    text = program.model_dump_json(indent=2) + "\n"
    summary = f"{program.name}, {len(program.items)} items, zone {program.timezone}"
    if target is not None:
        from planner import files

        if target.exists() and not force and PROGRAM_MARKER.search(_head(target)) is None:
            raise PlannerError(
                f"{target}: exists and is not a planner program (an agenda, the source "
                "itself?); use --force to overwrite it, or -o another file"
            )
        files.write_atomic(target, text.encode("utf-8"))
    return Imported(text, summary)


def _head(path: Path) -> bytes:
    """The file's first bytes; none when it cannot be read (then it counts as foreign, and
    only --force overwrites it)."""
    try:
        with path.open("rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError:
        return b""
