"""The ML conference sites' JSON (MLSys, NeurIPS, ICML, ICLR: ``<conf>-<year>-orals-posters.json``).

Shape: ``{count, next, previous, results: [...]}``; each result has ``id``, ``uid``,
``name``, ``authors[{fullname, institution}]``, ``abstract``, ``session``, ``eventtype``,
``room_name``, ``starttime``/``endtime`` (ISO 8601 with offset, or null), ``poster_position``,
``virtualsite_url`` and sometimes ``related_events_ids``.

A paper presented both as an oral and as a poster is two results with distinct ``id`` and
the same ``uid``: both stay items (their times differ) and list each other in ``related``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from planner import timezones
from planner.errors import ProgramError
from planner.model import Item, Program
from planner.sources.base import SourceContext
from planner.sources.common import IdAllocator, clean_id, kind_from_label, title_id
from planner.text import html_to_text, slugify

# The site's own event types; anything else goes through the shared label rules.
_KINDS = {"oral": "paper", "spotlight": "paper", "poster": "poster", "invited talk": "keynote"}
_SITE_URL = re.compile(r"^https?://(?:www\.)?([A-Za-z0-9-]+)\.[A-Za-z.]+/virtual/(\d{4})(?:/|$)")
_STEM_ID = re.compile(r"^([A-Za-z]+)[-_ ]?(\d{4})")
_NAMES = {"mlsys": "MLSys", "neurips": "NeurIPS", "icml": "ICML", "iclr": "ICLR", "cvpr": "CVPR"}


@dataclass(slots=True)
class _Result:
    """One result as read, before ids are linked."""

    item: Item
    site_id: str | None
    uid: str | None
    related_site_ids: list[str]


def parse(data: bytes, context: SourceContext) -> Program:
    document = _load_json(data)
    results, count = _results_of(document)
    notes = list(context.notes)
    ids = IdAllocator(notes)
    local = _LocalTimes(context.zone, notes)
    read = [_read_result(raw, index, ids, notes, local) for index, raw in enumerate(results)]
    _link_related(read)
    items = [entry.item for entry in read]
    _note_shortfall(document, count, len(results), notes)
    program_id, name = _conference(results, context.stem)
    zone = context.zone or timezones.zone_from_offsets(
        (item.start for item in items if item.start is not None), notes
    )
    return Program(
        id=program_id,
        name=name,
        timezone=zone,
        items=items,
        notes=notes,
    )


def _load_json(data: bytes) -> Any:
    try:
        # Decoded here: json.loads(bytes) guesses UTF-16/32 from NUL bytes; planner.sources
        # has already made the bytes UTF-8.
        return json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as exc:
        place = f"line {exc.lineno}, column {exc.colno}"
        raise ProgramError(f"{place}: not valid JSON ({exc.msg})") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise ProgramError(f"not valid JSON ({exc})") from None


def _results_of(document: Any) -> tuple[list[Any], int | None]:
    """The results list (a bare list is accepted too) and the declared total count."""
    if isinstance(document, list):
        return document, None
    if not isinstance(document, dict) or "results" not in document:
        raise ProgramError(
            'not a conference-site JSON: expected an object with a "results" list '
            "(as /static/virtual/data/<conf>-<year>-orals-posters.json has)"
        )
    results = document["results"]
    if not isinstance(results, list):
        raise ProgramError(f'"results" is {type(results).__name__}, expected a list of events')
    count = document.get("count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
        raise ProgramError(f'"count" is {count!r}, expected a whole number')
    return results, count


def _read_result(
    raw: Any, index: int, ids: IdAllocator, notes: list[str], local: _LocalTimes
) -> _Result:
    where = f"results[{index}]"
    if not isinstance(raw, dict):
        raise ProgramError(f"{where} is {type(raw).__name__}, expected an object")
    site_id = _text(raw, "id", where)
    where = f"{where} (id {site_id})" if site_id else where
    title = _text(raw, "name", where)
    if not title:
        raise ProgramError(f'{where} has no "name" (the paper title)')
    eventtype = _text(raw, "eventtype", where)
    speakers = _authors(raw.get("authors"), where)
    start, end, estimated = _times(raw, where, local)
    uid = _text(raw, "uid", where)
    wanted = _item_id(site_id, uid, eventtype, title, speakers)
    item = Item(
        id=ids.claim(wanted, where),
        kind=_kind(eventtype),  # type: ignore[arg-type]
        title=title,
        speakers=speakers,
        abstract=html_to_text(_text(raw, "abstract", where)),
        start=start,
        end=end,
        room=_text(raw, "room_name", where) or None,
        url=_text(raw, "virtualsite_url", where) or None,
        estimated=estimated,
        note=_note(raw, estimated, where),
    )
    related = raw.get("related_events_ids") or []
    if not isinstance(related, list):
        raise ProgramError(f'{where}: "related_events_ids" is {related!r}, expected a list')
    related_ids = [str(r) for r in related if isinstance(r, (str, int))]
    return _Result(item, site_id, uid or None, related_ids)


def _text(raw: dict[str, Any], field: str, where: str) -> str:
    value = raw.get(field)
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    raise ProgramError(f'{where}: "{field}" is {type(value).__name__}, expected text')


def _authors(raw: Any, where: str) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ProgramError(f'{where}: "authors" is {type(raw).__name__}, expected a list')
    names = []
    for author in raw:
        name = author.get("fullname") if isinstance(author, dict) else author
        if not isinstance(name, str):
            raise ProgramError(f"{where}: an author is {author!r:.60}, expected a fullname")
        # The site fills a missing middle name with the word "None" ("Michael None Freedman").
        cleaned = " ".join(name.replace(" None ", " ").split())
        if cleaned:
            names.append(cleaned)
    return names


def _times(
    raw: dict[str, Any], where: str, local: _LocalTimes
) -> tuple[datetime | None, datetime | None, bool]:
    start = local.instant(raw.get("starttime"), "starttime", where)
    end = local.instant(raw.get("endtime"), "endtime", where)
    if start is not None and end is None:
        return start, start, True  # a start with no published end: keep it, flagged
    if start is None:
        return None, None, False  # time to be announced (an end alone says nothing)
    return start, end, False


@dataclass
class _LocalTimes:
    """Reads the sites' times: with their offset, or in --program-tz when they have none."""

    zone: str | None
    notes: list[str]

    def instant(self, value: Any, field: str, where: str) -> datetime | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ProgramError(f'{where}: "{field}" is {value!r}, expected an ISO 8601 time')
        try:
            return timezones.parse_aware(value)
        except ValueError:
            pass
        naive = _naive_or_none(value)
        if naive is None or self.zone is None:
            hint = "; give --program-tz ZONE for times without one" if naive else ""
            raise ProgramError(
                f'{where}: "{field}" {value!r} is not an ISO 8601 time with a UTC offset{hint}'
            )
        moment, note = timezones.localize(naive, self.zone)
        if note is not None:
            self.notes.append(f"{where}: {note}")
        return moment


