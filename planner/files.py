"""Safe file writes: a temp file in the same folder, flush, fsync, then os.replace."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from planner.errors import PlannerError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a reader sees the old or the new file, never half."""
    path = Path(path)
    if path.is_dir():
        raise PlannerError(f"{path}: is a folder; give a file name")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise PlannerError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as exc:
        _remove_quietly(temp_name)
        raise PlannerError(
            f"{path}: cannot write ({exc.strerror or exc}); the old file is unchanged"
        ) from None
    except BaseException:
        _remove_quietly(temp_name)
        raise
    _fsync_folder(folder)


def _mode_for(path: Path) -> int:
    """Keep the replaced file's permissions; a new file gets the usual 0666 less the umask.

    mkstemp creates 0600 files, which would make an export others should read private.
    """
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove_quietly(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; some file systems refuse, which costs only durability.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- reading: regular files only, never blocking, never unbounded ---


class NotARegularFile(Exception):
    """The path is a FIFO, device or socket, or larger than the caller reads; the
    message says which (without the path: callers name it in their own words)."""


def read_regular(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of the regular file at ``path`` (None when there is none), at most ``max_bytes``.

    Opened with O_NONBLOCK so that a FIFO cannot hang the open, then checked with fstat on the
    open descriptor (no race with a rename): a FIFO, /dev/zero or /dev/urandom is refused
    before a byte is read, and a file that grows past the cap while read is refused too.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            # Callers already word a folder in their own terms (which file to give instead).
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(f"is {_kind_of(info.st_mode)}, not a regular file")
        if info.st_size > max_bytes:
            raise NotARegularFile(_too_big(info.st_size, max_bytes))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise NotARegularFile(_too_big(len(data), max_bytes))
    return data


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _too_big(size: int, max_bytes: int) -> str:
    mib = 1024 * 1024
    return f"is {size / mib:.0f} MB, larger than the {max_bytes // mib} MB planner reads"


def link_target(path: Path) -> Path:
    """Where a symlinked path leads (the whole chain, even to a file not yet there); other
    paths as given. A file kept in a synced folder through a link stays that link: the
    atomic replace and its lock happen beside the target, never over the link."""
    path = Path(path)
    if not path.is_symlink():
        return path
    return Path(os.path.realpath(path))


class RecordStore:
    """Pairs of a JSON record and the bytes it describes, in ``folder``, each under a name (a
    URL, a program id) hashed into its two file names. These are caches: a pair whose bytes do
    not match the record's ``sha256`` (half replaced) reads as none, and a write that fails is
    no error of the command (the next one reads an older pair, or none)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def paths(self, name: str) -> tuple[Path, Path]:
        import hashlib

        key = hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]
        return self.folder / f"{key}.json", self.folder / f"{key}.body"

    def holds(self, name: str) -> bool:
        return all(path.is_file() for path in self.paths(name))

    def read(self, name: str) -> tuple[dict, bytes] | None:
        import hashlib
        import json

        record_path, body_path = self.paths(name)
        try:
            record = json.loads(record_path.read_text("utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
        return record, body

    def write(self, name: str, record: dict, body: bytes | None) -> None:
        """Store ``record`` (its ``sha256`` that of the bytes) and new bytes, if given."""
        import json

        record_path, body_path = self.paths(name)
        try:
            if body is not None:
                write_atomic(body_path, body)
            write_atomic(record_path, (json.dumps(record, indent=2) + "\n").encode("utf-8"))
        except PlannerError:
            pass
