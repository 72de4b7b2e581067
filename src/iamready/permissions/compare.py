"""What a change adds to or removes from each principal's permissions.

Two inventories (before and after) are compared principal by principal (by address), as sets of
*atoms*: one action of one service at one access level on one resource pattern, conditional or
not. A grant of every action of a service is expanded for that service only; a grant of every
action of every service stays one atom (``*``). Escalations (single methods and paths) are
compared too, so a pull request that opens a way to administrator access says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iamready.iam.catalog import ACCESS_LEVELS
from iamready.permissions.inventory import ALL_SERVICES

if TYPE_CHECKING:
    from iamready.iam.catalog import Catalog
    from iamready.permissions.inventory import Inventory, PrincipalInventory


@dataclass(frozen=True, order=True)
class Atom:
    level: str
    service: str
    action: str
    resource: str
    conditional: bool


@dataclass
class PrincipalDiff:
    address: str
    kind: str
    status: str  # "added" | "removed" | "changed"
    path: str
    line: int
    added: list[Atom] = field(default_factory=list)
    removed: list[Atom] = field(default_factory=list)
    escalations_added: list[dict[str, Any]] = field(default_factory=list)
    escalations_removed: list[dict[str, Any]] = field(default_factory=list)
    admin_before: str | None = None
    admin_after: str | None = None


def atoms(item: PrincipalInventory, catalog: Catalog) -> set[Atom]:
    out: set[Atom] = set()
    for row in item.rows:
        for resource in row.resources or ("*",):
            if row.service == ALL_SERVICES:
                out.add(Atom("*", "*", "*", resource, row.conditional))
                continue
            for name in row.action_names(catalog):
                out.add(Atom(row.level, row.service, name, resource, row.conditional))
    return out


def _escalation_key(item: dict[str, Any]) -> tuple[str, str, str]:
    return (item["kind"], item["method"], item["text"])


def compare(old: Inventory, new: Inventory, catalog: Catalog) -> list[PrincipalDiff]:
    """Principals whose permissions or escalations differ, in address order."""
    before = old.by_address()
    after = new.by_address()
    out: list[PrincipalDiff] = []
    for address in sorted(set(before) | set(after)):
        a, b = before.get(address), after.get(address)
        current = b or a
        assert current is not None
        status = "added" if a is None else "removed" if b is None else "changed"
        diff = PrincipalDiff(address, current.kind, status, current.path, current.line)
        old_atoms = atoms(a, catalog) if a is not None else set()
        new_atoms = atoms(b, catalog) if b is not None else set()
        diff.added = sorted(new_atoms - old_atoms, key=_atom_order)
        diff.removed = sorted(old_atoms - new_atoms, key=_atom_order)
        old_esc = {_escalation_key(e): e for e in (a.escalations if a else [])}
        new_esc = {_escalation_key(e): e for e in (b.escalations if b else [])}
        diff.escalations_added = [new_esc[k] for k in new_esc if k not in old_esc]
        diff.escalations_removed = [old_esc[k] for k in old_esc if k not in new_esc]
        diff.admin_before = a.admin if a else None
        diff.admin_after = b.admin if b else None
        changed = (
            diff.added
            or diff.removed
            or diff.escalations_added
            or diff.escalations_removed
            or diff.admin_before != diff.admin_after
        )
        if changed or status != "changed":
            out.append(diff)
    return out


def _atom_order(atom: Atom) -> tuple[Any, ...]:
    level = ACCESS_LEVELS.index(atom.level) if atom.level in ACCESS_LEVELS else -1
    return (level, atom.service, atom.action, atom.resource, atom.conditional)


def grouped(items: list[Atom]) -> list[tuple[str, str, str, bool, list[str]]]:
    """(level, service, resource, conditional, actions) groups, for display."""
    groups: dict[tuple[str, str, str, bool], list[str]] = {}
    for atom in items:
        groups.setdefault((atom.level, atom.service, atom.resource, atom.conditional), []).append(atom.action)
    out = []
    for (level, service, resource, conditional), names in groups.items():
        out.append((level, service, resource, conditional, sorted(set(names))))
    out.sort(key=lambda g: (ACCESS_LEVELS.index(g[0]) if g[0] in ACCESS_LEVELS else -1, g[1], g[2], g[3]))
    return out
