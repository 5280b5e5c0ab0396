"""The exports: one module per format (``ics``, ``html``), and what they share."""

from __future__ import annotations


def only_backups_message(program_id: str, backups: int) -> str:
    """Why an export without ``--with-backups`` of an agenda holding only backups is empty."""
    return (
        f"the agenda for {program_id} holds only backups ({backups}, picked with --maybe), which "
        "an export leaves out; export them with `planner export --with-backups`, or make one "
        "firm with `planner pick ID`"
    )
