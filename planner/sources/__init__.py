"""Turn a program source (a file in any supported format, or a bundled name) into a Program.

Each format is one module here with ``parse(data: bytes, context: SourceContext) -> Program``,
a pure function, listed in ``registry`` with its sniffer. This module finds the bytes, has
the registry name the format from the content (never the file name), and turns any failure
into one ProgramError naming the file.
"""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import PlannerError, ProgramError
from planner.sources import registry
from planner.sources.base import JSON_KEY, SourceContext, SourceFormat

__all__ = [
    "FORMATS",
    "JSON_KEY",
    "SourceContext",
    "describe_validation_error",
    "load",
    "parse",
    "read_source",
    "sniff",
]

if TYPE_CHECKING:
    from pydantic import ValidationError

    from planner.model import Program
    from planner.remote import Loading

DEFAULT_PROGRAM = "mlsys2022"
FORMATS = registry.NAMES
MAX_PROGRAM_BYTES = 200 * 1024 * 1024


def bundled_names() -> list[str]:
    folder = resources.files("planner.data")
    return sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".json"))


def read_source(source: str) -> tuple[bytes, SourceContext]:
    """The bytes of a program file or bundled program, and how to name it."""
    path = Path(source).expanduser()
    if path.is_dir():
        raise ProgramError(f"{source}: is a folder; give a program file")
    if path.exists():  # a FIFO or a device too: _read_file refuses it without blocking
        return _read_file(path), SourceContext(label=str(source), stem=path.stem)
    if "/" not in source and "\\" not in source and not path.suffix:
        bundled = resources.files("planner.data").joinpath(f"{source}.json")
        if bundled.is_file():
            return bundled.read_bytes(), SourceContext(
                label=f"bundled program {source}", stem=source
            )
    names = ", ".join(bundled_names()) or "none"
    raise ProgramError(
        f"{source}: no such program file or bundled program (bundled: {names}); "
        "give a path with --program"
    )


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_PROGRAM_BYTES:
            raise ProgramError(
                f"{path}: {size // (1024 * 1024)} MB is larger than any program planner reads "
                f"({MAX_PROGRAM_BYTES // (1024 * 1024)} MB)"
            )
        from planner.files import NotARegularFile, read_regular

        data = read_regular(path, MAX_PROGRAM_BYTES)
    except NotARegularFile as exc:
        raise ProgramError(f"{path}: {exc}; give a program file") from None
    except OSError as exc:
        raise ProgramError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if data is None:
        raise ProgramError(f"{path}: no such program file (it went away while being read)")
    return data


def load(
    source: str,
    *,
    fmt: str | None = None,
    zone: str | None = None,
    today: date | None = None,
    loading: Loading | None = None,
) -> Program:
    """Load a program from a path, bundled name or URL; ``fmt`` forces a format, ``zone`` is
    --program-tz. With ``loading`` (the caches, see planner.remote), a URL is fetched through
    the URL cache and any program's parse is kept in the parsed-program cache."""
    if source[:8].lower().startswith(("http://", "https://")):
        if loading is None:
            raise ProgramError(f"{source}: a URL needs the program caches; this is a bug")
        return loading.load_url(source, fmt=fmt, zone=zone, today=today)
    data, context = read_source(source)
    context.today = today
    if loading is not None:
        return loading.parse(data, context, fmt=fmt, zone=zone)
    return parse(data, context, fmt=fmt, zone=zone)


def parse(
    data: bytes, context: SourceContext, *, fmt: str | None = None, zone: str | None = None
) -> Program:
    if zone is not None:
        from planner.timezones import check_zone

        context.zone = check_zone(zone)
    data = _to_utf8(data, context)
    if not data.strip():
        raise ProgramError(f"{context.label}: the file is empty; give a program file")
    source_format = _format_of(data, context, fmt)
    parse_format = source_format.parser()
    from planner.sources.common import collector_paused
    from planner.sources.control_characters import json_certainly_clean, remove_control_characters
    from planner.text import escape_controls

    try:
        with collector_paused():
            program = parse_format(data, context)
            # planner's own JSON holds its texts as they are: clean bytes mean clean texts.
            if source_format.name == "native" and json_certainly_clean(data):
                return program
            return remove_control_characters(program)
    except PlannerError as exc:
        message = str(exc)
        if not message.startswith(context.label):
            message = f"{context.label}: {message}"
        raise ProgramError(escape_controls(message)) from None  # one line, whatever the file held
    except _validation_error_type() as exc:
        item_ids = _native_item_ids(data) if source_format.name == "native" else []
        message = f"{context.label}: {describe_validation_error(exc, item_ids)}"
        raise ProgramError(escape_controls(message)) from None
    except RecursionError:
        raise ProgramError(f"{context.label}: nested too deeply to be a program") from None
    except OverflowError:
        # The loaders refuse times outside the supported years where they meet them; this is
        # for arithmetic on such a time before the check (a day after 9999-12-31).
        from planner.timezones import SUPPORTED_YEARS

        raise ProgramError(
            f"{context.label}: a time lies outside the {SUPPORTED_YEARS} planner supports"
        ) from None


