"""What an agenda file holds: picks (with what each item looked like when picked), personal
events and settings. Pydantic models with their validation; no I/O."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from planner.model import DEFAULT_WALK_MINUTES, Item, Moment, PersonalEvent

AGENDA_VERSION = 4
EVENT_PREFIX = "my-"


class Snapshot(BaseModel):
    """The item as it was when picked, to tell the attendee what changed since."""

    model_config = ConfigDict(extra="forbid")

    title: str
    start: Moment | None = None
    end: Moment | None = None
    room: str | None = None

    @classmethod
    def of(cls, item: Item) -> Snapshot:
        return cls(title=item.title, start=item.start, end=item.end, room=item.room)

    def matches(self, item: Item) -> bool:
        """Whether ``item`` still looks like this: the same test as ``Snapshot.of(item) ==
        self`` without validating a new Snapshot for each of an export's thousands of picks."""
        return (self.title, self.start, self.end, self.room) == (
            item.title,
            item.start,
            item.end,
            item.room,
        )


class Pick(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    snapshot: Snapshot
    # The .ics SEQUENCE: rises each time an export or a re-pick meets a new time, room or title.
    sequence: int = Field(default=0, ge=0)
    # When the attendee picked it; None for picks made before version 2 recorded it.
    picked_at: Moment | None = None
    # The item as the last export wrote it, when that differed from the snapshot (a change the
    # attendee has not confirmed by picking again); None when exports wrote the snapshot.
    exported: Snapshot | None = None
    # A backup ("maybe", version 4): bookmarked beside a firm pick it may overlap, to decide on
    # the spot; never a clash, exported only on request, a choice for `planner plan`.
    maybe: bool = False
    # The item's GUID where its id is a short one: the calendar UID, and how the pick finds its
    # item again when a refreshed program renumbers it. None for items without one.
    guid: str | None = None
    # True when the last export wrote this pick as cancelled (its item vanished).
    cancelled: bool = False
    # Whether calendars hold this pick as a backup (TENTATIVE, TRANSPARENT), when that differs
    # from ``maybe`` now: set by re-picking it the other way, cleared by the export that writes
    # the switch with a raised SEQUENCE; None when exports wrote it as it is. Optional within
    # version 4 (older version 4 files load unchanged) and written only while set (store).
    exported_maybe: bool | None = None

    @property
    def uid_key(self) -> str:
        """What the pick's calendar UID is made of: the GUID when there is one (UIDs written
        before short ids stay the same), else the id."""
        return self.guid or self.id

    def written(self) -> Snapshot:
        """The item as calendars last received it (or will, on the first export)."""
        return self.exported or self.snapshot

    @property
    def switch_unexported(self) -> bool:
        """Whether the pick became a backup or firm since calendars last received it."""
        return self.exported_maybe is not None and self.exported_maybe != self.maybe

    def unexported(self, item: Item) -> bool:
        """Whether an export of ``item`` for this pick differs from what calendars last
        received, so it must raise SEQUENCE: a new time, room or title, a cancelled pick back
        in the program, or a switch between backup and firm."""
        return self.cancelled or self.switch_unexported or not self.written().matches(item)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    walk_minutes: int = Field(default=DEFAULT_WALK_MINUTES, ge=0, le=24 * 60)
    alarm_minutes: int | None = Field(default=None, ge=0, le=7 * 24 * 60)


class Agenda(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[4] = AGENDA_VERSION
    program_id: str
    picks: list[Pick] = []
    events: list[PersonalEvent] = []
    settings: Settings = Settings()

    @model_validator(mode="after")
    def _ids_unique(self) -> Agenda:
        seen: set[str] = set()
        for entry_id in [pick.id for pick in self.picks] + [event.id for event in self.events]:
            if entry_id in seen:
                raise ValueError(f"id {entry_id!r} appears twice in the agenda")
            seen.add(entry_id)
        return self

    def pick_ids(self) -> set[str]:
        """The picked ids, as a new set: build it once per change, not once per id."""
        return {pick.id for pick in self.picks}

    def find_pick(self, item_id: str) -> Pick | None:
        return next((pick for pick in self.picks if pick.id == item_id), None)

    def find_event(self, event_id: str) -> PersonalEvent | None:
        return next((event for event in self.events if event.id == event_id), None)
