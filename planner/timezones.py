"""Every timezone name check and every conversion lives here.

Names are checked against pytz's catalogue (it knows the aliases such as
``US/Pacific``); offsets always come from ``zoneinfo``, which stays right after
2037 where pytz's tables stop. Nothing else in planner converts times.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from planner.errors import RangeError, ZoneError

UTC = timezone.utc
# The years planner supports, as written and in every zone it shows: a conference outside them
# is a typo or a hostile file, and datetime overflows near years 1 and 9999.
FIRST_YEAR = 1900
LAST_YEAR = 2200
SUPPORTED_YEARS = f"years {FIRST_YEAR} to {LAST_YEAR}"
UTC_NAMES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"}
)


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, str]:
    import pytz  # the zone catalogue only; imported when a name must be checked

    return {name.lower(): name for name in pytz.all_timezones}


def common_zone_names() -> list[str]:
    import pytz

    return list(pytz.common_timezones)


def suggest_zones(name: str, limit: int = 3) -> list[str]:
    catalogue = _catalogue()
    lowered = name.strip().lower()
    close = difflib.get_close_matches(lowered, catalogue.keys(), n=limit, cutoff=0.5)
    if not close:
        tail = lowered.rsplit("/", 1)[-1]
        close = [key for key in catalogue if key.rsplit("/", 1)[-1].startswith(tail[:4])][:limit]
    return [catalogue[key] for key in close]


def check_zone(name: str) -> str:
    """Return the catalogue spelling of ``name`` or raise ZoneError suggesting close names."""
    found = _catalogue().get(name.strip().lower()) if isinstance(name, str) else None
    if found is None:
        hints = suggest_zones(name) if isinstance(name, str) and name.strip() else []
        hint = (
            f"; did you mean {', '.join(hints)}?"
            if hints
            else "; use an IANA name such as Europe/Berlin"
        )
        raise ZoneError(f"unknown timezone {name!r}{hint}")
    return found


def is_utc(name: str) -> bool:
    return name in UTC_NAMES


def calendar_name(name: str) -> str:
    """The name to write into a calendar file for the checked zone ``name``.

    pytz's common names as given (``US/Pacific``, ``Europe/Amsterdam``: every client knows
    them, and a merged zone such as Europe/Bratislava keeps the city the attendee chose).
    A deprecated alias becomes the zone it links to (``Chile/Continental`` ->
    ``America/Santiago``): a client that does not know a name reads the VTIMEZONE body
    instead, and KCalendarCore misreads bodies whose change falls at midnight.
    """
    import pytz

    return name if name in pytz.common_timezones_set else canonical_name(name)


def canonical_name(name: str) -> str:
    """The zone an alias links to (``US/Pacific`` -> ``America/Los_Angeles``); others as given.

    UTC keeps its short name.
    """
    links = _zone_links()
    seen = {name}
    while name in links and not is_utc(name):
        name = links[name]
        if name in seen:  # a broken table must not loop
            break
        seen.add(name)
    return name


def zone_data(relative: str) -> tuple[str, bytes] | None:
    """A file of the zone data zoneinfo reads (``Europe/Berlin``, ``tzdata.zi``) and where it
    is: the first ``zoneinfo.TZPATH`` folder that has it, else the tzdata package, the order
    zoneinfo itself uses. None when neither has it."""
    import os
    import zoneinfo
    from importlib import resources

    for folder in zoneinfo.TZPATH:
        path = os.path.join(folder, relative)
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                return path, handle.read()
    resource = resources.files("tzdata.zoneinfo").joinpath(*relative.split("/"))
    if resource.is_file():
        return f"tzdata package: {relative}", resource.read_bytes()
    return None


@cache
def _zone_links() -> dict[str, str]:
    """Alias -> target from the ``L`` lines of tzdata.zi, in the order zoneinfo finds zones."""
    found = None
    with suppress(ModuleNotFoundError, OSError):
        found = zone_data("tzdata.zi")
    text = found[1].decode("utf-8", errors="replace") if found else ""
    links = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            links[parts[2]] = parts[1]
    return links


@cache
def get_zone(name: str) -> ZoneInfo:
    """The zoneinfo zone for a checked name."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        raise ZoneError(f"no zone data for timezone {name!r}; install the tzdata package") from None


def in_supported_years(moment: datetime | date) -> bool:
    return FIRST_YEAR <= moment.year <= LAST_YEAR


