"""The on-disk cache: parser tables and parsed files, keyed by content hash and version.

Location: ``$IAMREADY_CACHE_DIR``, else ``$XDG_CACHE_HOME/iamready``, else ``~/.cache/iamready``;
when none of those is writable, a per-user directory under the system temp directory (created
private, and used only when it belongs to us and nobody else can write it). Entries are written to
a temporary file and renamed into place, so concurrent runs never see half an entry; an entry that
fails to load, or does not have the shape its reader expects, is ignored and rebuilt.

Keys cover the file's bytes, the kind of parse, iamready's version and a fingerprint of the parser
sources (so a development checkout never reads entries written by other parser code).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from iamready import __version__

_FORMAT = "2"


@functools.lru_cache(maxsize=1)
def cache_dir() -> Path | None:
    candidates: list[tuple[Path, bool]] = []
    env = os.environ.get("IAMREADY_CACHE_DIR")
    if env:
        candidates.append((Path(env), False))
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        candidates.append((Path(xdg) / "iamready" if xdg else Path.home() / ".cache" / "iamready", False))
        uid = os.getuid() if hasattr(os, "getuid") else "user"
        candidates.append((Path(tempfile.gettempdir()) / f"iamready-{uid}", True))
    for directory, shared_parent in candidates:
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            if shared_parent and not _private(directory):
                continue  # someone else could plant entries there
            probe = directory / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
            return directory
        except OSError:
            continue
    return None


def _private(directory: Path) -> bool:
    """Owned by us, and not writable by group or others (a directory in a shared temp dir)."""
    if not hasattr(os, "getuid"):
        return True
    info = directory.lstat()
    return (
        stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


@functools.lru_cache(maxsize=1)
def _fingerprint() -> str:
    """Names, sizes and modification times of the parser sources: a change to them is a new key space."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    sources = [*(here / "parsers").rglob("*.py"), here / "jsonpos.py", here / "model" / "value.py"]
    for path in sorted(sources):
        try:
            info = path.stat()
        except OSError:
            continue
        digest.update(f"{path.relative_to(here)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


class ParseCache:
    """Parsed files (marshal-able data) keyed by the file's bytes, its kind and our version.

    ``memory`` holds entries parsed in this run by worker processes (:mod:`iamready.parsers.parallel`);
    they are served before the disk and counted as misses (they were parsed, not reused).
    """

    def __init__(self, enabled: bool = True) -> None:
        base = cache_dir() if enabled else None
        self.directory = base / "parse" if base else None
        self.memory: dict[str, Any] = {}
        self.pending: set[str] = set()  # keys handed to the background writer, maybe not on disk yet
        # (path, kind) -> (text, key) of files the prefetch read: their loader takes them instead of
        # reading and hashing them again
        self.read_ahead: dict[tuple[str, str], tuple[str, str]] = {}
        self.hits = 0
        self.misses = 0

    def take_read_ahead(self, path: str, kind: str) -> tuple[str, str] | None:
        """The text and key of a file the prefetch has read (given once: its loader takes it), else None."""
        return self.read_ahead.pop((path, kind), None)

    def key(self, kind: str, data: bytes) -> str:
        digest = hashlib.sha256()
        digest.update(f"{_FORMAT}\0{__version__}\0{_fingerprint()}\0{kind}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path | None:
        return self.directory / key[:2] / key if self.directory is not None else None

    def has(self, key: str) -> bool:
        """Is there an entry (in memory or on disk)? Does not load it."""
        if key in self.memory or key in self.pending:
            return True
        path = self._path(key)
        return path is not None and path.is_file()

    def get(self, key: str) -> Any:
        if key in self.memory:
            self.misses += 1
            return self.memory.pop(key)
        path = self._path(key)
        if path is None:
            self.misses += 1
            return None
        if key in self.pending:  # the same content seen again in this scan: wait for its entry
            flush_writes()
            self.pending.clear()
        try:
            with open(path, "rb") as handle:
                value = marshal.loads(handle.read())  # marshal.load(handle) reads in small pieces: 7x slower
        except (OSError, EOFError, ValueError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        try:
            data = marshal.dumps(value)
        except ValueError:  # not marshal-able: not cached
            return
        self.put_marshalled(key, data)

    def put_marshalled(self, key: str, data: bytes) -> None:
        """Store an entry already marshalled (by a worker process)."""
        path = self._path(key)
        if path is None:
            return
        write_later(path, data)
        self.pending.add(key)


_made_dirs: set[str] = set()  # entry directories known to exist (mkdir of an existing one costs ~0.3 ms)


def write_entry(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename. False when that fails."""
    parent = str(path.parent)
    try:
        if parent not in _made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            _made_dirs.add(parent)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=parent)
    except OSError:
        _made_dirs.discard(parent)  # removed behind our back: make it again next time
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        return False
    finally:
        if os.path.exists(tmp):
            with contextlib.suppress(OSError):
                os.unlink(tmp)


# -- writing in the background -----------------------------------------------------------------
# Creating a file costs about a millisecond here (a cold scan of 1,000 files spent 1.5 s of its
# parse phase in open and mkdir). Entries are handed to one writer thread, whose system calls run
# while the parser holds the interpreter; flush_writes() waits for them (the scan calls it before it
# returns, and at exit whatever is left is written too).
_queue: Any = None
_thread: Any = None


def write_later(path: Path, data: bytes) -> None:
    global _queue, _thread
    if _thread is None:
        import atexit
        import queue
        import threading

        _queue = queue.SimpleQueue()
        _thread = threading.Thread(target=_drain, args=(_queue,), name="iamready-cache-writer", daemon=True)
        _thread.start()
        atexit.register(flush_writes)
    _queue.put((path, data))


def _drain(pending: Any) -> None:
    while True:
        item = pending.get()
        if item is None:
            return
        write_entry(*item)


def _forget_writer() -> None:
    """In a forked child the parent's writer thread does not run: start its own when needed."""
    global _queue, _thread
    _queue = _thread = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_writer)


def flush_writes() -> None:
    """Wait until every entry handed to write_later is on disk (or has failed to be written)."""
    global _queue, _thread
    if _thread is None:
        return
    _queue.put(None)
    _thread.join()
    _queue = _thread = None