def _naive_or_none(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is None else None


def _item_id(site_id: str, uid: str, eventtype: str, title: str, speakers: list[str]) -> str:
    # The oral and the poster of one paper share a uid, so the site's per-event id
    # (prefixed by its type, "oral-2131") is what tells them apart.
    if site_id:
        prefix = slugify(eventtype) or "event"
        return clean_id(f"{prefix}-{site_id}")
    if uid:
        return clean_id(uid)
    return title_id(title, speakers)


def _kind(eventtype: str) -> str:
    return _KINDS.get(eventtype.lower()) or kind_from_label(eventtype, default="paper")


def _note(raw: dict[str, Any], estimated: bool, where: str) -> str | None:
    parts = []
    if estimated:
        parts.append("end time not published; shown as a zero-length slot at the start")
    session = _text(raw, "session", where)
    if session:
        parts.append(f"session: {session}")
    position = _text(raw, "poster_position", where)
    if position:
        parts.append(f"poster position: {position}")
    return "; ".join(parts) or None


def _link_related(read: list[_Result]) -> None:
    """Link the results of one paper (same uid, or named in related_events_ids), both ways."""
    by_site_id = {entry.site_id: entry.item.id for entry in read if entry.site_id}
    by_uid: dict[str, list[str]] = {}
    for entry in read:
        if entry.uid:
            by_uid.setdefault(entry.uid, []).append(entry.item.id)
    links: dict[str, set[str]] = {}
    for entry in read:
        own = entry.item.id
        partners = set(by_uid.get(entry.uid or "", ()))
        partners.update(by_site_id[r] for r in entry.related_site_ids if r in by_site_id)
        for partner in partners - {own}:
            links.setdefault(own, set()).add(partner)
            links.setdefault(partner, set()).add(own)
    for entry in read:
        entry.item.related = sorted(links.get(entry.item.id, ()))


def _note_shortfall(document: Any, count: int | None, loaded: int, notes: list[str]) -> None:
    if not isinstance(document, dict):
        return
    following = document.get("next")
    if count is not None and count > loaded:
        more = f"; the next page is {following}" if following else ""
        notes.append(
            f"this file is one page of a longer answer: it holds {loaded} of {count} results"
            f"{more}; loaded the {loaded} it has"
        )
    elif following:
        notes.append(f"the file says more results follow ({following}); loaded the {loaded} it has")


def _conference(results: list[Any], stem: str) -> tuple[str, str]:
    """Program id and name from the site URLs ("mlsys2022", "MLSys 2022"), else the file name."""
    found: Counter[tuple[str, str]] = Counter()
    for raw in results:
        url = raw.get("virtualsite_url") if isinstance(raw, dict) else None
        match = _SITE_URL.match(url) if isinstance(url, str) else None
        if match:
            found[(match.group(1).lower(), match.group(2))] += 1
    if found:
        conference, year = found.most_common(1)[0][0]
    else:
        match = _STEM_ID.match(stem)
        if match is None:
            return slugify(stem) or "conference", stem.strip() or "Conference"
        conference, year = match.group(1).lower(), match.group(2)
    return f"{conference}{year}", f"{_NAMES.get(conference, conference.upper())} {year}"
