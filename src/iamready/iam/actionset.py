"""Sets of IAM actions, kept per service so that ``*`` never becomes 22,000 strings.

An :class:`ActionSet` says, for every service, which of its actions are in the set: all of
them, some of them (lower-case action names), or none. Services that are not listed take the
default (``everything``): ``Action: "*"`` is the empty mapping with ``everything=True``;
``NotAction: ["iam:*"]`` is ``everything=True`` with ``iam`` mapped to nothing. Set algebra
(union, intersection, difference) only expands the services that are named explicitly, and
only when a service's "all" meets a partial set.

Patterns the catalogue does not know (a misspelt action, a service newer than the catalogue)
are kept as written in ``unknown``: they are shown, never silently dropped.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from iamready.iam.catalog import ACCESS_LEVELS, PERMISSIONS, TAGGING, WRITE

if TYPE_CHECKING:
    from iamready.iam.catalog import ActionInfo, Catalog

ALL: None = None  # "every action of the service"
_NONE: frozenset[str] = frozenset()

Included = frozenset[str] | None  # lower-case action names, or ALL


def primary_level(info: ActionInfo) -> str:
    """One access level per action: the catalogue says "Permissions management, Write" for
    ``iam:AttachRolePolicy``; the review groups it under Permissions management (and
    "Tagging, Write" under Tagging), as the IAM console does."""
    level = info.access_level
    if PERMISSIONS in level:
        return PERMISSIONS
    if TAGGING in level:
        return TAGGING
    for name in ACCESS_LEVELS:
        if level == name:
            return name
    return level.split(",")[0].strip() or WRITE


@dataclass(frozen=True, eq=False)
class ActionSet:
    everything: bool = False
    services: dict[str, Included] = field(default_factory=dict)
    unknown: frozenset[str] = frozenset()

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def empty(cls) -> ActionSet:
        return cls()

    @classmethod
    def from_patterns(cls, patterns: Iterable[str], catalog: Catalog) -> ActionSet:
        out = cls()
        for pattern in patterns:
            out = out.union(cls.from_pattern(pattern, catalog), catalog)
        return out

    @classmethod
    def from_pattern(cls, pattern: str, catalog: Catalog) -> ActionSet:
        text = pattern.strip().lower()
        if text in ("*", "*:*"):
            return cls(everything=True)
        service, sep, name = text.partition(":")
        if not sep:
            return cls(unknown=frozenset({pattern.strip()}))
        wild_service = any(ch in service for ch in "*?")
        if not wild_service and not catalog.has_service(service):
            return cls(unknown=frozenset({pattern.strip()}))
        services = (
            [s for s in sorted(catalog.services()) if fnmatch.fnmatchcase(s, service)] if wild_service else [service]
        )
        mapping: dict[str, Included] = {}
        for svc in services:
            table = catalog.service_actions(svc)
            if name == "*":
                mapping[svc] = ALL
                continue
            if any(ch in name for ch in "*?"):
                regex = re.compile(fnmatch.translate(name))
                names = frozenset(lower for lower in table if regex.match(lower))
            else:
                names = frozenset({name}) if name in table else _NONE
            if names:
                mapping[svc] = ALL if len(names) == len(table) else names
        if not mapping:
            return cls(unknown=frozenset({pattern.strip()}))
        return cls(services=mapping)

    def complement(self, catalog: Catalog) -> ActionSet:
        """Every action not in this set (``NotAction``); unknown patterns exclude nothing known."""
        if self.everything:
            mapping = {svc: _minus(ALL, inc, svc, catalog) for svc, inc in self.services.items()}
            return ActionSet(everything=False, services=_clean(False, mapping))
        mapping = {svc: _minus(ALL, inc, svc, catalog) for svc, inc in self.services.items()}
        return ActionSet(everything=True, services=_clean(True, mapping))

    # -- queries --------------------------------------------------------------------------
    def included(self, service: str) -> Included:
        service = service.lower()
        if service in self.services:
            return self.services[service]
        return ALL if self.everything else _NONE

    def __contains__(self, action: str) -> bool:
        service, _, name = action.lower().partition(":")
        inc = self.included(service)
        return inc is ALL or name in inc

    @property
    def is_empty(self) -> bool:
        if self.everything or self.unknown:
            return False
        return all(inc is not ALL and not inc for inc in self.services.values())

    def names(self, service: str, catalog: Catalog) -> frozenset[str]:
        inc = self.included(service)
        return frozenset(catalog.service_actions(service)) if inc is ALL else inc

    def missing(self, catalog: Catalog) -> tuple[list[str], list[str]]:
        """For a set of every action: (services left out entirely, ``service:Action`` names left
        out of the others), sorted."""
        if not self.everything:
            return [], []
        services, actions = [], []
        for svc, inc in sorted(self.services.items()):
            if inc is ALL:
                continue
            if not inc:
                services.append(svc)
                continue
            table = catalog.service_actions(svc)
            actions.extend(f"{svc}:{table[lower].name}" for lower in sorted(set(table) - inc))
        return services, actions

    def exceptions(self) -> tuple[list[str], list[str]]:
        """For a set of every action: (services left out entirely, services only partly in it)."""
        if not self.everything:
            return [], []
        none = sorted(svc for svc, inc in self.services.items() if inc is not ALL and not inc)
        some = sorted(svc for svc, inc in self.services.items() if inc is not ALL and inc)
        return none, some

    def explicit_services(self) -> list[str]:
        return sorted(svc for svc, inc in self.services.items() if inc is ALL or inc)

    # -- algebra --------------------------------------------------------------------------
    def union(self, other: ActionSet, catalog: Catalog) -> ActionSet:
        everything = self.everything or other.everything
        mapping: dict[str, Included] = {}
        for svc in set(self.services) | set(other.services):
            a, b = self.included(svc), other.included(svc)
            if a is ALL or b is ALL:
                mapping[svc] = ALL
            else:
                joined = a | b
                mapping[svc] = ALL if len(joined) == len(catalog.service_actions(svc)) else joined
        return ActionSet(everything, _clean(everything, mapping), self.unknown | other.unknown)

    def intersection(self, other: ActionSet, catalog: Catalog) -> ActionSet:
        everything = self.everything and other.everything
        mapping: dict[str, Included] = {}
        for svc in set(self.services) | set(other.services):
            a, b = self.included(svc), other.included(svc)
            if a is ALL:
                mapping[svc] = b
            elif b is ALL:
                mapping[svc] = a
            else:
                mapping[svc] = a & b
        if other.everything:
            unknown = self.unknown
        elif self.everything:
            unknown = other.unknown
        else:
            unknown = self.unknown & other.unknown
        return ActionSet(everything, _clean(everything, mapping), unknown)

    def difference(self, other: ActionSet, catalog: Catalog) -> ActionSet:
        everything = self.everything and not other.everything
        mapping: dict[str, Included] = {}
        for svc in set(self.services) | set(other.services):
            mapping[svc] = _minus(self.included(svc), other.included(svc), svc, catalog)
        unknown = frozenset() if other.everything else self.unknown - other.unknown
        return ActionSet(everything, _clean(everything, mapping), unknown)

    # -- views ----------------------------------------------------------------------------
    def by_level(self, catalog: Catalog) -> Iterator[tuple[str, str, frozenset[str] | None]]:
        """(service, access level, canonical action names or None for "all of them at this level").

        A set of every action yields ``("*", "*", None)`` only; what it leaves out is
        :meth:`missing` (the exceptions of a ``NotAction``).
        """
        if self.everything:
            yield "*", "*", None
            return
        for svc in sorted(self.services):
            inc = self.services[svc]
            if inc is not ALL and not inc:
                continue
            if self.everything and inc is ALL:
                continue
            by_level, totals = _levels(catalog, svc)
            levels: dict[str, list[str]] = {}
            for level, items in by_level.items():
                chosen = [name for lower, name in items if inc is ALL or lower in inc]
                if chosen:
                    levels[level] = chosen
            for level in ACCESS_LEVELS:
                names = levels.get(level)
                if not names:
                    continue
                yield svc, level, None if len(names) == totals[level] else frozenset(names)

    def describe(self) -> str:
        """A short text for messages: ``*``, ``s3:*``, ``* except iam:*``."""
        parts = []
        if self.everything:
            excluded = [svc for svc, inc in sorted(self.services.items()) if inc is not ALL]
            parts.append("*" + (f" except {', '.join(f'{s}:*' for s in excluded)}" if excluded else ""))
        else:
            for svc, inc in sorted(self.services.items()):
                if inc is ALL:
                    parts.append(f"{svc}:*")
                elif inc:
                    parts.append(f"{svc}:{len(inc)} action(s)")
        parts.extend(sorted(self.unknown))
        return ", ".join(parts) or "nothing"


@functools.lru_cache(maxsize=1024)
def _levels(catalog: Catalog, service: str) -> tuple[dict[str, list[tuple[str, str]]], dict[str, int]]:
    """A service's actions by access level: {level: [(lower-case name, name)]}, {level: count}."""
    by_level: dict[str, list[tuple[str, str]]] = {}
    for lower, info in catalog.service_actions(service).items():
        by_level.setdefault(primary_level(info), []).append((lower, info.name))
    return by_level, {level: len(items) for level, items in by_level.items()}


@functools.lru_cache(maxsize=4096)
def level_names(catalog: Catalog, service: str, level: str) -> tuple[str, ...]:
    """Every action of ``service`` at ``level``, sorted."""
    by_level, _ = _levels(catalog, service)
    return tuple(sorted(name for _, name in by_level.get(level, ())))


def _minus(a: Included, b: Included, svc: str, catalog: Catalog) -> Included:
    if b is ALL:
        return _NONE
    if not b:
        return a
    if a is ALL:
        return frozenset(catalog.service_actions(svc)) - b
    return a - b


def _clean(everything: bool, mapping: dict[str, Included]) -> dict[str, Included]:
    """Drop entries equal to the default, so equal sets have equal mappings."""
    out: dict[str, Included] = {}
    for svc, inc in mapping.items():
        if everything and inc is ALL:
            continue
        if not everything and inc is not ALL and not inc:
            continue
        out[svc] = inc
    return out
