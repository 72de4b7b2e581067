"""Effective permissions of a principal, with IAM's evaluation logic.

A principal's permissions come from its inline policies, attached managed policies (customer-
managed from the code, AWS managed from the shipped snapshot), and, for users, the policies of their groups. A
permission boundary limits them. Only Allow grants; an unconditional Deny removes what it
matches; a conditional Deny does not remove a grant but makes it conditional (for example
"only with MFA"), which rules use: an MFA-guarded admin grant is not "admin without MFA", but it
is still admin.

Two views are offered. :meth:`Permissions.grants_for` answers "is this action allowed on this
resource, and under which conditions?" (what rules ask). :func:`effective_grants` computes every
grant at once as sets of actions per statement (:class:`~iamready.iam.actionset.ActionSet`),
with boundaries intersected and unconditional Denies subtracted (what the permission review
shows). Resources can be asked about as a :class:`Target`: a resource defined in the code, with
the ARN it will have (unknown parts left open) and its id, so a ``Resource`` written as a
reference (``aws_iam_role.admin.arn``, ``!GetAtt Admin.Arn``) matches exactly.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iamready.iam.catalog import Catalog
from iamready.iam.policy import BOUNDARY, IDENTITY, PolicyDocument, Statement
from iamready.iam.request import patterns_overlap
from iamready.model.value import Unknown

if TYPE_CHECKING:
    from iamready.iam.actionset import ActionSet
    from iamready.model.graph import Graph, Resource


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

    @property
    def summary(self) -> str:
        """The condition in words, for reports: "only with MFA (Bool aws:MultiFactorAuthPresent)"."""
        stmt = self.statement
        condition = self.text.removeprefix("denied ").removeprefix("unless ").split(" (", 1)[0]
        if not stmt.allows:
            source = f"{stmt.label} of {stmt.document.label}"
            if self.kind == "mfa":
                return f"only with MFA ({source} denies requests without MFA)"
            if self.kind == "mfa-console":
                return f"MFA only for console sessions ({source}: {condition} lets access keys through)"
            return f"conditionally denied by {source} ({condition})"
        if self.kind == "mfa":
            return f"only with MFA ({condition})"
        if self.kind == "mfa-console":
            return f"MFA only for console sessions ({condition})"
        if self.kind == "org":
            return f"only from the organization ({condition})"
        if self.kind == "source":
            return f"only from given networks ({condition})"
        return f"only when {condition}"


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

    @property
    def when(self) -> str | None:
        """The deployment condition under which the statement exists (a CloudFormation ``Fn::If`` branch)."""
        return self.statement.when


@dataclass
class Permissions:
    principal: Resource
    attached: list[Attached] = field(default_factory=list)
    boundaries: list[Attached] = field(default_factory=list)
    groups: list[Resource] = field(default_factory=list)
    unknowns: list[tuple[PolicyDocument, Any]] = field(default_factory=list)
    catalog: Catalog | None = None
    _statement_cache: dict[str, list[tuple[Statement, str]]] = field(default_factory=dict, repr=False, compare=False)
    _action_cache: dict[str, tuple[list[tuple[Statement, str]], list[tuple[Statement, str]]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _by_service: dict[str, list[Statement]] = field(default_factory=dict, repr=False, compare=False)

    def statements(self, effect: str = "Allow") -> list[tuple[Statement, str]]:
        """(statement, how it is attached) of the given effect; computed once (the principal's
        policies are complete when its Permissions are built), shared: callers must not change it."""
        found = self._statement_cache.get(effect)
        if found is None:
            found = [
                (stmt, item.via) for item in self.attached for stmt in item.document.statements if stmt.effect == effect
            ]
            self._statement_cache[effect] = found
        return found

    def has_action(self, action: str) -> bool:
        """Does any Allow statement name ``action`` at all (whatever the resource)? A cheap filter.

        The same answer as ``_for_action(action)[0]`` (an Allow statement covering it) without keeping
        the list: escalation asks it for every method of every principal. Each statement's matcher
        (:attr:`Statement.action_matcher`) is shared by every statement naming the same patterns, so an
        AWS managed policy such as ReadOnlyAccess (thousands of patterns, attached to many principals)
        is compiled once per scan, not once per principal. Only the statements that can name an action of
        the action's service are asked (a group holding 200 AWS managed policies has a thousand statements)."""
        if action == "*" or action in self._action_cache:
            return bool(self._for_action(action)[0])
        service = action.partition(":")[0].lower()
        candidates = self._by_service.get(service)
        if candidates is None:  # the Allow statements that can name an action of the service, once per service
            candidates = self._by_service[service] = [
                stmt
                for stmt, _ in self.statements("Allow")
                if stmt.action_services is None or service in stmt.action_services
            ]
        return any(statement_covers_action(stmt, action) for stmt in candidates)

    def _for_action(self, action: str) -> tuple[list[tuple[Statement, str]], list[tuple[Statement, str]]]:
        """(Allow, Deny) statements whose actions cover ``action``, computed once per action."""
        cache = self._action_cache
        found = cache.get(action)
        if found is None:
            found = (
                [(s, v) for s, v in self.statements("Allow") if statement_covers_action(s, action)],
                [(s, v) for s, v in self.statements("Deny") if statement_covers_action(s, action)],
            )
            cache[action] = found
        return found

    def without_boundary(self) -> Permissions:
        """The same permissions if the permission boundary were removed or replaced."""
        return Permissions(
            self.principal, list(self.attached), [], list(self.groups), list(self.unknowns), self.catalog
        )

    def grants_for(self, action: str, resource: str | Target = "*") -> list[Grant]:
        """Allow statements that grant ``action`` (on ``resource``), minus unconditional Denies.

        Each grant carries its guards (its own conditions, conditional Denies that cover it).
        An empty list means not granted, or removed by an unconditional Deny or the boundary.
        """
        if not self._within_boundary(action, resource):
            return []
        context = resource.context if isinstance(resource, Target) else ()
        grants = []
        allows, denies = self._for_action(action)
        for stmt, via in allows:
            if not statement_covers_resource(stmt, resource):
                continue
            if context and _never_holds(stmt, context):
                continue  # a condition on the request that can never hold
            grant = Grant(stmt, via, guards=allow_guards(stmt, context))
            removed = False
            for deny, _ in denies:
                if not statement_covers_resource(deny, resource, deny=True):
                    continue
                applies = _deny_applies(deny, context)
                if applies is False:
                    continue
                if applies is True:
                    removed = True
                    break
                grant.guards.extend(deny_guards(deny, context))
            if not removed:
                grants.append(grant)
        return grants

    def within_boundary(self, action: str, resource: str | Target = "*") -> bool:
        """Does the permission boundary (if any) allow ``action`` on ``resource``? An unknown
        boundary cannot be shown to block anything."""
        return self._within_boundary(action, resource)

    def _within_boundary(self, action: str, resource: str | Target) -> bool:
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

    ``action`` may itself be ``*`` (every action): an Allow covers it only with a ``*`` pattern
    (``NotAction`` leaves something out); a Deny covers it with a ``*`` pattern or with
    ``NotAction`` (it denies all but a few actions, so "every action" is no longer allowed: an
    MFA Deny written with ``NotAction`` guards an administrator grant).
    """
    if stmt.actions is not None:
        if action == "*":
            return any(p in ("*", "*:*") for p in stmt.action_patterns)
        return stmt.action_matcher(action)
    if stmt.not_actions is not None:
        if action == "*":
            return stmt.denies
        return not stmt.not_action_matcher(action)
    return False


def statement_covers_resource(stmt: Statement, resource: str | Target, deny: bool = False) -> bool:
    """Resource matching, conservatively: for an Allow, ``"*"`` is covered only by ``"*"``; for a
    Deny asked about ``"*"``, only a Deny on ``"*"`` counts as covering everything. A
    :class:`Target` is matched by reference or by its ARN (:func:`arn_matches`)."""
    if isinstance(resource, Target):
        return _covers_target(stmt, resource, deny)
    if stmt.resources is not None:
        patterns = stmt.resource_patterns
        if resource == "*":
            return "*" in patterns
        return any(_arn_match(p, resource) for p in patterns)
    if stmt.not_resources is not None:
        excluded = stmt.known_strings(stmt.not_resources)
        if deny:
            # a Deny with NotResource denies every resource outside its list: all of ``resource``
            # (a pattern, ``*`` included) only when no excluded pattern can overlap it
            if resource == "*" or len(excluded) != len(stmt.not_resources):
                return False
            return not any(patterns_overlap(p, resource) for p in excluded)
        return not any(_arn_match(p, resource) for p in excluded)
    return stmt.document.kind != IDENTITY  # resource policies: the resource is implicit


def _arn_match(pattern: str, arn: str) -> bool:
    import fnmatch

    return pattern == "*" or fnmatch.fnmatchcase(arn, pattern)


def allow_guards(stmt: Statement, context: Context = ()) -> list[Guard]:
    """The conditions of an Allow as guards. A condition on a key the request is known to carry
    (``context``, see :mod:`iamready.iam.request`) that holds is no guard (one that can never hold
    is :func:`_never_holds`: the Allow grants nothing)."""
    from iamready.iam.conditions import mfa_requirement

    guards = []
    for cond in stmt.conditions:
        if context and _in_context(cond, context, "exists") is True:
            continue
        kind = _MFA_GUARD.get(mfa_requirement(cond, "Allow") or "")
        if kind:
            guards.append(Guard(kind, f"{cond.operator} {cond.key}", stmt))
        elif cond.key_lower in ("aws:principalorgid", "aws:principalorgpaths"):
            guards.append(Guard("org", f"{cond.operator} {cond.key}", stmt))
        elif cond.key_lower in ("aws:sourceip", "aws:sourcevpc", "aws:sourcevpce"):
            guards.append(Guard("source", f"{cond.operator} {cond.key}", stmt))
        else:
            guards.append(Guard("condition", f"{cond.operator} {cond.key}", stmt))
    return guards


def deny_guards(stmt: Statement, context: Context = ()) -> list[Guard]:
    """A conditional Deny makes what it covers conditional. It is an MFA guard only when MFA is its
    only condition (conditions are ANDed: with ``aws:RequestedRegion`` it denies in one region).
    Conditions on request keys of ``context`` that always hold add no guard."""
    from iamready.iam.conditions import statement_mfa

    kind = _MFA_GUARD.get(statement_mfa(stmt) or "")
    if kind:
        cond = stmt.conditions[0]
        return [Guard(kind, f"denied {cond.operator} {cond.key} ({stmt.document.label})", stmt)]
    return [
        Guard("deny-condition", f"denied unless {cond.operator} {cond.key} ({stmt.document.label})", stmt)
        for cond in stmt.conditions
        if not (context and _in_context(cond, context, "forall") is True)
    ]


def _never_holds(stmt: Statement, context: Context) -> bool:
    """Does a condition of the Allow on a request key of ``context`` fail whatever the caller chooses?"""
    return any(_in_context(cond, context, "exists") is False for cond in stmt.conditions)


def _deny_applies(stmt: Statement, context: Context) -> bool | None:
    """Does a Deny apply to the request: True (no condition, or every condition holds whatever the
    caller chooses), False (a condition on a request key can never hold), None (it depends)."""
    if not stmt.conditions:
        return True
    if not context:
        return None
    answers = [_in_context(cond, context, "forall") for cond in stmt.conditions]
    if all(a is True for a in answers):
        return True
    if any(_in_context(cond, context, "exists") is False for cond in stmt.conditions):
        return False
    return None


# request keys and the values the request carries (alternatives; patterns are the caller's choice)
Context = tuple[tuple[str, tuple[str, ...]], ...]


def _in_context(cond: Any, context: Context, mode: str) -> bool | None:
    """The condition evaluated against the request (None: its key is not in ``context``)."""
    from iamready.iam.request import evaluate

    key = cond.key_lower
    for name, values in context:
        if name == key:
            if cond.set_operator:
                return None
            return evaluate(cond, values, mode)
    return None


# conditions.mfa_requirement's answers as guard kinds: every request needs MFA, or console sessions do
_MFA_GUARD = {"all": "mfa", "console": "mfa-console"}


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
    if doc.outside_code:
        return doc.label
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


# -- resources defined in the code -----------------------------------------------------------
UNKNOWN_PART = "\x00"  # an unknown piece of an ARN: only a wildcard in a policy can match it


@dataclass(frozen=True)
class Target:
    """A resource a grant may apply to: its ARN (unknown pieces as :data:`UNKNOWN_PART`, unknown
    account or region as ``${AWS::AccountId}``/``${AWS::Region}``) and, when it is defined in the
    code, its resource id, so a reference to it matches exactly. ``variables`` are the policy
    variables of the request (``aws:username`` of the calling user)."""

    arn: str
    resource_id: str | None = None
    variables: tuple[tuple[str, str], ...] = ()
    context: Context = ()  # condition keys the request carries (iam:PassedToService, iam:PolicyARN, ...)

    def with_variables(self, **values: str | None) -> Target:
        items = tuple((k.replace("_", ":", 1).lower(), v) for k, v in values.items() if v is not None)
        return Target(self.arn, self.resource_id, items, self.context)

    def with_context(self, **values: tuple[str, ...] | list[str] | str) -> Target:
        """The same resource asked about for a request carrying these condition keys
        (``iam_PassedToService="ec2.amazonaws.com"``: the first ``_`` is the ``:``)."""
        items = dict(self.context)
        for key, value in values.items():
            items[key.replace("_", ":", 1).lower()] = (value,) if isinstance(value, str) else tuple(value)
        return Target(self.arn, self.resource_id, self.variables, tuple(sorted(items.items())))


_IAM_NAME_ATTRS = {
    "aws_iam_role": ("role", "name", "path"),
    "aws_iam_user": ("user", "name", "path"),
    "aws_iam_group": ("group", "name", "path"),
    "aws_iam_policy": ("policy", "name", "path"),
    "aws_iam_instance_profile": ("instance-profile", "name", "path"),
    "AWS::IAM::Role": ("role", "RoleName", "Path"),
    "AWS::IAM::User": ("user", "UserName", "Path"),
    "AWS::IAM::Group": ("group", "GroupName", "Path"),
    "AWS::IAM::ManagedPolicy": ("policy", "ManagedPolicyName", "Path"),
    "AWS::IAM::InstanceProfile": ("instance-profile", "InstanceProfileName", "Path"),
}


def known_text(value: Any) -> str | None:
    """A plain string when the value is a known, non-symbolic string."""
    if isinstance(value, str) and not isinstance(value, Unknown) and "${" not in value:
        return str(value)
    return None


def iam_arn(resource: Resource) -> str:
    """The ARN an IAM role, user, group, managed policy or instance profile in the code will have."""
    kind, name_attr, path_attr = _IAM_NAME_ATTRS.get(resource.type, ("", "", ""))
    name = known_text(resource.attr(name_attr).raw) if name_attr else None
    path = known_text(resource.attr(path_attr).raw) if path_attr else None
    path = path if path and path.startswith("/") and path.endswith("/") else "/"
    return f"arn:aws:iam::${{AWS::AccountId}}:{kind}{path}{name if name else UNKNOWN_PART}"


def resource_name(resource: Resource) -> str | None:
    """The IAM name a principal in the code will have, when it is known."""
    _, name_attr, _ = _IAM_NAME_ATTRS.get(resource.type, ("", "", ""))
    return known_text(resource.attr(name_attr).raw) if name_attr else None


def principal_target(resource: Resource) -> Target:
    return Target(iam_arn(resource), resource.id)


_VARIABLE_RE = re.compile(r"\$\{([^}]*)\}")


def split_arn(text: str) -> list[str] | None:
    """The six parts of an ARN (``arn:partition:service:region:account:resource``), keeping
    ``${AWS::AccountId}`` and other variables whole; None when ``text`` is not an ARN."""
    if not text.startswith("arn:"):
        return None
    parts = _split_arn(str(text))
    return list(parts) if parts is not None else None


@functools.lru_cache(maxsize=16384)
def _split_arn(text: str) -> tuple[str, ...] | None:
    if "${" not in text:
        parts = text.split(":", 5)
        return tuple(parts) if len(parts) == 6 else None
    tokens: list[str] = []

    def hide(match: re.Match[str]) -> str:
        tokens.append(match.group(0))
        return f"\x02{len(tokens) - 1}\x03"

    hidden = _VARIABLE_RE.sub(hide, text)
    parts = hidden.split(":", 5)
    if len(parts) < 6:
        return None
    return tuple(re.sub(r"\x02(\d+)\x03", lambda m: tokens[int(m.group(1))], part) for part in parts)


def arn_matches(pattern: str, target: Target) -> bool:
    """Does a policy ``Resource`` pattern cover the target's ARN?

    Partition, service, region and account are compared segment by segment; a segment unknown on
    either side (``${AWS::AccountId}``, an unresolved variable) matches, since the code does not
    say which account it deploys to. The resource part is matched with IAM wildcards; an unknown
    piece of the target's name is only matched by a wildcard. Policy variables of the request
    (``${aws:username}``) are substituted from ``target.variables``; any other variable matches
    nothing specific.
    """
    if pattern == "*":
        return True
    return _arn_matches(str(pattern), target)


@functools.lru_cache(maxsize=65536)
def _arn_matches(pattern: str, target: Target) -> bool:
    p_cheap, a_cheap = _split_arn(pattern), _split_arn(target.arn)
    if p_cheap is not None and a_cheap is not None:
        literal = not any(ch in p_cheap[5] for ch in "*?$")
        if literal and p_cheap[5] != a_cheap[5] and UNKNOWN_PART not in a_cheap[5]:
            return False  # a literal resource name that is not the target's
    variables = dict(target.variables)

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key.lower() in variables:
            return variables[key.lower()]
        if key.startswith("AWS::") or key in ("*", "?", "$"):
            return {"*": "*", "?": "?", "$": "$"}.get(key, match.group(0))
        return "\x01"  # an unknown variable value: matches nothing but itself

    p_parts = split_arn(pattern)
    a_parts = split_arn(target.arn)
    if p_parts is None or a_parts is None:
        return fnmatch.fnmatchcase(target.arn, _VARIABLE_RE.sub(substitute, pattern))
    p_parts = [_VARIABLE_RE.sub(substitute, part) if i == 5 else part for i, part in enumerate(p_parts)]
    if (p_parts[4] == "aws") != (a_parts[4] == "aws") and not (a_parts[4] == "aws" and "*" in p_parts[4]):
        return False  # AWS's own resources (arn:aws:iam::aws:policy/...) are never an account's, nor the reverse
    for index in range(1, 5):
        p_seg, a_seg = p_parts[index], a_parts[index]
        if "${" in p_seg or "${" in a_seg or UNKNOWN_PART in a_seg:
            continue
        if not fnmatch.fnmatchcase(a_seg.lower(), p_seg.lower()):
            return False
    return fnmatch.fnmatchcase(a_parts[5], p_parts[5])


def _covers_target(stmt: Statement, target: Target, deny: bool) -> bool:
    if stmt.resources is not None:
        return any(_value_covers(raw, target) for raw in stmt.resources)
    if stmt.not_resources is not None:
        if deny:
            # a Deny with NotResource denies every resource outside its list; a target whose name is
            # partly unknown is denied only when no excluded pattern can match it
            return not any(_may_cover(raw, target) for raw in stmt.not_resources)
        return not any(_value_covers(raw, target) for raw in stmt.not_resources)
    return stmt.document.kind != IDENTITY


def _may_cover(raw: Any, target: Target) -> bool:
    """Might the ``NotResource`` entry name the target? An unknown entry might; so might one whose
    pattern overlaps an unknown part of the target's ARN (policy variables read as ``*``)."""
    if not isinstance(raw, str) or isinstance(raw, Unknown):
        return True
    if _value_covers(raw, target):
        return True
    if UNKNOWN_PART not in target.arn and "${" not in str(raw):
        return False
    loose = _VARIABLE_RE.sub(lambda m: m.group(0) if m.group(1).startswith("AWS::") else "*", str(raw))
    p_parts, a_parts = split_arn(loose), split_arn(target.arn)
    if p_parts is None or a_parts is None:
        return True
    if arn_matches(":".join([*p_parts[:5], "*"]), target):
        return patterns_overlap(p_parts[5], a_parts[5].replace(UNKNOWN_PART, "*"))
    return False


