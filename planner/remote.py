"""A program that lives at a URL: the last good copy of each URL, kept in the user cache dir.

Each URL has two files under ``<cache dir>/programs/``, named by a hash of the URL:
``<key>.body`` (the bytes as fetched) and ``<key>.json`` (the URL, its ETag and
Last-Modified, the program's id, the SHA-256 of the body, and when the copy was last
confirmed: fetched whole, or answered 304). Both are replaced atomically; the body first,
so a reader that finds the record's hash differing from the body ignores the pair.

A new copy replaces the old one only after it loaded without error: a broken update never
replaces a good copy. ``--max-age`` is measured from the last confirmation; a failed or
broken fetch does not reset it. What the attendee should hear (offline, a broken update)
comes back as ``warnings``: this module never prints.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import ProgramError
from planner.files import RecordStore

if TYPE_CHECKING:
    from planner.fetch import Fetched, Limits, Validators
    from planner.model import Program
    from planner.sources.base import SourceContext

DEFAULT_MAX_AGE_MINUTES = 15


@dataclass
class CachedCopy:
    """The record of one URL's last good copy."""

    url: str
    sha256: str
    confirmed_at: datetime  # last successful fetch or 304
    program_id: str = ""
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Obtained:
    """A URL's program and how it was obtained."""

    program: Program
    data: bytes
    copy: CachedCopy
    fetched: bool  # False: the cached copy served (young enough, 304, or offline)
    warnings: list[str] = field(default_factory=list)
    previous: bytes | None = None  # the copy a new fetch replaced (`planner refresh` compares)


class UrlCache:
    """The cached copies of programs fetched from URLs, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.store = RecordStore(Path(folder) / "programs")

    def read(self, url: str) -> tuple[CachedCopy, bytes] | None:
        """The copy of ``url`` and its bytes; None when there is none or it does not read."""
        found = self.store.read(url)
        if found is None:
            return None
        raw, body = found
        try:
            copy = CachedCopy(
                url=raw["url"],
                sha256=raw["sha256"],
                confirmed_at=datetime.fromisoformat(raw["confirmed_at"]),
                program_id=raw.get("program_id", ""),
                etag=raw.get("etag"),
                last_modified=raw.get("last_modified"),
            )
        except (ValueError, KeyError, TypeError):
            return None
        if copy.url != url:
            return None  # a hash collision of URLs: fetch again
        if copy.confirmed_at.tzinfo is None:
            return None
        return copy, body

    def write(self, copy: CachedCopy, body: bytes | None) -> None:
        """Store the record (and a new body); a cache that cannot be written is not an error
        of the command: the program was loaded, only the next command fetches again."""
        record = {
            "url": copy.url,
            "sha256": copy.sha256,
            "confirmed_at": copy.confirmed_at.isoformat(),
            "program_id": copy.program_id,
            "etag": copy.etag,
            "last_modified": copy.last_modified,
        }
        self.store.write(copy.url, record, body)


@dataclass
class UrlRequest:
    """How to obtain one URL's program."""

    url: str
    now: datetime
    max_age_minutes: int = DEFAULT_MAX_AGE_MINUTES
    force: bool = False  # `planner refresh`: ask the server whatever the copy's age
    limits: Limits | None = None


def obtain(
    request: UrlRequest,
    cache: UrlCache,
    parse: Callable[[bytes], Program],
    fetcher: Callable[[str, Validators | None, Limits | None], Fetched] | None = None,
) -> Obtained:
    """The program at ``request.url``: from the cache while young, else from the server."""
    from planner.fetch import FetchError, Validators, fetch

    fetcher = fetcher or fetch
    held = cache.read(request.url)
    if held is not None and not request.force and _young(held[0], request):
        copy, body = held
        return Obtained(parse(body), body, copy, fetched=False)
    known = Validators(held[0].etag, held[0].last_modified) if held is not None else None
    try:
        answer = fetcher(request.url, known, request.limits)
    except FetchError as exc:
        if held is None:
            raise
        return _fall_back(held, parse, request, _failure_warning(exc, held[0], request.now))
    if answer.data is None:
        if held is None:  # a 304 to an unconditional GET: the server is confused
            raise ProgramError(
                f"{request.url}: the server answered 304 (not modified) to a first fetch; "
                "try again later"
            )
        copy, body = held
        copy.confirmed_at = request.now
        copy.etag = answer.validators.etag or copy.etag
        copy.last_modified = answer.validators.last_modified or copy.last_modified
        program = parse(body)
        cache.write(copy, None)
        return Obtained(program, body, copy, fetched=False)
    try:
        program = parse(answer.data)
    except ProgramError as exc:
        if held is None:
            raise
        warning = (
            f"Warning: the new copy of {request.url} does not load ({exc}); "
            f"kept the copy of {held[0].program_id or 'it'} fetched {_age(held[0], request.now)}"
        )
        return _fall_back(held, parse, request, warning)
    copy = CachedCopy(
        url=request.url,
        sha256=hashlib.sha256(answer.data).hexdigest(),
        confirmed_at=request.now,
        program_id=program.id,
        etag=answer.validators.etag,
        last_modified=answer.validators.last_modified,
    )
    cache.write(copy, answer.data)
    return Obtained(
        program, answer.data, copy, fetched=True, previous=held[1] if held is not None else None
    )