def check_supported(moment: datetime, what: str) -> datetime:
    """``moment`` itself, or RangeError naming ``what`` when it lies outside the supported years."""
    if not in_supported_years(moment):
        raise RangeError(
            f"{what} {moment.isoformat()} lies outside the {SUPPORTED_YEARS} planner supports"
        )
    return moment


def to_zone(moment: datetime, name: str) -> datetime:
    """The same instant as wall-clock time in zone ``name``; RangeError when that wall-clock
    time leaves the supported years (2200-12-31 23:00 UTC is 2201 in Pacific/Kiritimati)."""
    try:
        local = moment.astimezone(get_zone(name))
    except OverflowError:
        local = None
    if local is None or not in_supported_years(local):
        raise RangeError(
            f"{moment.isoformat()} shown in {name} lies outside the {SUPPORTED_YEARS} planner "
            "supports; choose another zone"
        )
    return local


def to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def with_fixed_offset(moment: datetime) -> datetime:
    """The same instant carrying its UTC offset rather than its zone, ready to be stored.

    Python compares two datetimes that share one tzinfo object by wall clock, ignoring
    ``fold``: 01:06-08:00 would sort before 01:48-07:00 on a fall-back night. Times with
    fixed offsets (as the native JSON reads back) always compare as instants.
    """
    return moment.astimezone(timezone(moment.utcoffset() or timedelta(0)))


def localize(naive: datetime, name: str) -> tuple[datetime, str | None]:
    """Attach zone ``name`` to a wall-clock time, as RFC 5545 section 3.3.5 reads it.

    A time in a spring-forward gap moves forward by the gap; a time that occurs
    twice on a fall-back night means its first occurrence. The second value
    says what was assumed, or is None when the time was plain. The result carries
    a fixed UTC offset (see ``with_fixed_offset``), so it compares as an instant.
    """
    if not in_supported_years(naive):
        raise RangeError(
            f"{naive.isoformat(' ', 'minutes')} lies outside the {SUPPORTED_YEARS} planner supports"
        )
    zone = get_zone(name)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return with_fixed_offset(first), None
    round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        moved = with_fixed_offset(first.astimezone(UTC).astimezone(zone))
        return moved, (
            f"{naive:%Y-%m-%d %H:%M} does not exist in {name} (clocks went forward); "
            f"read as {moved:%H:%M}{format_offset(moved)}"
        )
    return with_fixed_offset(first), (
        f"{naive:%Y-%m-%d %H:%M} occurs twice in {name} (clocks went back); "
        f"read as the first, {format_offset(first)}"
    )


def combine(day: date, clock: time, name: str) -> tuple[datetime, str | None]:
    return localize(datetime.combine(day, clock), name)


def format_offset(moment: datetime) -> str:
    return offset_text(moment.utcoffset() or timedelta(0))


def offset_text(offset: timedelta) -> str:
    """``+05:30``, ``-08:00``, ``+00:00``."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with a numeric offset (``+00:00`` for UTC, never ``Z``)."""
    if moment is None:
        return None
    return moment.isoformat()


