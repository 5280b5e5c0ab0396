"""The attendee's agenda: picks, personal events and settings, kept safely on disk.

- ``models``: what the file holds (Agenda, Pick, Snapshot, Settings);
- ``store``: the one writer of the file (read, validate, migrate, lock, backups, atomic write);
- ``contents``: what the agenda holds against the program (covering picks, shown items, clashes);
- ``changes``: what changed since picking, and the .ics SEQUENCE that follows;
- ``edits``: pick, drop, add, settings as pure functions with their messages.
"""

from planner.agenda.changes import (
    Change,
    changes,
    changes_of,
    export_pending,
    mark_exported,
    sequence_of,
)
from planner.agenda.contents import (
    adopt_ids,
    agenda_clashes,
    agenda_slots,
    backup_slots,
    cancelled_picks,
    clashes_touching,
    covered_by,
    exported_items,
    sweep_agenda,
    vanished_picks,
    walk_rule,
    without_backups,
)
from planner.agenda.edits import (
    UNSET,
    EditResult,
    Outcome,
    add_event,
    change_settings,
    drop,
    new_event_id,
    pick,
    resolve_drop_id,
)
from planner.agenda.models import (
    AGENDA_VERSION,
    EVENT_PREFIX,
    Agenda,
    Pick,
    Settings,
    Snapshot,
)
from planner.agenda.store import (
    LOCK_TIMEOUT_SECONDS,
    MAX_AGENDA_BYTES,
    agenda_lock,
    edit_agenda,
    keep_backup,
    read_agenda,
    update_agenda,
    write_agenda,
)
from planner.model import DEFAULT_WALK_MINUTES

__all__ = [
    "AGENDA_VERSION",
    "DEFAULT_WALK_MINUTES",
    "EVENT_PREFIX",
    "LOCK_TIMEOUT_SECONDS",
    "MAX_AGENDA_BYTES",
    "UNSET",
    "Agenda",
    "Change",
    "EditResult",
    "Outcome",
    "Pick",
    "Settings",
    "Snapshot",
    "add_event",
    "adopt_ids",
    "agenda_clashes",
    "agenda_lock",
    "agenda_slots",
    "backup_slots",
    "cancelled_picks",
    "change_settings",
    "changes",
    "changes_of",
    "clashes_touching",
    "covered_by",
    "drop",
    "edit_agenda",
    "export_pending",
    "exported_items",
    "keep_backup",
    "mark_exported",
    "new_event_id",
    "pick",
    "read_agenda",
    "resolve_drop_id",
    "sequence_of",
    "sweep_agenda",
    "update_agenda",
    "vanished_picks",
    "walk_rule",
    "without_backups",
    "write_agenda",
]
