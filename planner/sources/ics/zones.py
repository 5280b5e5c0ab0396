"""Which zone an iCalendar TZID means, and the times read through it.

A TZID that is an IANA name (or an alias pytz knows) is read with zoneinfo's rules,
even when the file's VTIMEZONE for it says otherwise (real pretalx exports once gave
Australia/Adelaide +09:00; it is +09:30): the disagreement goes into the notes. A
Windows name ("W. Europe Standard Time") is mapped to its IANA zone. Any other TZID
is read through the file's own VTIMEZONE; with none, the file is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from planner import timezones
from planner.errors import ProgramError, ZoneError


@dataclass(frozen=True)
class Zone:
    """A named IANA zone, or the rules of a file's VTIMEZONE whose TZID names none."""

    label: str
    name: str | None = None
    rules: tzinfo | None = None

    def attach(self, wall: datetime) -> tuple[datetime, str | None]:
        """The instant of a wall-clock time here, and what was assumed (gap or repeat)."""
        if self.name is not None:
            return timezones.localize(wall, self.name)
        return timezones.localize_in_rules(wall, self.rules), None  # type: ignore[arg-type]

    def wall(self, moment: datetime) -> datetime:
        """The wall-clock time here of an instant, without zone."""
        if self.name is not None:
            local = timezones.to_zone(moment, self.name)
        else:
            local = timezones.to_rules(moment, self.rules)  # type: ignore[arg-type]
        return local.replace(tzinfo=None)


UTC_ZONE = Zone(label="UTC", name="UTC")


@dataclass(frozen=True)
class When:
    """A DTSTART-like value as written: a date, or a wall-clock time with its zone.

    ``zone`` None means a floating time (RFC 5545: local time wherever one is), read
    in the program's zone.
    """

    value: date | datetime
    zone: Zone | None

    @property
    def is_date(self) -> bool:
        return not isinstance(self.value, datetime)


class ZoneBook:
    """Resolves TZIDs once each, and records what it had to assume in ``notes``."""

    def __init__(self, vtimezones: dict[str, Any], notes: list[str]) -> None:
        self._vtimezones = vtimezones
        self._notes = notes
        self._zones: dict[str, Zone] = {}
        self._file_rules: dict[str, tzinfo | None] = {}
        self._disagreeing: set[str] = set()
        self._remarks: set[str] = set()

    def zone(self, tzid: str, where: str) -> Zone:
        if tzid not in self._zones:
            self._zones[tzid] = self._resolve(tzid, where)
        return self._zones[tzid]

    def instant(self, wall: datetime, zone: Zone, where: str) -> datetime:
        moment, remark = zone.attach(wall)
        if remark and remark not in self._remarks:
            self._remarks.add(remark)
            self._notes.append(f"{where}: {remark}")
        if zone.name is not None and zone.label in self._vtimezones:
            self._compare_with_file(wall, moment, zone)
        return moment

    def _resolve(self, tzid: str, where: str) -> Zone:
        name = _iana_name(tzid)
        if name is not None:
            if name != tzid:
                self._notes.append(f"TZID {tzid!r} read as the IANA zone {name}")
            return Zone(label=tzid, name=name)
        windows = _windows_zone(tzid)
        if windows is not None:
            self._notes.append(f"TZID {tzid!r} is a Windows zone name; read it as {windows}")
            return Zone(label=tzid, name=windows)
        rules = self._rules_in_file(tzid)
        if rules is not None:
            self._notes.append(
                f"TZID {tzid!r} is not an IANA zone name; read its times by the file's VTIMEZONE"
            )
            return Zone(label=tzid, rules=rules)
        hint = _zone_hint(tzid)
        raise ProgramError(
            f"{where}: unknown timezone {tzid!r} and no usable VTIMEZONE for it in the file{hint}"
        )

    def _rules_in_file(self, tzid: str) -> tzinfo | None:
        if tzid not in self._file_rules:
            component = self._vtimezones.get(tzid)
            rules = None
            if component is not None:
                try:
                    rules = component.to_tz(lookup_tzid=False)
                except (ValueError, TypeError, KeyError, AttributeError, IndexError):
                    self._notes.append(f"VTIMEZONE {tzid!r} in the file is malformed; ignored it")
            self._file_rules[tzid] = rules
        return self._file_rules[tzid]

    def _compare_with_file(self, wall: datetime, moment: datetime, zone: Zone) -> None:
        if zone.label in self._disagreeing:
            return
        rules = self._rules_in_file(zone.label)
        if rules is None:
            return
        said = timezones.localize_in_rules(wall, rules).utcoffset() or timedelta(0)
        if said != moment.utcoffset():
            self._disagreeing.add(zone.label)
            self._notes.append(
                f"the file's VTIMEZONE {zone.label!r} says UTC{_offset(said)} at "
                f"{wall:%Y-%m-%d %H:%M} but the IANA rules for {zone.name} say "
                f"UTC{timezones.format_offset(moment)}; used the IANA rules"
            )


def _iana_name(tzid: str) -> str | None:
    """The catalogue name for a TZID, also when a vendor prefix hides it
    ("/mozilla.org/20050126_1/Europe/Berlin" -> Europe/Berlin)."""
    parts = tzid.strip().strip('"').split("/")
    for first in range(len(parts)):
        candidate = "/".join(parts[first:])
        if not candidate:
            continue
        try:
            return timezones.check_zone(candidate)
        except ZoneError:
            continue
    return None


def _windows_zone(tzid: str) -> str | None:
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    name = WINDOWS_TO_OLSON.get(tzid.strip())
    return timezones.check_zone(name) if name else None


def _zone_hint(tzid: str) -> str:
    close = timezones.suggest_zones(tzid)
    return (
        f"; did you mean {', '.join(close)}?"
        if close
        else "; use an IANA name such as Europe/Berlin"
    )


def _offset(offset: timedelta) -> str:
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
