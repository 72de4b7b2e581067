"""Effective permissions of a principal, with IAM's evaluation logic.

A principal's permissions come from its inline policies, attached managed policies (customer-
managed from the code, AWS-managed by name), and, for users, the policies of their groups. A
permission boundary limits them. Only Allow grants; an unconditional Deny removes what it
matches; a conditional Deny does not remove a grant but makes it conditional (for example
"only with MFA"), which rules use: an MFA-guarded admin grant is not "admin without MFA", but it
is still admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iamready.iam.catalog import Catalog, action_matches
from iamready.iam.policy import BOUNDARY, IDENTITY, Condition, PolicyDocument, Statement
from iamready.model.value import Unknown

if TYPE_CHECKING:
    from iamready.model.graph import Graph, Resource

MFA_PRESENT = "aws:multifactorauthpresent"
MFA_AGE = "aws:multifactorauthage"


@dataclass
class Attached:
    document: PolicyDocument
    via: str  # "inline policy x", "managed policy aws_iam_policy.x", "group aws_iam_group.g: ..."


@dataclass
class Guard:
    """Why a grant is conditional: a condition on the Allow, or a conditional Deny covering it."""

    kind: str  # "mfa", "mfa-console", "org", "source", "condition", "deny-condition"
    text: str
    statement: Statement


@dataclass
class Grant:
    statement: Statement
    via: str
    guards: list[Guard] = field(default_factory=list)

    @property
    def conditional(self) -> bool:
        return bool(self.statement.conditions) or bool(self.guards)

    @property
    def mfa_guarded(self) -> bool:
        """MFA required for every kind of access (console and long-term keys)."""
        return any(g.kind == "mfa" for g in self.guards)

    @property
    def console_mfa_guarded(self) -> bool:
        """MFA required at least for console sessions."""
        return any(g.kind in ("mfa", "mfa-console") for g in self.guards)


@dataclass
class Permissions:
    principal: Resource
    attached: list[Attached] = field(default_factory=list)
    boundaries: list[Attached] = field(default_factory=list)
    groups: list[Resource] = field(default_factory=list)
    unknowns: list[tuple[PolicyDocument, Any]] = field(default_factory=list)
    catalog: Catalog | None = None

    def statements(self, effect: str = "Allow") -> list[tuple[Statement, str]]:
        out = []
        for item in self.attached:
            for stmt in item.document.statements:
                if stmt.effect == effect:
                    out.append((stmt, item.via))
        return out

    def grants_for(self, action: str, resource: str = "*") -> list[Grant]:
        """Allow statements that grant ``action`` (on ``resource``), minus unconditional Denies.

        Each grant carries its guards (its own conditions, conditional Denies that cover it).
        An empty list means not granted, or removed by an unconditional Deny or the boundary.
        """
        if not self._within_boundary(action, resource):
            return []
        grants = []
        denies = self.statements("Deny")
        for stmt, via in self.statements("Allow"):
            if not statement_covers_action(stmt, action) or not statement_covers_resource(stmt, resource):
                continue
            grant = Grant(stmt, via, guards=allow_guards(stmt))
            removed = False
            for deny, _ in denies:
                if not statement_covers_action(deny, action) or not statement_covers_resource(
                    deny, resource, deny=True
                ):
                    continue
                if not deny.conditions:
                    removed = True
                    break
                grant.guards.extend(deny_guards(deny))
            if not removed:
                grants.append(grant)
        return grants

    def _within_boundary(self, action: str, resource: str) -> bool:
        if not self.boundaries:
            return True
        for item in self.boundaries:
            doc = item.document
            if doc.unknown is not None:
                continue  # an unknown boundary cannot be shown to block anything
            allowed = any(
                s.allows and statement_covers_action(s, action) and statement_covers_resource(s, resource)
                for s in doc.statements
            )
            denied = any(
                s.denies
                and not s.conditions
                and statement_covers_action(s, action)
                and statement_covers_resource(s, resource, deny=True)
                for s in doc.statements
            )
            if not allowed or denied:
                return False
        return True

    def admin_grants(self) -> list[Grant]:
        """Grants of every action on every resource (``*`` / ``*:*`` on ``*``)."""
        out = []
        for grant in self.grants_for("*"):
            if any(p in ("*", "*:*") for p in grant.statement.action_patterns):
                out.append(grant)
        return out


def statement_covers_action(stmt: Statement, action: str) -> bool:
    """Does the statement's Action (or the complement of its NotAction) include ``action``?

    ``action`` may itself be ``*`` (every action): only ``*`` patterns and NotAction cover that.
    """
    if stmt.actions is not None:
        if action == "*":
            return any(p in ("*", "*:*") for p in stmt.action_patterns)
        return any(action_matches(p, action) for p in stmt.action_patterns)
    if stmt.not_actions is not None:
        if action == "*":
            return False
        return not any(action_matches(p, action) for p in stmt.not_action_patterns)
    return False


def statement_covers_resource(stmt: Statement, resource: str, deny: bool = False) -> bool:
    """Resource matching, conservatively: for an Allow, ``"*"`` is covered only by ``"*"``; for a
    Deny asked about ``"*"``, only a Deny on ``"*"`` counts as covering everything."""
    if stmt.resources is not None:
        patterns = stmt.resource_patterns
        if resource == "*":
            return "*" in patterns
        return any(_arn_match(p, resource) for p in patterns)
    if stmt.not_resources is not None:
        if deny:
            return False
        return not any(_arn_match(p, resource) for p in stmt.known_strings(stmt.not_resources))
    return stmt.document.kind != IDENTITY  # resource policies: the resource is implicit


def _arn_match(pattern: str, arn: str) -> bool:
    import fnmatch

    return pattern == "*" or fnmatch.fnmatchcase(arn, pattern)


def allow_guards(stmt: Statement) -> list[Guard]:
    guards = []
    for cond in stmt.conditions:
        kind = _mfa_allow_kind(cond)
        if kind:
            guards.append(Guard(kind, f"{cond.operator} {cond.key}", stmt))
        elif cond.key_lower in ("aws:principalorgid", "aws:principalorgpaths"):
            guards.append(Guard("org", f"{cond.operator} {cond.key}", stmt))
        elif cond.key_lower in ("aws:sourceip", "aws:sourcevpc", "aws:sourcevpce"):
            guards.append(Guard("source", f"{cond.operator} {cond.key}", stmt))
        else:
            guards.append(Guard("condition", f"{cond.operator} {cond.key}", stmt))
    return guards


def deny_guards(stmt: Statement) -> list[Guard]:
    guards = []
    for cond in stmt.conditions:
        kind = _mfa_deny_kind(cond)
        if kind:
            guards.append(Guard(kind, f"denied {cond.operator} {cond.key} ({stmt.document.label})", stmt))
        else:
            guards.append(
                Guard(
                    "deny-condition",
                    f"denied unless {cond.operator} {cond.key} ({stmt.document.label})",
                    stmt,
                )
            )
    return guards


def _values(cond: Condition) -> set[str]:
    return {str(v).lower() for v in cond.string_values}


def _mfa_allow_kind(cond: Condition) -> str | None:
    """An Allow condition that requires MFA: ``Bool aws:MultiFactorAuthPresent true`` (not IfExists,
    which lets long-term keys through), or a bound on ``aws:MultiFactorAuthAge``."""
    key = cond.key_lower
    if key == MFA_PRESENT and cond.base_operator == "Bool" and _values(cond) == {"true"}:
        return "mfa" if not cond.if_exists else "mfa-console"
    if key == MFA_AGE and cond.base_operator in ("NumericLessThan", "NumericLessThanEquals"):
        return "mfa" if not cond.if_exists else "mfa-console"
    return None


def _mfa_deny_kind(cond: Condition) -> str | None:
    """A Deny condition that blocks requests without MFA.

    ``BoolIfExists aws:MultiFactorAuthPresent false`` denies both console sessions without MFA and
    long-term access keys (where the key is absent): a full guard. ``Bool ... false`` only
    matches when the key is present, so access keys slip through: a console-only guard.
    ``Null aws:MultiFactorAuthAge true`` denies whenever MFA was not used: a full guard.
    """
    key = cond.key_lower
    if key == MFA_PRESENT and cond.base_operator == "Bool" and _values(cond) == {"false"}:
        return "mfa" if cond.if_exists else "mfa-console"
    if key == MFA_AGE and cond.base_operator == "Null" and _values(cond) == {"true"}:
        return "mfa"
    if key == MFA_PRESENT and cond.base_operator == "Null" and _values(cond) == {"true"}:
        return "mfa"
    return None


def effective_permissions(graph: Graph, principal: Resource, catalog: Catalog | None = None) -> Permissions:
    index = _index(graph)
    perms = Permissions(principal=principal, catalog=catalog)
    for doc in index.get(principal.id, ()):
        if doc.kind == IDENTITY:
            perms.attached.append(Attached(doc, _via(doc, principal)))
        elif doc.kind == BOUNDARY:
            perms.boundaries.append(Attached(doc, _via(doc, principal)))
        if doc.unknown is not None:
            perms.unknowns.append((doc, doc.unknown))
    for group in graph.references(principal, kind="member"):
        perms.groups.append(group)
        for doc in index.get(group.id, ()):
            if doc.kind == IDENTITY:
                perms.attached.append(Attached(doc, f"group {group.address}: {_via(doc, group)}"))
                if doc.unknown is not None:
                    perms.unknowns.append((doc, doc.unknown))
    return perms


def _via(doc: PolicyDocument, principal: Resource) -> str:
    if doc.aws_managed:
        return f"AWS managed policy {doc.aws_managed}"
    if doc.holder is principal:
        return f"inline policy {doc.name}" if doc.name else f"{doc.attr}"
    if doc.via == "managed":
        return f"managed policy {doc.holder.address}"
    return f"policy {doc.holder.address}"


def _index(graph: Graph) -> dict[str, list[PolicyDocument]]:
    cached = getattr(graph, "_docs_by_principal", None)
    if cached is not None and cached[0] == len(graph.policies):
        return cached[1]
    index: dict[str, list[PolicyDocument]] = {}
    for doc in graph.policies:
        for principal in doc.principals:
            index.setdefault(principal.id, []).append(doc)
    graph._docs_by_principal = (len(graph.policies), index)  # type: ignore[attr-defined]
    return index


def describe_unknown(value: Any) -> str:
    return value.reason if isinstance(value, Unknown) else "depends on a condition"