def parse_aware(text: str) -> datetime:
    """Parse ISO 8601 text that must carry an offset (``Z`` accepted)."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"time {text!r} has no UTC offset")
    return value


def is_repeated_local_time(moment: datetime, name: str) -> bool:
    """True when the wall-clock time of ``moment`` in zone ``name`` happens twice that night."""
    # A wall-clock time read off a real instant is never in a gap, so differing
    # offsets for its two folds mean it happens twice.
    local = to_zone(moment, name)
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def offset_at(moment: datetime, name: str) -> timedelta:
    return to_zone(moment, name).utcoffset() or timedelta(0)


def local_date(moment: datetime, name: str) -> date:
    return to_zone(moment, name).date()


def localize_in_rules(naive: datetime, rules: tzinfo) -> datetime:
    """Attach zone rules that are not a named zone (an .ics file's own VTIMEZONE body).

    Only for rule objects that compute offsets per date (dateutil, zoneinfo), never pytz.
    """
    return naive.replace(tzinfo=rules)


def to_rules(moment: datetime, rules: tzinfo) -> datetime:
    """The same instant as wall-clock time under zone rules that are not a named zone."""
    return moment.astimezone(rules)


# Etc/GMT-14 (UTC+14:00, the Line Islands) to Etc/GMT+12 (UTC-12:00) are the fixed-offset
# zones the tz database has: no place is further east or west. A symmetric bound of 14
# hours either way named Etc/GMT+13 and Etc/GMT+14, which do not exist, so a file with
# all its times at -13:00 was refused as "unknown timezone" instead of read as UTC.
_EASTMOST = timedelta(hours=14)
_WESTMOST = timedelta(hours=-12)


def fixed_offset_zone_name(offset: timedelta) -> str | None:
    """The ``Etc/GMT±N`` name for a whole-hour offset (POSIX sign: UTC-7 is Etc/GMT+7), "UTC"
    for zero, None for an offset no such zone has (a half hour, or beyond -12h..+14h)."""
    seconds = int(offset.total_seconds())
    if seconds == 0:
        return "UTC"
    if seconds % 3600 or not _WESTMOST <= offset <= _EASTMOST:
        return None
    hours = -seconds // 3600
    return f"Etc/GMT{hours:+d}"


def zone_from_offsets(
    instants: Iterable[datetime], notes: list[str], clues: ZoneClues | None = None
) -> str:
    """A zone name for times that carry offsets but no zone name; the guess goes into ``notes``.

    A place the clues name (``guess_zone``) when exactly one fits. Else one whole-hour offset
    gives ``Etc/GMT±N``: exact for every time in the file, though not a place. Otherwise the
    first common zone (by name) whose rules give every offset seen at its times; failing
    that, UTC. ``--program-tz`` avoids the guess.
    """
    seen = offset_spans((moment, moment.utcoffset() or timedelta(0)) for moment in instants)
    hint = "give --program-tz ZONE to show times in the conference's own zone"
    if not seen:
        notes.append(f"the file has no timed items to tell its timezone; used UTC; {hint}")
        return "UTC"
    described = describe_offsets(seen)
    placed = guess_zone(seen, clues or ZoneClues())
    if placed is not None:
        notes.append(
            f"the file gives UTC offsets but no timezone; {placed_note(placed, described, hint)}"
        )
        return placed[0]
    if len(seen) == 1:
        name = fixed_offset_zone_name(next(iter(seen)))
        if name is not None:
            notes.append(
                f"the file gives UTC offsets but no timezone (all times {described}); "
                f"estimated the timezone as {name}; {hint}"
            )
            return name
    for name in common_zone_names():
        if all(
            offset_at(moment, name) == offset for offset, pair in seen.items() for moment in pair
        ):
            notes.append(
                f"the file gives UTC offsets but no timezone (times at {described}); "
                f"estimated the timezone as {name}, the first zone with those offsets; {hint}"
            )
            return name
    notes.append(f"the file's UTC offsets ({described}) fit no single timezone; used UTC; {hint}")
    return "UTC"


def describe_offsets(spans: OffsetSpans) -> str:
    return ", ".join(sorted(offset_text(offset) for offset in spans))


def placed_note(placed: tuple[str, str], described: str, hint: str) -> str:
    """How a zone ``guess_zone`` found was chosen, for a program's notes."""
    name, reason = placed
    return (
        f"guessed {name} from {reason}, the one zone there with the file's offsets "
        f"({described}); {hint}"
    )


def event_span(
    start: datetime, end: datetime | time, zone: str
) -> tuple[datetime, datetime, list[str]]:
    """A personal event's start and end read in ``zone`` (a naive time is wall-clock there;
    an end given as a time alone is on the start's day), with a note for each skipped or
    repeated local time, saying how it was read. Both faces (CLI, web) read events here."""
    notes: list[str] = []

    def aware(moment: datetime) -> datetime:
        if moment.tzinfo is not None:
            return moment
        localized, note = localize(moment, zone)
        if note:
            notes.append(note)
        return localized

    start_at = aware(start)
    if isinstance(end, time):
        end = datetime.combine(local_date(start_at, zone), end)
    return start_at, aware(end), notes


def conference_date(moment: datetime, name: str, day_change: time) -> date:
    """The date of the conference day ``moment`` belongs to, when days change at the local
    time ``day_change`` in zone ``name``: with 04:00, a 02:00 talk is the evening before's.

    Wall-clock times are compared, not shifted instants, so a DST night moves no day's edge.
    """
    local = to_zone(moment, name)
    if local.time() < day_change:
        return local.date() - timedelta(days=1)
    return local.date()


# --- naming a place for a file that gives only offsets ---

# Country-code top-level domains that sites use as generic names (.io, .tv, .me, ...): a
# conference at pretalx.io is not in the Chagos Islands.
_GENERIC_COUNTRY_DOMAINS = frozenset(
    {"ac", "ai", "cc", "co", "fm", "gg", "io", "la", "ly", "me", "sh", "so", "to", "tv", "ws"}
)
_DOMAIN_COUNTRY = {"uk": "gb"}  # the one ccTLD that differs from its ISO 3166 code


@dataclass(frozen=True)
class ZoneClues:
    """What a file says about where the conference is, besides its offsets."""

    texts: tuple[str, ...] = ()  # free texts that may name a city (venue, city, title)
    urls: tuple[str, ...] = ()  # addresses whose country domain may name the country


OffsetSpans = Mapping[timedelta, tuple[datetime, datetime]]


def offset_spans(
    pairs: Iterable[tuple[datetime, timedelta]],
) -> dict[timedelta, tuple[datetime, datetime]]:
    """Each offset seen with the first and last instant it was seen at."""
    seen: dict[timedelta, tuple[datetime, datetime]] = {}
    for moment, offset in pairs:
        first, last = seen.get(offset, (moment, moment))
        seen[offset] = (min(first, moment), max(last, moment))
    return seen


def guess_zone(spans: OffsetSpans, clues: ZoneClues) -> tuple[str, str] | None:
    """The one place zone that fits a file giving only UTC offsets, and why; None when no
    clue names exactly one.

    A zone fits when its rules give every offset seen at the instants it was seen at. The
    clues, in order: a city the file names (its venue, title) whose zone fits; else the zones
    of the country its address belongs to (``.de``) that fit, when they all keep one set of
    rules around the conference (Europe/Berlin and Europe/Busingen do) - then the country's
    main zone. Only the display zone is guessed: the instants stay those the file gives.
    """
    if not spans:
        return None
    by_city = _fitting(_zones_named_in(clues.texts), spans)
    if len(by_city) == 1:
        return by_city[0], f"the city in the file's texts ({_city(by_city[0])})"
    for country in _countries_of(clues.urls):
        fitting = _fitting(_country_zones().get(country, []), spans)
        if fitting and _all_alike(fitting, spans):
            return fitting[0], f"the country of its address (.{_domain_of(country)})"
    return None


def _fitting(zones: Iterable[str], spans: OffsetSpans) -> list[str]:
    return [
        name
        for name in zones
        if all(
            offset_at(moment, name) == offset for offset, pair in spans.items() for moment in pair
        )
    ]


def _all_alike(zones: list[str], spans: OffsetSpans) -> bool:
    """Whether the zones give the same offset every day of the years the program spans."""
    first = min(pair[0] for pair in spans.values())
    last = max(pair[1] for pair in spans.values())
    start = datetime(first.year, 1, 1, 12, tzinfo=UTC)
    days = (datetime(last.year + 1, 1, 1, 12, tzinfo=UTC) - start).days
    for day in range(days):
        moment = start + timedelta(days=day)
        if len({moment.astimezone(get_zone(name)).utcoffset() for name in zones}) > 1:
            return False
    return True


@cache
def _country_zones() -> dict[str, list[str]]:
    """ISO 3166 code (lower case) -> its zones, the main one first (zone.tab's order)."""
    import pytz

    return {code.lower(): list(pytz.country_timezones[code]) for code in pytz.country_timezones}


@cache
def _cities() -> dict[str, list[str]]:
    """City name (lower case, spaces) -> the place zones named after it."""
    found: dict[str, list[str]] = {}
    for zones in _country_zones().values():
        for name in zones:
            found.setdefault(_city(name).lower(), []).append(name)
    return found


def _city(name: str) -> str:
    return name.rsplit("/", 1)[-1].replace("_", " ")


def _zones_named_in(texts: Iterable[str]) -> list[str]:
    import re

    words = " ".join(texts).lower()
    if not words.strip():
        return []
    found: list[str] = []
    for city, zones in _cities().items():
        if city in words and re.search(rf"(?<!\w){re.escape(city)}(?!\w)", words):
            found.extend(zone for zone in zones if zone not in found)
    return found


def _countries_of(urls: Iterable[str]) -> list[str]:
    from urllib.parse import urlsplit

    found: list[str] = []
    for url in urls:
        try:
            host = urlsplit(url.strip()).hostname or ""
        except ValueError:
            continue
        domain = host.rsplit(".", 1)[-1].lower() if "." in host else ""
        if len(domain) != 2 or domain in _GENERIC_COUNTRY_DOMAINS:
            continue
        country = _DOMAIN_COUNTRY.get(domain, domain)
        if country in _country_zones() and country not in found:
            found.append(country)
    return found


def _domain_of(country: str) -> str:
    return next((domain for domain, code in _DOMAIN_COUNTRY.items() if code == country), country)
