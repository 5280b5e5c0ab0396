"""The attendee's agenda: picks, personal events and settings, kept safely on disk.

This is the one module that writes the agenda file.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from planner.model import Item, PersonalEvent

AGENDA_VERSION = 1
DEFAULT_WALK_MINUTES = 5


class Snapshot(BaseModel):
    """The item as it was when picked, to tell the attendee what changed since."""

    model_config = ConfigDict(extra="forbid")

    title: str
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    room: str | None = None

    @classmethod
    def of(cls, item: Item) -> Snapshot:
        return cls(title=item.title, start=item.start, end=item.end, room=item.room)


class Pick(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    snapshot: Snapshot
    sequence: int = Field(default=0, ge=0)  # rises whenever the item's time, room or title changed


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    walk_minutes: int = Field(default=DEFAULT_WALK_MINUTES, ge=0, le=24 * 60)
    alarm_minutes: int | None = Field(default=None, ge=0, le=7 * 24 * 60)


class Agenda(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = AGENDA_VERSION
    program_id: str
    picks: list[Pick] = []
    events: list[PersonalEvent] = []
    settings: Settings = Settings()
