"""Arguments turned into domain objects at the edge: each type returns the value the core
takes (an Item, a date, a clock time) or fails with one usage line."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING, Any

import click

from planner.cli.app import App
from planner.errors import PlannerError

if TYPE_CHECKING:
    from planner.model import Item


class ItemType(click.ParamType):
    """An item id (exact, or a unique case-insensitive prefix) turned into the Item."""

    name = "ID"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Item:
        from planner.model import Item
        from planner.query import resolve_id

        if isinstance(value, Item):
            return value
        app = ctx.find_object(App) if ctx else None
        # An unknown id or a bad program is a project error, not a usage error: let it reach
        # PlannerGroup.invoke, which prints the one "Error: ..." line.
        return resolve_id((app or App()).program, str(value))


class KindType(click.ParamType):
    name = "KIND"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from planner.model import check_kind

        try:
            return check_kind(str(value))
        except PlannerError as exc:
            self.fail(str(exc), param, ctx)


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from datetime import date

        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date like 2022-08-30", param, ctx)


class ClockType(click.ParamType):
    """A local time of day: "04:00", "4:00", or "04:00:00" as Pentabarf writes it."""

    name = "HH:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, time):
            return value
        text = str(value).strip()
        hours, _, rest = text.partition(":")
        try:
            if hours.isdigit() and len(hours) <= 2 and len(rest) in (2, 5):
                return time.fromisoformat(f"{hours.zfill(2)}:{rest}")
        except ValueError:
            pass
        self.fail(f"{value!r} is not a time of day like 04:00", param, ctx)


class WallClockType(click.ParamType):
    """A wall-clock time "2022-08-30 12:00" (read later in the display zone), or "12:00" alone."""

    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from datetime import time

        from planner.actions import parse_wall_clock

        if isinstance(value, (datetime, time)):
            return value
        try:
            return parse_wall_clock(str(value), "time")
        except PlannerError:
            self.fail(f"{value!r} is not a time like '2022-08-30 12:00' (or '13:00')", param, ctx)


class AlarmType(click.ParamType):
    """Minutes before an event, or "none" to have no reminder."""

    name = "MINUTES"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip().lower()
        if text in ("none", "off"):
            return "none"
        if text.isdigit():
            return int(text)
        self.fail(f"{value!r} is not a number of minutes (or 'none')", param, ctx)