def _value_covers(raw: Any, target: Target) -> bool:
    if not isinstance(raw, str) or isinstance(raw, Unknown):
        return False
    ref = getattr(raw, "ref", None)
    if ref is not None and target.resource_id is not None and ref[0] == target.resource_id:
        return True
    return arn_matches(str(raw), target)


# -- every grant at once, as sets of actions --------------------------------------------------
@dataclass
class EffectiveGrant:
    """What one Allow statement still grants after boundaries and Denies.

    ``resources`` are the patterns it applies to (``("*",)`` for a ``NotResource`` Allow, with the
    exclusion in ``notes``); ``guards`` make it conditional; ``notes`` say what narrowed it
    without removing it (a Deny on part of the resources, a boundary that could not be read).
    """

    statement: Statement
    via: str
    actions: ActionSet
    resources: tuple[str, ...]
    guards: list[Guard] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def conditional(self) -> bool:
        return bool(self.guards)

    @property
    def when(self) -> str | None:
        return self.statement.when


_ACTION_SETS: weakref.WeakKeyDictionary[Statement, ActionSet] = weakref.WeakKeyDictionary()


def statement_actions(stmt: Statement, catalog: Catalog) -> ActionSet:
    """The actions a statement names, as a set (``NotAction`` as the complement)."""
    cached = _ACTION_SETS.get(stmt)
    if cached is not None:
        return cached
    from iamready.iam.actionset import ActionSet

    if stmt.actions is not None:
        result = ActionSet.from_patterns(stmt.action_patterns, catalog)
    elif stmt.not_actions is not None:
        result = ActionSet.from_patterns(stmt.not_action_patterns, catalog).complement(catalog)
    else:
        result = ActionSet.empty()
    _ACTION_SETS[stmt] = result
    return result