def _young(copy: CachedCopy, request: UrlRequest) -> bool:
    if request.max_age_minutes <= 0:
        return False
    age = request.now - copy.confirmed_at
    return timedelta(0) <= age < timedelta(minutes=request.max_age_minutes)


def _fall_back(
    held: tuple[CachedCopy, bytes],
    parse: Callable[[bytes], Program],
    request: UrlRequest,
    warning: str,
) -> Obtained:
    copy, body = held
    return Obtained(parse(body), body, copy, fetched=False, warnings=[warning])


def _failure_warning(exc: Exception, copy: CachedCopy, now: datetime) -> str:
    from planner.fetch import FetchError

    using = f"using the copy of {copy.program_id or copy.url} fetched {_age(copy, now)}"
    if isinstance(exc, FetchError) and exc.offline:
        return f"Warning: offline; {using}"
    return f"Warning: {exc}; {using}"


def _age(copy: CachedCopy, now: datetime) -> str:
    return f"{age_text(now - copy.confirmed_at)} ago"


def age_text(age: timedelta) -> str:
    """An age as people say it: "45 s", "12 min", "2 h 10 min", "3 d 4 h"."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def stem_of(url: str) -> str:
    """The last-resort program id of a URL: its file name without the suffix."""
    from urllib.parse import urlsplit

    name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return name.split(".", 1)[0] or urlsplit(url).hostname or "program"


@dataclass
class Loading:
    """How a command loads programs: the cache folder, the clock, and what to tell the attendee.

    ``planner.sources.load`` takes one: a URL is obtained through the URL cache, and any
    program's bytes go through the parsed-program cache. ``warnings`` collects the lines for
    stderr; ``obtained`` holds how the last URL was obtained (for `use` and `refresh`).
    """

    cache_dir: Path
    now: datetime
    max_age_minutes: int = DEFAULT_MAX_AGE_MINUTES
    force: bool = False
    limits: Limits | None = None
    fetcher: Callable[[str, Validators | None, Limits | None], Fetched] | None = None
    warnings: list[str] = field(default_factory=list)
    obtained: Obtained | None = None
    # The bytes, context, format and zone of the last program parsed: what `planner refresh`
    # keeps as "the program as of the last refresh".
    last_parsed: tuple[bytes, SourceContext, str | None, str | None] | None = None

    def load_url(
        self, url: str, *, fmt: str | None, zone: str | None, today: object = None
    ) -> Program:
        from planner.sources import SourceContext

        def parse(data: bytes) -> Program:
            context = SourceContext(label=url, stem=stem_of(url), today=today)  # type: ignore[arg-type]
            return self.parse(data, context, fmt=fmt, zone=zone)

        request = UrlRequest(url, self.now, self.max_age_minutes, self.force, self.limits)
        self.obtained = obtain(request, UrlCache(self.cache_dir), parse, self.fetcher)
        self.warnings.extend(self.obtained.warnings)
        return self.obtained.program

    def parse(self, data: bytes, context: object, *, fmt: str | None, zone: str | None) -> Program:
        from planner import sources
        from planner.program_cache import cached_parse

        self.last_parsed = (data, context, fmt, zone)  # type: ignore[assignment]
        return cached_parse(
            data,
            context,  # type: ignore[arg-type]
            self.cache_dir,
            lambda: sources.parse(data, context, fmt=fmt, zone=zone),  # type: ignore[arg-type]
            fmt=fmt,
            zone=zone,
        )
