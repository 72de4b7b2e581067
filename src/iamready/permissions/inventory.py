"""Who can do what: every principal's effective permissions, by service and access level.

For each IAM user, group and role in the code, :func:`build_inventory` lists what it may do
after IAM's evaluation logic (:func:`iamready.iam.effective.effective_grants`): inline and
attached policies, AWS-managed policies known by name, grants inherited from groups, limited by
permission boundaries, minus unconditional Denies. Each row is one service and access level of
one grant, traced to its policy, statement and line, and marked with the conditions it needs.
A grant of every action (``*``, or a service's ``*``) stays one row: "all actions of s3", never
thousands of names.

The inventory also carries the principal graph for pictures (group membership, who can assume
whom, escalation steps) and, per principal, the privilege escalations the rules report.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iamready.iam.actionset import ActionSet
from iamready.iam.catalog import ACCESS_LEVELS
from iamready.iam.effective import describe_unknown, effective_grants

if TYPE_CHECKING:
    from iamready.context import Context
    from iamready.iam.catalog import Catalog
    from iamready.model.graph import Resource

ALL_SERVICES = "*"
KINDS = {
    "aws_iam_user": "user",
    "aws_iam_group": "group",
    "aws_iam_role": "role",
    "AWS::IAM::User": "user",
    "AWS::IAM::Group": "group",
    "AWS::IAM::Role": "role",
}


@dataclass(frozen=True)
class Source:
    policy: str  # the policy document: "aws_iam_role_policy.app.policy", "AWS managed policy ReadOnlyAccess"
    via: str  # how it reaches the principal: "group aws_iam_group.devs: inline policy deploy"
    statement: str  # "statement 'Deploy'", "statement 2"
    path: str
    line: int

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Row:
    """One service and access level of one grant."""

    service: str  # "s3"; "*" for every service
    level: str  # an access level; "*" for every level
    actions: tuple[str, ...] | None  # canonical action names; None: every action of the service at this level
    resources: tuple[str, ...]
    source: Source
    conditions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def conditional(self) -> bool:
        return bool(self.conditions)

    def action_names(self, catalog: Catalog) -> tuple[str, ...]:
        """Every action of the row (expanding "all of the service at this level")."""
        if self.actions is not None:
            return self.actions
        if self.service == ALL_SERVICES:
            return ("*",)
        from iamready.iam.actionset import level_names

        return level_names(catalog, self.service, self.level)


@dataclass
class PrincipalInventory:
    principal: Resource
    kind: str
    path: str
    line: int
    groups: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    boundaries: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    unknown: list[tuple[str, str, str, int]] = field(default_factory=list)  # (policy, reason, path, line)
    admin: str | None = None  # "admin", "admin only conditionally"
    escalations: list[dict[str, Any]] = field(default_factory=list)
    can_assume: list[str] = field(default_factory=list)
    everything: str | None = None  # "all": every action of every service is granted; "most": all but a few

    @property
    def address(self) -> str:
        return self.principal.address

    def summary(self, catalog: Catalog) -> dict[str, int | str]:
        """Distinct actions per access level ("all" when every action of every service is granted)."""
        if self.everything:
            return dict.fromkeys(ACCESS_LEVELS, self.everything)
        names: dict[str, set[str]] = {level: set() for level in ACCESS_LEVELS}
        for row in self.rows:
            for name in row.action_names(catalog):
                names.setdefault(row.level, set()).add(f"{row.service}:{name}")
        return {level: len(names.get(level, ())) for level in ACCESS_LEVELS}


@dataclass
class Edge:
    source: str  # principal address
    target: str  # principal address, or a description ("any role") for broad steps
    kind: str  # "member" | "assume" | "escalation"
    label: str
    conditional: bool = False
    outside: bool = False  # the target is not a principal of the code (a wildcard)


@dataclass
class Inventory:
    principals: list[PrincipalInventory]
    edges: list[Edge]
    catalog_version: str
    root: str

    def by_address(self) -> dict[str, PrincipalInventory]:
        return {p.address: p for p in self.principals}


def _select(principals: list[Resource], patterns: list[str]) -> list[Resource]:
    """The principals ``--principal`` patterns select: each pattern is an exact address first
    (``aws_iam_user.u["ro"]``, whose brackets a glob would read as a character class), and a glob
    only when no principal has that address."""
    if not patterns:
        return principals
    addresses = {p.address for p in principals}
    exact = {p for p in patterns if p in addresses}
    globs = [p for p in patterns if p not in exact]
    return [p for p in principals if p.address in exact or any(fnmatch.fnmatchcase(p.address, g) for g in globs)]


def build_inventory(
    ctx: Context,
    root: str,
    select: Iterable[str] = (),
    relpath: Callable[[str], str] | None = None,
) -> Inventory:
    """The inventory of every principal in ``ctx.graph`` (or those whose address matches a
    pattern in ``select``)."""
    from iamready.aws.links import PRINCIPAL_TYPES
    from iamready.iam.escalation import CATEGORIES, reported_paths, single_escalations
    from iamready.model.pseudo import for_terraform

    catalog = ctx.catalog
    rel = relpath or (lambda p: _relpath(p, root))
    patterns = [s for s in select if s]
    principals = _select(list(ctx.graph.resources(PRINCIPAL_TYPES)), patterns)
    principals.sort(key=lambda p: (p.address, p.span.path))
    analysis = ctx.escalation
    out: list[PrincipalInventory] = []
    for principal in principals:
        perms = ctx.permissions(principal)
        item = PrincipalInventory(
            principal=principal,
            kind=KINDS.get(principal.type, principal.type),
            path=rel(principal.span.path),
            line=principal.span.start_line,
            groups=[g.address for g in perms.groups],
            members=[m.address for m in analysis.members(principal)],
            boundaries=[b.document.label for b in perms.boundaries],
        )
        granted = ActionSet.empty()
        for grant in effective_grants(perms, catalog):
            granted = granted.union(grant.actions, catalog)
            stmt = grant.statement
            source = Source(stmt.document.label, grant.via, stmt.label, rel(stmt.span.path), stmt.span.start_line)
            conditions = tuple(dict.fromkeys(g.summary for g in grant.guards))
            resources = grant.resources
            if principal.framework == "terraform":  # never CloudFormation syntax for a Terraform principal
                resources = tuple(for_terraform(r) for r in resources)
            notes = list(grant.notes)
            if grant.when:
                notes.append(f"deployed only {grant.when}")
            for service, level, names in grant.actions.by_level(catalog):
                actions = tuple(sorted(names)) if names is not None else None
                row_notes = list(notes)
                if service == ALL_SERVICES:
                    row_notes[:0] = _everything_note(grant.actions, catalog)
                item.rows.append(Row(service, level, actions, resources, source, conditions, tuple(row_notes)))
            for pattern in sorted(grant.actions.unknown):
                item.rows.append(
                    Row(
                        pattern.split(":", 1)[0].lower() if ":" in pattern else pattern,
                        "unknown",
                        (pattern,),
                        resources,
                        source,
                        conditions,
                        (*notes, "not in the IAM action catalogue"),
                    )
                )
        item.rows.sort(key=_row_order)
        if granted.everything:
            left_out = any(granted.missing(catalog))
            item.everything = "most" if left_out else "all"
        for doc, unknown in perms.unknowns:
            item.unknown.append((doc.label, describe_unknown(unknown), rel(doc.span.path), doc.span.start_line))
        if analysis.is_admin(principal):
            item.admin = "admin"
        elif analysis.is_admin(principal, conditional=True):
            mfa = all(g.mfa_guarded or g.console_mfa_guarded for g in analysis.admin_grants(principal))
            item.admin = "admin with MFA" if mfa else "admin under conditions"
        item.can_assume = [r.address for r in analysis.assumable(principal)]
        for category in CATEGORIES:
            for escalation in single_escalations(analysis, principal, category):
                item.escalations.append(
                    {
                        "kind": "method",
                        "method": escalation.method.id,
                        "text": escalation.describe(),
                        "conditional": escalation.conditional,
                        "conditions": escalation.guards,
                        "reference": escalation.method.reference,
                    }
                )
        for path in reported_paths(analysis, principal):
            from iamready.iam.escalation import path_message

            item.escalations.append(
                {
                    "kind": "path",
                    "method": " > ".join(step.label for step in path.steps),
                    "text": path_message(analysis, path),
                    "conditional": path.conditional,
                    "conditions": path.guards,
                    "reference": "",
                }
            )
        out.append(item)
    edges = _edges(ctx, principals)
    return Inventory(out, edges, catalog.version, root)


def _edges(ctx: Context, principals: list[Resource]) -> list[Edge]:
    analysis = ctx.escalation
    shown = {p.id for p in principals}
    edges: list[Edge] = []
    merged: dict[tuple[str, str, str], Edge] = {}

    def add(edge: Edge) -> None:
        """One edge per (source, target, kind): escalation methods are listed in its label."""
        key = (edge.source, edge.target, edge.kind)
        known = merged.get(key)
        if known is None:
            merged[key] = edge
            edges.append(edge)
            return
        if edge.label not in known.label.split(", "):
            known.label = f"{known.label}, {edge.label}"
        known.conditional = known.conditional and edge.conditional

    for principal in principals:
        for group in ctx.graph.references(principal, kind="member"):
            if group.id in shown:
                add(Edge(principal.address, group.address, "member", "member of"))
        if analysis.is_admin(principal):
            continue  # an administrator can already do everything: its moves add nothing to the picture
        for step in analysis.steps_from(principal):
            # a step to an administrator that needs MFA (or another condition) leads to
            # administrator access only under that condition
            target_conditional = (
                step.target is not None
                and analysis.is_admin(step.target, conditional=True)
                and not analysis.is_admin(step.target)
            )
            conditional = step.conditional or target_conditional
            if step.method is None:
                if step.target is not None and step.target.id in shown:
                    add(Edge(principal.address, step.target.address, "assume", "sts:AssumeRole", conditional))
                continue
            if step.broad:
                add(Edge(principal.address, step.on, "escalation", step.method.id, conditional, outside=True))
            elif step.target is not None and step.target.id in shown:
                add(Edge(principal.address, step.target.address, "escalation", step.method.id, conditional))
    return edges


def _everything_note(actions: Any, catalog: Catalog, limit: int = 12) -> list[str]:
    services, names = actions.missing(catalog)
    parts = [f"every {svc} action" for svc in services]
    parts.extend(names[:limit])
    if len(names) > limit:
        parts.append(f"{len(names) - limit} more")
    return [f"except {', '.join(parts)}"] if parts else []


def _row_order(row: Row) -> tuple[Any, ...]:
    level = ACCESS_LEVELS.index(row.level) if row.level in ACCESS_LEVELS else -1 if row.level == "*" else 99
    return (row.service != ALL_SERVICES, row.service, level, row.source.path, row.source.line, row.resources)


def _relpath(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return path.replace(os.sep, "/")
    if rel.startswith(".."):
        return os.path.abspath(path).replace(os.sep, "/")
    return rel.replace(os.sep, "/")