def statement_resources(stmt: Statement) -> tuple[tuple[str, ...], list[str]]:
    """(resource patterns, notes) of an identity statement, as the review shows them."""
    notes: list[str] = []
    unknown = stmt.unknown_in("Resource", "NotResource")
    if unknown is not None:
        notes.append(f"some resources are not known ({describe_unknown(unknown)})")
    if stmt.resources is not None:
        return tuple(dict.fromkeys(str(r) for r in stmt.resources if isinstance(r, str))), notes
    if stmt.not_resources is not None:
        excluded = ", ".join(stmt.known_strings(stmt.not_resources))
        notes.append(f"every resource except {excluded}")
        return ("*",), notes
    return (), notes


def resources_within(inner: tuple[str, ...], outer: tuple[str, ...]) -> bool:
    """Is every pattern of ``inner`` inside some pattern of ``outer``?"""
    return all(any(o == "*" or fnmatch.fnmatchcase(i, o) for o in outer) for i in inner)


def resources_overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return any(x == "*" or y == "*" or fnmatch.fnmatchcase(x, y) or fnmatch.fnmatchcase(y, x) for x in a for y in b)


def intersect_resources(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """The narrower of two pattern lists, pattern by pattern (a boundary on ``bucket/*`` narrows an
    Allow on ``*`` to ``bucket/*``)."""
    out: list[str] = []
    for x in a:
        for y in b:
            if y == "*" or fnmatch.fnmatchcase(x, y):
                out.append(x)
            elif x == "*" or fnmatch.fnmatchcase(y, x):
                out.append(y)
    return tuple(dict.fromkeys(out))


def effective_grants(perms: Permissions, catalog: Catalog) -> list[EffectiveGrant]:
    """Every Allow of the principal as action sets, limited by its boundary, minus unconditional
    Denies; conditional Denies split off the actions they cover as guarded grants."""
    pieces: list[EffectiveGrant] = []
    for stmt, via in perms.statements("Allow"):
        actions = statement_actions(stmt, catalog)
        if actions.is_empty:
            continue
        resources, notes = statement_resources(stmt)
        if not resources:
            continue
        pieces.append(EffectiveGrant(stmt, via, actions, resources, allow_guards(stmt), notes))
    for item in perms.boundaries:
        pieces = _bound(pieces, item, catalog)
    for deny, _ in perms.statements("Deny"):
        pieces = _apply_deny(pieces, deny, catalog)
    return [p for p in pieces if not p.actions.is_empty]


def _bound(pieces: list[EffectiveGrant], boundary: Attached, catalog: Catalog) -> list[EffectiveGrant]:
    doc = boundary.document
    if doc.unknown is not None:
        note = f"permission boundary {doc.label} could not be read ({describe_unknown(doc.unknown)}): may be narrower"
        for piece in pieces:
            piece.notes.append(note)
        return pieces
    out: list[EffectiveGrant] = []
    for piece in pieces:
        for stmt in doc.statements:
            if not stmt.allows:
                continue
            actions = piece.actions.intersection(statement_actions(stmt, catalog), catalog)
            if actions.is_empty:
                continue
            b_resources, _ = statement_resources(stmt)
            resources = intersect_resources(piece.resources, b_resources)
            if not resources:
                continue
            guards = list(piece.guards)
            for guard in allow_guards(stmt):
                guards.append(Guard(guard.kind, f"{guard.text} (permission boundary {doc.label})", stmt))
            notes = list(piece.notes)
            if resources != piece.resources or actions.describe() != piece.actions.describe():
                notes.append(f"limited by permission boundary {doc.label}")
            out.append(EffectiveGrant(piece.statement, piece.via, actions, resources, guards, notes))
    for stmt in doc.statements:
        if stmt.denies:
            out = _apply_deny(out, stmt, catalog)
    return out


def _apply_deny(pieces: list[EffectiveGrant], deny: Statement, catalog: Catalog) -> list[EffectiveGrant]:
    d_actions = statement_actions(deny, catalog)
    if d_actions.is_empty:
        return pieces
    d_resources, _ = statement_resources(deny)
    not_resource = deny.resources is None and deny.not_resources is not None
    unknown_resources = deny.unknown_in("Resource", "NotResource") is not None
    out: list[EffectiveGrant] = []
    for piece in pieces:
        common = piece.actions.intersection(d_actions, catalog)
        if common.is_empty or not resources_overlap(piece.resources, d_resources or ("*",)):
            out.append(piece)
            continue
        rest = piece.actions.difference(d_actions, catalog)
        if not_resource:  # denies everything outside its list: all of the piece when no pattern overlaps it
            excluded = deny.known_strings(deny.not_resources)
            covers_all = (
                not unknown_resources
                and len(excluded) == len(deny.not_resources or ())
                and not any(patterns_overlap(e, r) for e in excluded for r in piece.resources)
            )
        else:
            covers_all = not unknown_resources and resources_within(piece.resources, d_resources)
        if not deny.conditions and covers_all:
            if not rest.is_empty:
                out.append(_replace_actions(piece, rest))
            continue
        if not rest.is_empty:
            out.append(_replace_actions(piece, rest))
        narrowed = _replace_actions(piece, common)
        if deny.conditions:
            narrowed.guards.extend(deny_guards(deny))
        if not covers_all:
            if not_resource:
                where = f"every resource except {', '.join(deny.known_strings(deny.not_resources))}"
            else:
                where = ", ".join(d_resources)
            if unknown_resources:
                where = "resources that are not known"
            narrowed.notes.append(f"denied on {where} by {deny.label} of {deny.document.label}")
        out.append(narrowed)
    return out


def _replace_actions(piece: EffectiveGrant, actions: ActionSet) -> EffectiveGrant:
    return EffectiveGrant(piece.statement, piece.via, actions, piece.resources, list(piece.guards), list(piece.notes))
