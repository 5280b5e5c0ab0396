"""The one error hierarchy of the core; ``planner.cli`` turns each into one line on stderr."""


class PlannerError(Exception):
    """Something the attendee can act on; the message says what, where and how to fix it."""


class ProgramError(PlannerError):
    """A program file that cannot be read, parsed or validated."""


class ZoneError(PlannerError):
    """An unknown timezone name."""


class NotFoundError(PlannerError):
    """An unknown or ambiguous item id."""


class FilterError(NotFoundError):
    """A filter value the program does not have (a track, a language): a bad request of a
    listing rather than a missing item, so the web face answers it with 400, not 404."""


class AgendaError(PlannerError):
    """An agenda file that cannot be read, locked or written."""


class ExportError(PlannerError):
    """An export that cannot be produced or written."""


class RangeError(PlannerError):
    """A time outside the years planner supports (timezones.FIRST_YEAR to LAST_YEAR)."""


class RequestError(PlannerError):
    """A request that lacks what it needs (planner plan with nothing to rank by)."""
