"""The on-disk cache: grammar tables and parsed files, keyed by content hash and version.

Location: ``$IAMREADY_CACHE_DIR``, else ``$XDG_CACHE_HOME/iamready``, else ``~/.cache/iamready``;
when none of those is writable, a per-user directory under the system temp directory. Entries
are written to a temporary file and renamed into place, so concurrent runs never see half an
entry; an entry that fails to load is ignored and rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

from iamready import __version__

_FORMAT = "1"


@functools.lru_cache(maxsize=1)
def cache_dir() -> Path | None:
    candidates = []
    env = os.environ.get("IAMREADY_CACHE_DIR")
    if env:
        candidates.append(Path(env))
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        candidates.append(Path(xdg) / "iamready" if xdg else Path.home() / ".cache" / "iamready")
        uid = os.getuid() if hasattr(os, "getuid") else "user"
        candidates.append(Path(tempfile.gettempdir()) / f"iamready-{uid}")
    for directory in candidates:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            probe = directory / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
            return directory
        except OSError:
            continue
    return None


class ParseCache:
    """Parsed files (marshal-able data) keyed by the file's bytes, its kind and our version."""

    def __init__(self, enabled: bool = True) -> None:
        base = cache_dir() if enabled else None
        self.directory = base / "parse" if base else None
        self.hits = 0
        self.misses = 0

    def key(self, kind: str, data: bytes) -> str:
        digest = hashlib.sha256()
        digest.update(f"{_FORMAT}\0{__version__}\0{kind}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> Any:
        if self.directory is None:
            return None
        path = self.directory / key[:2] / key
        try:
            with open(path, "rb") as handle:
                value = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        if self.directory is None:
            return
        folder = self.directory / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=str(folder))
            try:
                with os.fdopen(fd, "wb") as handle:
                    marshal.dump(value, handle)
                os.replace(tmp, folder / key)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        except (OSError, ValueError):
            return