def _format_of(data: bytes, context: SourceContext, fmt: str | None) -> SourceFormat:
    """The format ``fmt`` names (--program-format), else the one the content is in."""
    found = registry.sniff(data) if fmt is None else registry.named(fmt)
    if found is not None:
        return found
    if fmt is not None:
        raise ProgramError(f"unknown program format {fmt!r}; use one of {', '.join(FORMATS)}")
    raise ProgramError(
        f"{context.label}: not a program format planner knows ({', '.join(FORMATS)}); "
        "use --program-format to force one"
    )


def _validation_error_type() -> type[ValidationError]:
    from pydantic import ValidationError

    return ValidationError


def _to_utf8(data: bytes, context: SourceContext) -> bytes:
    """UTF-8 bytes without a byte-order mark; other encodings are converted and noted."""
    if data.startswith(b"\xef\xbb\xbf"):
        context.notes.append("file starts with a UTF-8 byte-order mark; ignored it")
        data = data[3:]  # the rest must still be UTF-8 (or gets the Latin-1 reading below)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _from_utf16(data, context)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4096]:
            raise ProgramError(f"{context.label}: binary data, not a program file") from None
        declared = _declared_xml_encoding(data)
        if declared is not None:
            return _from_declared(data, declared, context)
        text = data.decode("latin-1")
        if any("\x80" <= ch <= "\x9f" for ch in text):
            raise ProgramError(
                f"{context.label}: not UTF-8 (byte {exc.start}); save the file as UTF-8"
            ) from None
        context.notes.append(
            f"file is not UTF-8 (first bad byte at {exc.start}); read it as Latin-1"
        )
        return text.encode("utf-8")
    return data


_XML_ENCODING = re.compile(rb"""\A\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _declared_xml_encoding(data: bytes) -> str | None:
    """The encoding an XML declaration names, when Python knows it and it is not Latin-1
    (Latin-1 files take the common Latin-1 reading, with its check for C1 bytes)."""
    import codecs

    found = _XML_ENCODING.match(data[:1024])
    if found is None:
        return None
    try:
        name = codecs.lookup(found.group(1).decode("ascii")).name
    except LookupError:
        return None
    return None if name in ("latin-1", "iso8859-1", "utf-8") else name


def _from_declared(data: bytes, codec: str, context: SourceContext) -> bytes:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ProgramError(
            f"{context.label}: not {codec} as its XML declaration says (byte {exc.start}); "
            "save the file as UTF-8"
        ) from None
    context.notes.append(f"file is {codec}, as its XML declaration says; read it as such")
    return text.encode("utf-8")


def _from_utf16(data: bytes, context: SourceContext) -> bytes:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        raise ProgramError(f"{context.label}: starts like UTF-16 but does not decode") from None
    context.notes.append("file is UTF-16; read it as such")
    return text.lstrip("\ufeff").encode("utf-8")


def sniff(data: bytes) -> str | None:
    """Name the format of ``data`` from its content, or None."""
    found = registry.sniff(data)
    return found.name if found is not None else None


# How to fix what pydantic says, for the mistakes people make writing a program by hand.
_HINTS = {
    "timezone_aware": "give the time with its offset, such as 2022-08-30T09:00:00-07:00",
    "datetime_from_date_parsing": "write times as 2022-08-30T09:00:00-07:00",
    "datetime_parsing": "write times as 2022-08-30T09:00:00-07:00",
}


def describe_validation_error(exc: ValidationError, item_ids: list[str] | None = None) -> str:
    """One line for the first problem pydantic found, naming the item where it can.

    ``item_ids`` are the ids of the file's items in order (when the caller knows them), so
    that ``items[3].start`` can say which item that is.
    """
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = tuple(first.get("loc", ()))
    location = _location(loc)
    ids = item_ids or []
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int) and loc[1] < len(ids):
        location = location.replace(": ", f" (item {ids[loc[1]]!r}): ", 1)
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    hint = _HINTS.get(str(first.get("type")))
    if hint:
        message += f"; {hint}"
    others = len(errors) - 1
    more = f" (and {others} more problem{'s' if others > 1 else ''})" if others else ""
    return f"{location}{message}{more}"


def _location(loc: tuple) -> str:
    if not loc:
        return ""
    parts = []
    for part in loc:
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(parts).lstrip(".") + ": "


def _native_item_ids(data: bytes) -> list[str]:
    """The ids of a native file's items, read again on the error path only."""
    import json

    try:
        items = json.loads(data).get("items")
    except (ValueError, AttributeError, RecursionError):
        return []
    if not isinstance(items, list):
        return []
    return [str(item.get("id", "?"))[:80] if isinstance(item, dict) else "?" for item in items]
