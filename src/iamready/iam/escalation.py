"""Privilege escalation: which principals can become administrator, in one step or several.

The methods are data (``escalation_methods.json``): each needs some actions on some kind of
resource. For every principal the analysis finds the *steps* it can take:

* a **method step**: its effective permissions (:mod:`iamready.iam.effective`: boundaries,
  Denies, conditions) contain every requirement of a method, on resources the method can use.
  A ``policy`` method makes a principal administrator directly (it writes its own
  permissions: the caller, its group, or a role it can assume); the others let it act as another
  principal (pass a role to new compute, take over compute that runs as a role, create another
  user's credentials, rewrite a role's trust policy);
* an **assume step**: ``sts:AssumeRole`` on a role, allowed by the caller's identity policy and
  by the role's trust policy (a trust policy that names the caller itself needs no identity
  grant in the same account).

Steps whose resource is a wildcard (``iam:PassRole`` on ``*``) are *broad*: they reach roles
and users outside the scanned code as well. A principal is an administrator when it is allowed
``*`` on ``*``. Paths are searched breadth first over the steps, so each principal's shortest
way to each administrator is found once; conditional steps (MFA, source network, other
conditions, a conditional Deny) are kept and named, never dropped.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iamready.iam.effective import (
    UNKNOWN_PART,
    Grant,
    Permissions,
    Target,
    allow_guards,
    describe_unknown,
    iam_arn,
    known_text,
    principal_target,
    resource_name,
    split_arn,
    statement_covers_action,
)
from iamready.iam.policy import TRUST, Statement

if TYPE_CHECKING:
    from iamready.iam.catalog import Catalog
    from iamready.model.graph import Graph, Resource

POLICY, CREDENTIALS, TRUST_CATEGORY, PASS_ROLE, EXISTING_COMPUTE = (
    "policy",
    "credentials",
    "trust",
    "pass-role",
    "existing-compute",
)
CATEGORIES = (POLICY, CREDENTIALS, TRUST_CATEGORY, PASS_ROLE, EXISTING_COMPUTE)
SELF_KINDS = ("own-policy", "self-user", "own-group", "own-role", "own-boundary")
PRINCIPAL_KINDS = ("user", "group", "role", "passed-role")
COMPUTE_KINDS = ("function", "instance", "dev-endpoint", "notebook", "build-project")
RESOURCE_KINDS = ("any", *SELF_KINDS, *PRINCIPAL_KINDS, *COMPUTE_KINDS)

ROLE_TYPES = ("aws_iam_role", "AWS::IAM::Role")
USER_TYPES = ("aws_iam_user", "AWS::IAM::User")
GROUP_TYPES = ("aws_iam_group", "AWS::IAM::Group")


@dataclass(frozen=True)
class Requirement:
    actions: tuple[str, ...]  # any one of them
    on: str
    service: str | None = None  # passed-role: the service principal the role is passed to


@dataclass(frozen=True)
class Method:
    id: str
    title: str
    description: str
    category: str
    requires: tuple[Requirement, ...]
    reference: str

    @property
    def target_requirement(self) -> Requirement:
        for req in self.requires:
            if req.on != "any":
                return req
        return self.requires[0]

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(a for req in self.requires for a in req.actions)

    @property
    def makes_admin(self) -> bool:
        """Does the method write the caller's own permissions (rather than borrow another's)?"""
        return self.target_requirement.on in SELF_KINDS

    @property
    def recipe(self) -> str:
        """``iam:PassRole + ec2:RunInstances`` (alternatives joined with ``|``)."""
        return " + ".join("|".join(req.actions) for req in self.requires)


def catalogue_path() -> str:
    return os.path.join(os.path.dirname(__file__), "escalation_methods.json")


@functools.lru_cache(maxsize=1)
def methods() -> tuple[Method, ...]:
    """The escalation catalogue, in file order."""
    with open(catalogue_path(), encoding="utf-8") as handle:
        raw = json.load(handle)
    out = []
    for item in raw["methods"]:
        requires = tuple(Requirement(tuple(r["actions"]), r["on"], r.get("service")) for r in item["requires"])
        out.append(
            Method(item["id"], item["title"], item["description"], item["category"], requires, item["reference"])
        )
    return tuple(out)


def method(method_id: str) -> Method:
    for item in methods():
        if item.id == method_id:
            return item
    raise KeyError(method_id)


# -- results -------------------------------------------------------------------------------
@dataclass
class Support:
    """A grant of the caller that one requirement of a step rests on."""

    action: str
    grant: Grant
    guards: list[str] = field(default_factory=list)

    @property
    def statement(self) -> Statement:
        return self.grant.statement


@dataclass
class Step:
    """One move: ``source`` becomes ``target`` (or makes ``target`` administrator, for a
    ``policy`` method). ``method`` is None for ``sts:AssumeRole``."""

    source: Resource
    target: Resource | None  # None: a principal outside the code (broad steps)
    method: Method | None
    supports: list[Support] = field(default_factory=list)
    trust: Statement | None = None  # the target's trust statement that lets the source in
    via: Resource | None = None  # the compute resource or managed policy the step goes through
    on: str = ""  # what the target requirement applies to, in words
    broad: bool = False
    guards: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def makes_admin(self) -> bool:
        return self.method is not None and self.method.makes_admin

    @property
    def conditional(self) -> bool:
        return bool(self.all_guards)

    @property
    def all_guards(self) -> list[str]:
        out = list(self.guards)
        for support in self.supports:
            out.extend(support.guards)
        return list(dict.fromkeys(out))

    @property
    def label(self) -> str:
        return "sts:AssumeRole" if self.method is None else self.method.id

    @property
    def primary(self) -> Statement | None:
        """The statement to point at: the grant of the step's key action, else the trust statement."""
        if self.method is not None:
            key = self.method.target_requirement.actions
            for support in self.supports:
                if support.action in key:
                    return support.statement
        if self.supports:
            return self.supports[0].statement
        return self.trust

    def describe(self) -> str:
        target = self.target.address if self.target is not None else self.on
        if self.method is None:
            return f"assume {target} (sts:AssumeRole)"
        actions = " + ".join(dict.fromkeys(s.action for s in self.supports)) or self.method.recipe
        return f"{self.method.title} ({actions} on {self.on})"


@dataclass
class Path:
    source: Resource
    steps: list[Step]
    admin: Resource | None  # the administrator principal reached (None: the last step grants admin)
    admin_guards: list[str] = field(default_factory=list)  # when the administrator is one only conditionally

    @property
    def conditional(self) -> bool:
        return bool(self.guards)

    @property
    def guards(self) -> list[str]:
        out: list[str] = []
        for step in self.steps:
            out.extend(step.all_guards)
        out.extend(self.admin_guards)
        return list(dict.fromkeys(out))

    @property
    def length(self) -> int:
        return len(self.steps)

    @property
    def signature(self) -> tuple[tuple[str, str], ...]:
        return tuple((s.label, s.target.id if s.target is not None else s.on) for s in self.steps)


@dataclass
class Maybe:
    """A method that may be complete: a grant of its key action applies to a resource whose value
    is not known."""

    principal: Resource
    method: Method
    statement: Statement
    reason: str


# -- the analysis --------------------------------------------------------------------------
class EscalationAnalysis:
    """All steps and paths of one graph. Built once per scan (``Context.escalation``)."""

    def __init__(
        self, graph: Graph, permissions: Callable[[Resource], Permissions], catalog: Catalog | None = None
    ) -> None:
        from iamready.aws.links import PRINCIPAL_TYPES

        self.graph = graph
        self.permissions = permissions
        self.catalog = catalog
        self.principals: list[Resource] = list(graph.resources(PRINCIPAL_TYPES))
        self.roles = [p for p in self.principals if p.type in ROLE_TYPES]
        self.users = [p for p in self.principals if p.type in USER_TYPES]
        self.groups = [p for p in self.principals if p.type in GROUP_TYPES]
        self._targets: dict[str, Target] = {p.id: principal_target(p) for p in self.principals}
        # separate deployments are never connected: every pairing looks only within one deployment
        self._deployment: dict[str, dict[str, list[Resource]]] = {}
        for p in self.principals:
            kinds = self._deployment.setdefault(p.scope, {"principals": [], "roles": [], "users": [], "groups": []})
            kinds["principals"].append(p)
            kinds["roles" if p.type in ROLE_TYPES else "users" if p.type in USER_TYPES else "groups"].append(p)
        self._members: dict[str, list[Resource]] = {}
        self._groups_of: dict[str, list[Resource]] = {}
        for user in self.users:
            groups = graph.references(user, kind="member")
            self._groups_of[user.id] = groups
            for group in groups:
                self._members.setdefault(group.id, []).append(user)
        self._service_trust: dict[tuple[str, str], bool] = {}
        self._trusting: dict[tuple[str, str], list[Resource]] = {}  # (deployment, service) -> roles
        self._positions: dict[str, dict[str, int]] = {}
        self._grants: dict[tuple[int, str, Target], list[Grant]] = {}  # several methods ask the same
        self._steps: dict[str, list[Step]] | None = None
        self._maybe: dict[str, list[Maybe]] = {}
        self._trust_notes: dict[str, list[tuple[Any, str]]] = {}
        self._admin: dict[str, list[Grant]] = {}
        self._paths: dict[str, list[Path]] = {}
        self._compute: dict[str, list[tuple[Resource, Resource, Target]]] | None = None

    # -- principals ------------------------------------------------------------------------
    def _position(self, scope: str) -> dict[str, int]:
        """Each principal of a deployment by its place in the deployment's list."""
        found = self._positions.get(scope)
        if found is None:
            principals = self._deployment.get(scope, {}).get("principals", [])
            found = self._positions[scope] = {p.id: i for i, p in enumerate(principals)}
        return found

    def deployed_with(self, resource: Resource, kind: str) -> list[Resource]:
        """Principals of ``kind`` ("principals", "roles", "users", "groups") deployed with ``resource``."""
        return self._deployment.get(resource.scope, {}).get(kind, [])

    def admin_grants(self, principal: Resource) -> list[Grant]:
        if principal.id not in self._admin:
            self._admin[principal.id] = self.permissions(principal).admin_grants()
        return self._admin[principal.id]

    def is_admin(self, principal: Resource, conditional: bool = False) -> bool:
        """Allowed every action on every resource (unconditionally, unless ``conditional``)."""
        grants = self.admin_grants(principal)
        return any(conditional or not g.guards for g in grants)

    def admin_words(self, principal: Resource) -> str:
        """ "an administrator", with the deployment condition when every administrator grant has one
        ("an administrator when IsProd is false")."""
        whens = {g.when for g in self.admin_grants(principal) if not g.guards}
        if whens and None not in whens:
            return f"an administrator {' or '.join(sorted(w for w in whens if w))}"
        return "an administrator"

    def can_make_itself_admin(self, principal: Resource) -> bool:
        return any(s.makes_admin and not s.conditional for s in self.steps_from(principal))

    def privileged(self, principal: Resource) -> bool:
        """An administrator, or able to make itself one without conditions."""
        return self.is_admin(principal) or self.can_make_itself_admin(principal)

    def _arn(self, resource: Resource) -> str:
        target = self._targets.get(resource.id)
        return target.arn if target is not None else iam_arn(resource)

    def members(self, group: Resource) -> list[Resource]:
        return list(self._members.get(group.id, ()))

    def groups_of(self, user: Resource) -> list[Resource]:
        return list(self._groups_of.get(user.id, ()))

    # -- steps -----------------------------------------------------------------------------
    def steps_from(self, principal: Resource) -> list[Step]:
        if self._steps is None:
            self._build()
        assert self._steps is not None
        return self._steps.get(principal.id, [])

    def maybe(self, principal: Resource) -> list[Maybe]:
        if self._steps is None:
            self._build()
        return self._maybe.get(principal.id, [])

    def trust_notes(self, role: Resource) -> list[tuple[Any, str]]:
        if self._steps is None:
            self._build()
        return self._trust_notes.get(role.id, [])

    def _build(self) -> None:
        self._steps = {}
        assume = self._assume_steps()
        for principal in self.principals:
            self._steps[principal.id] = list(assume.get(principal.id, ()))
        for principal in self.principals:
            if self.is_admin(principal):
                continue  # nothing to escalate to
            found: list[Step] = []
            for item in methods():
                found.extend(self._method_steps(principal, item, assume.get(principal.id, ())))
            if self.is_admin(principal, conditional=True):
                # already an administrator under the same conditions: only an unconditional
                # step is a way up (out of the condition)
                found = [step for step in found if not step.conditional]
            self._steps[principal.id].extend(found)

    # -- sts:AssumeRole --------------------------------------------------------------------
    def _assume_steps(self) -> dict[str, list[Step]]:
        out: dict[str, list[Step]] = {}
        for role in self.roles:
            admitted = self._trusted(role)
            if not admitted:
                continue
            target = self._targets[role.id]
            principals = self.deployed_with(role, "principals")
            if all(ids is not None for _, ids, _, _ in admitted):  # only named principals: just those
                named_ids = set().union(*(ids for _, ids, _, _ in admitted if ids is not None))
                if len(named_ids) < len(principals):
                    position = self._position(role.scope)
                    principals = sorted(
                        (self.graph.get(i) for i in named_ids if i in position), key=lambda p: position[p.id]
                    )
            for principal in principals:
                if principal.id == role.id:
                    continue
                for stmt, ids, named, guards in admitted:
                    if ids is not None and principal.id not in ids:
                        continue
                    step = self._assume_step(principal, role, target, stmt, named, guards)
                    if step is not None:
                        out.setdefault(principal.id, []).append(step)
                        break
        return out

    def _trusted(self, role: Resource) -> list[tuple[Statement, set[str] | None, bool, list[str]]]:
        """Trust statements that allow sts:AssumeRole to AWS principals: (statement, ids of the
        principals it admits or None for every principal of the account, whether it names them
        (then they need no identity grant), guards)."""
        out = []
        for doc in self.graph.policies_of(role):
            if doc.kind != TRUST:
                continue
            if doc.unknown is not None:
                self._trust_notes.setdefault(role.id, []).append(
                    (doc, f"the trust policy could not be read ({describe_unknown(doc.unknown)})")
                )
                continue
            for stmt in doc.statements:
                if not stmt.allows or not statement_covers_action(stmt, "sts:AssumeRole"):
                    continue
                principal = stmt.principal
                if principal is None:
                    continue
                explicit: set[str] = set()
                account = principal.wildcard
                literal_accounts: list[str] = []  # accounts named by number, not as "this account"
                for value in principal.aws:
                    kind, ids = self._trust_entry(value)
                    if kind == "account":
                        number = _literal_account(value)
                        if number is None:
                            account = True
                        else:
                            literal_accounts.append(number)
                    elif kind == "principals":
                        explicit |= ids
                if literal_accounts and not account:
                    account = True
                    literal_guard = (
                        f"only if account {', '.join(dict.fromkeys(literal_accounts))} is the one these "
                        "principals are in (the code does not say)"
                    )
                else:
                    literal_guard = None
                unknown = stmt.unknown_in("Principal")
                if unknown is not None and not account and not explicit:
                    self._trust_notes.setdefault(role.id, []).append(
                        (stmt, f"who the trust policy admits is not known ({describe_unknown(unknown)})")
                    )
                if not account and not explicit:
                    continue
                guards = [g.summary for g in allow_guards(stmt) if not _is_principal_condition(g.text)]
                if literal_guard is not None:
                    guards.append(literal_guard)
                admitted: set[str] | None = None if account else explicit
                restricted = _principal_condition(stmt)
                if restricted is not None:
                    allowed = {p.id for p in self.principals if _matches_any(restricted, self._targets[p.id])}
                    admitted = allowed if admitted is None else admitted & allowed
                out.append((stmt, admitted, not account, guards))
        return out

    def _trust_entry(self, value: Any) -> tuple[str, set[str]]:
        ref = getattr(value, "ref", None)
        if ref is not None:
            target = self.graph.get(ref[0])
            if target is not None and target.type in ROLE_TYPES + USER_TYPES:
                return "principals", {target.id}
            if target is not None and target.type in ("aws_caller_identity",):
                return "account", set()
        if not isinstance(value, str):
            return "unknown", set()
        text = str(value)
        if text == "*" or re.fullmatch(r"\d{12}|\$\{AWS::AccountId\}", text):
            return "account", set()
        parts = split_arn(text)
        if parts is not None:
            resource = parts[5]
            if resource == "root":
                return "account", set()
            kind, _, rest = resource.partition("/")
            if kind == "assumed-role":
                kind, rest = "role", rest.split("/", 1)[0]
            name = rest.rsplit("/", 1)[-1]
            pool = self.roles if kind == "role" else self.users if kind == "user" else []
            ids = {p.id for p in pool if resource_name(p) == name or iam_arn(p).endswith("/" + name)}
            if "*" in name:
                ids = {p.id for p in pool if fnmatch.fnmatchcase(resource_name(p) or UNKNOWN_PART, name)}
            return "principals", ids
        return "unknown", set()

    def _assume_step(
        self,
        principal: Resource,
        role: Resource,
        target: Target,
        trust: Statement,
        explicit: bool,
        trust_guards: list[str],
    ) -> Step | None:
        perms = self.permissions(principal)
        supports: list[Support] = []
        if perms.has_action("sts:AssumeRole"):
            grants = perms.grants_for("sts:AssumeRole", target)
            supports = [Support("sts:AssumeRole", g, _guard_texts(g)) for g in _best(grants)]
        if not supports:
            if not explicit or principal.type in GROUP_TYPES:
                return None
            # the trust policy names the caller: no identity grant needed in the same account,
            # but an unconditional Deny still blocks it (and, for a role, its boundary)
            if _denied(perms, "sts:AssumeRole", target):
                return None
            if principal.type in ROLE_TYPES and not perms.within_boundary("sts:AssumeRole", target):
                return None
        return Step(
            principal,
            role,
            None,
            supports=supports,
            trust=trust,
            on=role.address,
            guards=list(trust_guards),
        )

    def assumable(self, principal: Resource) -> list[Resource]:
        return [s.target for s in self.steps_from(principal) if s.method is None and s.target is not None]

    # -- methods ---------------------------------------------------------------------------
    def _method_steps(self, principal: Resource, item: Method, assume: Iterable[Step]) -> list[Step]:
        perms = self.permissions(principal)
        for req in item.requires:
            if not any(perms.has_action(a) for a in req.actions):
                return []
        side: list[Support] = []
        for req in item.requires:
            if req.on != "any":
                continue
            support = _any_grant(perms, req.actions)
            if support is None:
                return []
            side.append(support)
        req = item.target_requirement
        steps: list[Step] = []
        for target_principal, via, resource, on in self._candidates(principal, req, assume):
            if item.makes_admin and req.on != "own-boundary" and self._capped(target_principal):
                continue  # new policies cannot take it past its permission boundary
            supports = self._supports(perms, req, resource, target_principal)
            if not supports:
                continue
            steps.append(Step(principal, target_principal, item, supports=supports + side, via=via, on=on))
        broad = self._broad(principal, perms, req)
        if broad:
            steps.append(Step(principal, None, item, supports=broad + side, on=_broad_words(req), broad=True))
        if not steps and req.on in PRINCIPAL_KINDS + COMPUTE_KINDS:
            self._maybe_unknown(principal, perms, item, req)
        return steps

    def _capped(self, principal: Resource) -> bool:
        """Does a known permission boundary keep the principal below administrator access?"""
        perms = self.permissions(principal)
        if not perms.boundaries or any(b.document.unknown is not None for b in perms.boundaries):
            return False
        return not perms.within_boundary("*", "*")

    def _supports(
        self, perms: Permissions, req: Requirement, resource: Target, target: Resource | None
    ) -> list[Support]:
        for action in req.actions:
            if not perms.has_action(action):
                continue
            if not _action_fits(self.catalog, action, resource):
                continue
            key = (id(perms), action, resource)
            grants = self._grants.get(key)
            if grants is None:
                grants = self._grants[key] = perms.grants_for(action, resource)
            if req.service:
                grants = [g for g in grants if _passes_to(g, req.service)]
            if grants:
                return [Support(action, g, _guard_texts(g)) for g in _best(grants)]
        return []

    def _candidates(
        self, principal: Resource, req: Requirement, assume: Iterable[Step]
    ) -> list[tuple[Resource, Resource | None, Target, str]]:
        """(principal reached or made administrator, resource gone through, resource the
        action applies to, words) for the requirement's kind."""
        kind = req.on
        out: list[tuple[Resource, Resource | None, Target, str]] = []
        is_user = principal.type in USER_TYPES
        is_group = principal.type in GROUP_TYPES
        is_role = principal.type in ROLE_TYPES
        own_name = resource_name(principal) or UNKNOWN_PART if is_user else "\x01"
        if kind == "own-policy":
            perms = self.permissions(principal)
            seen: set[str] = set()
            for attached in perms.attached:
                doc = attached.document
                if doc.via != "managed" or doc.holder.id in seen:
                    continue
                seen.add(doc.holder.id)
                target = Target(iam_arn(doc.holder), doc.holder.id, (("aws:username", own_name),))
                out.append((principal, doc.holder, target, f"{doc.holder.address}, attached to it"))
        elif kind == "self-user":
            actors = [principal] if is_user else self.members(principal) if is_group else []
            for user in actors:
                name = resource_name(user) or UNKNOWN_PART
                target = Target(self._arn(user), user.id, (("aws:username", name),))
                out.append((user, None, target, user.address if user is principal else f"member {user.address}"))
            if is_group and not actors:
                unknown = Target(f"arn:aws:iam::${{AWS::AccountId}}:user/{UNKNOWN_PART}", None)
                unknown = Target(unknown.arn, None, (("aws:username", UNKNOWN_PART),))
                out.append((principal, None, unknown, "its members"))
        elif kind == "own-group":
            groups = self.groups_of(principal) if is_user else [principal] if is_group else []
            for group in groups:
                target = Target(self._arn(group), group.id, (("aws:username", own_name),))
                out.append((group, None, target, group.address if group is not principal else "itself"))
        elif kind == "own-role":
            roles = ([principal] if is_role else []) + [s.target for s in assume if s.target is not None]
            for role in roles:
                target = Target(self._arn(role), role.id, (("aws:username", own_name),))
                out.append(
                    (role, None, target, "itself" if role is principal else f"{role.address}, which it can assume")
                )
        elif kind == "own-boundary":
            perms = self.permissions(principal)
            if perms.boundaries and (is_role or is_user):
                unbounded = perms.without_boundary()
                if any(not g.guards for g in unbounded.admin_grants()):
                    target = Target(self._arn(principal), principal.id, (("aws:username", own_name),))
                    out.append((principal, None, target, "itself"))
        elif kind == "group":
            if is_user or is_group:
                for group in self.deployed_with(principal, "groups"):
                    if group is principal or (is_user and group in self.groups_of(principal)):
                        continue
                    target = Target(self._arn(group), group.id, (("aws:username", own_name),))
                    out.append((group, None, target, group.address))
        elif kind == "user":
            for user in self.deployed_with(principal, "users"):
                if user is principal or (is_group and user in self.members(principal)):
                    continue
                target = Target(self._arn(user), user.id, (("aws:username", own_name),))
                out.append((user, None, target, user.address))
        elif kind == "role":
            for role in self.deployed_with(principal, "roles"):
                if role is principal:
                    continue
                target = Target(self._arn(role), role.id, (("aws:username", own_name),))
                out.append((role, None, target, role.address))
        elif kind == "passed-role":
            for role in self._roles_trusting(principal.scope, req.service or ""):
                if role is principal:
                    continue
                target = Target(self._arn(role), role.id, (("aws:username", own_name),))
                out.append((role, None, target, role.address))
        elif kind in COMPUTE_KINDS:
            for resource, role, target in self.compute(kind):
                if role is principal or not same_deployment(principal, resource):
                    continue
                out.append((role, resource, target, f"{resource.address}, which runs as {role.address}"))
        return out

    def _broad(self, principal: Resource, perms: Permissions, req: Requirement) -> list[Support]:
        """Grants of the requirement's action on any resource of its kind, including ones that
        are not in the code (``*``, ``role/*``)."""
        arn = _BROAD_ARNS.get(req.on)
        if arn is None:
            return []
        if req.on == "group" and principal.type in ROLE_TYPES:
            return []
        target = Target(arn, None, (("aws:username", "\x01"),))
        for action in req.actions:
            if not perms.has_action(action):
                continue
            if req.on in ("user", "role", "group", "passed-role") and not _kind_fits(self.catalog, action, req.on):
                continue
            grants = perms.grants_for(action, target)
            if req.service:
                grants = [g for g in grants if _passes_to(g, req.service)]
            if grants:
                return [Support(action, g, _guard_texts(g)) for g in _best(grants)]
        return []

    def _maybe_unknown(self, principal: Resource, perms: Permissions, item: Method, req: Requirement) -> None:
        for stmt, _ in perms.statements("Allow"):
            unknown = stmt.unknown_in("Resource")
            if unknown is None or stmt.resource_patterns:
                continue
            if any(statement_covers_action(stmt, a) for a in req.actions):
                self._maybe.setdefault(principal.id, []).append(Maybe(principal, item, stmt, describe_unknown(unknown)))
                return

    def _roles_trusting(self, scope: str, service: str) -> list[Resource]:
        """Roles of a deployment that ``service`` may assume, in order; once per deployment and service
        (every principal that may pass roles asks for them)."""
        key = (scope, service)
        found = self._trusting.get(key)
        if found is None:
            roles = self._deployment.get(scope, {}).get("roles", [])
            found = self._trusting[key] = [role for role in roles if self._trusts_service(role, service)]
        return found

    def _trusts_service(self, role: Resource, service: str) -> bool:
        """Does the role's trust policy let ``service`` assume it? Unknown trust: assume it does."""
        key = (role.id, service)
        if key not in self._service_trust:
            self._service_trust[key] = self._trusts_service_uncached(role, service)
        return self._service_trust[key]

    def _trusts_service_uncached(self, role: Resource, service: str) -> bool:
        docs = [d for d in self.graph.policies_of(role) if d.kind == TRUST]
        if not docs:
            return True
        for doc in docs:
            if doc.unknown is not None:
                return True
            for stmt in doc.statements:
                if not stmt.allows or not statement_covers_action(stmt, "sts:AssumeRole") or stmt.principal is None:
                    continue
                if stmt.principal.wildcard:
                    return True
                for value in stmt.principal.services:
                    if isinstance(value, str) and fnmatch.fnmatchcase(str(value).lower(), service):
                        return True
                if stmt.unknown_in("Principal") is not None:
                    return True
        return False

    # -- existing compute ------------------------------------------------------------------
    def compute(self, kind: str) -> list[tuple[Resource, Resource, Target]]:
        """(compute resource, role it runs as, its ARN) for functions, instances, ... in the code."""
        if self._compute is None:
            self._compute = _find_compute(self.graph)
        return self._compute.get(kind, [])

    # -- paths -----------------------------------------------------------------------------
    def paths_from(self, start: Resource) -> list[Path]:
        """Shortest paths from ``start`` to administrator access, one per administrator reached,
        shortest first. Paths over unconditional steps are preferred; a conditional path is
        kept only for an administrator no unconditional path reaches."""
        if start.id in self._paths:
            return self._paths[start.id]
        found: dict[str, Path] = {}
        for allow_conditional in (False, True):
            for path in self._search(start, allow_conditional):
                last = path.steps[-1].target
                key = path.admin.id if path.admin is not None else f"{last.id if last else ''}#admin"
                if key not in found:
                    found[key] = path
        result = sorted(found.values(), key=lambda p: (p.conditional, p.length, p.signature))
        self._paths[start.id] = result
        return result

    def _search(self, start: Resource, allow_conditional: bool) -> list[Path]:
        if self.is_admin(start):
            return []
        out: list[Path] = []
        seen = {start.id}
        queue: deque[tuple[Resource, list[Step]]] = deque([(start, [])])
        while queue:
            node, path = queue.popleft()
            for step in self.steps_from(node):
                if step.broad or step.target is None:
                    continue
                if step.conditional and not allow_conditional:
                    continue
                route = [*path, step]
                if step.makes_admin:
                    out.append(Path(start, route, None))
                    continue
                target = step.target
                if target.id in seen:
                    continue
                seen.add(target.id)
                if self.is_admin(target):
                    out.append(Path(start, route, target))
                    continue
                if allow_conditional and self.is_admin(target, conditional=True):
                    guards = [g for grant in self.admin_grants(target) for g in _guard_texts(grant)]
                    out.append(Path(start, route, target, list(dict.fromkeys(guards))))
                    continue
                queue.append((target, route))
        return out


# -- helpers --------------------------------------------------------------------------------
_BROAD_ARNS = {
    "user": f"arn:aws:iam::${{AWS::AccountId}}:user/{UNKNOWN_PART}",
    "group": f"arn:aws:iam::${{AWS::AccountId}}:group/{UNKNOWN_PART}",
    "role": f"arn:aws:iam::${{AWS::AccountId}}:role/{UNKNOWN_PART}",
    "passed-role": f"arn:aws:iam::${{AWS::AccountId}}:role/{UNKNOWN_PART}",
    "own-policy": f"arn:aws:iam::${{AWS::AccountId}}:policy/{UNKNOWN_PART}",
    "function": f"arn:aws:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{UNKNOWN_PART}",
    "instance": f"arn:aws:ec2:${{AWS::Region}}:${{AWS::AccountId}}:instance/{UNKNOWN_PART}",
    "dev-endpoint": f"arn:aws:glue:${{AWS::Region}}:${{AWS::AccountId}}:devEndpoint/{UNKNOWN_PART}",
    "notebook": f"arn:aws:sagemaker:${{AWS::Region}}:${{AWS::AccountId}}:notebook-instance/{UNKNOWN_PART}",
    "build-project": f"arn:aws:codebuild:${{AWS::Region}}:${{AWS::AccountId}}:project/{UNKNOWN_PART}",
}

_BROAD_WORDS = {
    "user": "any user",
    "group": "any group",
    "role": "any role",
    "passed-role": "any role",
    "own-policy": "any managed policy",
    "function": "any Lambda function",
    "instance": "any EC2 instance",
    "dev-endpoint": "any Glue development endpoint",
    "notebook": "any SageMaker notebook instance",
    "build-project": "any CodeBuild project",
}


def same_deployment(a: Resource, b: Resource) -> bool:
    """Whether two resources are deployed together (one Terraform root module, one template, one
    plan). Separate deployments may be separate accounts, so the analysis never connects them."""
    return a.scope == b.scope


def _broad_words(req: Requirement) -> str:
    return _BROAD_WORDS.get(req.on, "any resource")


def _guard_texts(grant: Grant) -> list[str]:
    out = []
    for guard in grant.guards:
        if _is_service_condition(guard.text):
            continue
        out.append(guard.summary)
    if grant.when:
        out.append(f"deployed only {grant.when}")
    return out


def _best(grants: list[Grant]) -> list[Grant]:
    """The grant to report: an unconditional one if there is one."""
    plain = [g for g in grants if not _guard_texts(g)]
    return [plain[0]] if plain else grants[:1]


def _any_grant(perms: Permissions, actions: tuple[str, ...]) -> Support | None:
    """A grant of one of ``actions`` on any resource (the caller names the resource it creates)."""
    for action in actions:
        if not perms.has_action(action):
            continue
        grants = perms.grants_for(action, "*")
        if not grants:
            for stmt, _ in perms.statements("Allow"):
                if not statement_covers_action(stmt, action):
                    continue
                for pattern in stmt.resource_patterns:
                    grants = perms.grants_for(action, pattern)
                    if grants:
                        break
                if grants:
                    break
        if grants:
            best = _best(grants)[0]
            return Support(action, best, _guard_texts(best))
    return None


def _denied(perms: Permissions, action: str, target: Target) -> bool:
    from iamready.iam.effective import statement_covers_resource

    for stmt, _ in perms.statements("Deny"):
        if stmt.conditions:
            continue
        if statement_covers_action(stmt, action) and statement_covers_resource(stmt, target, deny=True):
            return True
    return False


def _literal_account(value: Any) -> str | None:
    """The account number a trust principal names literally (``111122223333``,
    ``arn:aws:iam::111122223333:root``); None for "this account" and for ``*``."""
    if not isinstance(value, str) or getattr(value, "ref", None) is not None:
        return None
    text = str(value)
    if re.fullmatch(r"\d{12}", text):
        return text
    parts = split_arn(text)
    if parts is not None and parts[5] == "root" and re.fullmatch(r"\d{12}", parts[4]):
        return parts[4]
    return None


_SERVICE_KEY = "iam:passedtoservice"


def _is_service_condition(text: str) -> bool:
    return text.lower().split(" (")[0].endswith(_SERVICE_KEY)


def _passes_to(grant: Grant, service: str) -> bool:
    """Does an ``iam:PassedToService`` condition on the grant allow passing to ``service``?"""
    for cond in grant.statement.conditions:
        if cond.key_lower != _SERVICE_KEY:
            continue
        values = [v.lower() for v in cond.string_values]
        if not values:
            continue
        hit = any(fnmatch.fnmatchcase(service, v) for v in values)
        if cond.negated and hit:
            return False
        if not cond.negated and not hit:
            return False
    return True


_PRINCIPAL_KEYS = ("aws:principalarn",)


def _is_principal_condition(text: str) -> bool:
    return text.lower().split(" (")[0].endswith(_PRINCIPAL_KEYS)


def _principal_condition(stmt: Statement) -> list[str] | None:
    """ARN patterns an ``aws:PrincipalArn`` condition restricts a trust statement to."""
    for cond in stmt.conditions:
        if cond.key_lower in _PRINCIPAL_KEYS and not cond.negated and not cond.set_operator:
            return cond.string_values
    return None


def _matches_any(patterns: list[str], target: Target) -> bool:
    from iamready.iam.effective import arn_matches

    return any(arn_matches(p, target) for p in patterns)


_KIND_RESOURCE = {"user": "user", "group": "group", "role": "role", "passed-role": "role"}


def _kind_fits(catalog: Catalog | None, action: str, kind: str) -> bool:
    if catalog is None:
        return True
    info = catalog.info(action)
    if info is None or not info.resource_types:
        return True
    return _KIND_RESOURCE.get(kind, kind) in info.resource_types


def _action_fits(catalog: Catalog | None, action: str, resource: Target) -> bool:
    """Does an IAM action apply to the resource's type (iam:DeleteRolePermissionsBoundary to
    roles, not to users)?"""
    if catalog is None or not action.lower().startswith("iam:") or ":iam::" not in resource.arn:
        return True
    info = catalog.info(action)
    if info is None or not info.resource_types:
        return True
    parts = split_arn(resource.arn)
    kind = parts[5].split("/", 1)[0] if parts else ""
    return kind in info.resource_types


# compute kind -> ARN of one resource of that kind
_COMPUTE_ARNS = {
    "function": "arn:aws:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}",
    "instance": "arn:aws:ec2:${{AWS::Region}}:${{AWS::AccountId}}:instance/{name}",
    "dev-endpoint": "arn:aws:glue:${{AWS::Region}}:${{AWS::AccountId}}:devEndpoint/{name}",
    "notebook": "arn:aws:sagemaker:${{AWS::Region}}:${{AWS::AccountId}}:notebook-instance/{name}",
    "build-project": "arn:aws:codebuild:${{AWS::Region}}:${{AWS::AccountId}}:project/{name}",
}

# compute kind -> [(resource type, attribute naming its role or instance profile, name attribute)]
_COMPUTE_TYPES: dict[str, list[tuple[str, str, str]]] = {
    "function": [
        ("aws_lambda_function", "role", "function_name"),
        ("AWS::Lambda::Function", "Role", "FunctionName"),
        ("AWS::Serverless::Function", "Role", "FunctionName"),
    ],
    "instance": [
        ("aws_instance", "iam_instance_profile", ""),
        ("AWS::EC2::Instance", "IamInstanceProfile", ""),
    ],
    "dev-endpoint": [
        ("aws_glue_dev_endpoint", "role_arn", "name"),
        ("AWS::Glue::DevEndpoint", "RoleArn", "EndpointName"),
    ],
    "notebook": [
        ("aws_sagemaker_notebook_instance", "role_arn", "name"),
        ("AWS::SageMaker::NotebookInstance", "RoleArn", "NotebookInstanceName"),
    ],
    "build-project": [
        ("aws_codebuild_project", "service_role", "name"),
        ("AWS::CodeBuild::Project", "ServiceRole", "Name"),
    ],
}

_PROFILE_TYPES = ("aws_iam_instance_profile", "AWS::IAM::InstanceProfile")


def _find_compute(graph: Graph) -> dict[str, list[tuple[Resource, Resource, Target]]]:
    from iamready.aws.links import Linker

    linker = Linker(graph)
    out: dict[str, list[tuple[Resource, Resource, Target]]] = {}
    for kind, specs in _COMPUTE_TYPES.items():
        template = _COMPUTE_ARNS[kind]
        for rtype, role_attr, name_attr in specs:
            for resource in graph.resources(rtype):
                value = resource.attr(role_attr).raw
                if kind == "instance":
                    roles: list[Resource] = []
                    for profile in linker.targets(resource, value, _PROFILE_TYPES, same_scope=False):
                        attr = "role" if profile.type == "aws_iam_instance_profile" else "Roles"
                        roles.extend(linker.targets(profile, profile.attr(attr).raw, ROLE_TYPES, same_scope=False))
                else:
                    roles = linker.targets(resource, value, ROLE_TYPES, same_scope=False)
                name = known_text(resource.attr(name_attr).raw) if name_attr else None
                arn = template.format(name=name or UNKNOWN_PART)
                for role in roles:
                    out.setdefault(kind, []).append((resource, role, Target(arn, resource.id)))
    return out


# -- what the rules report -------------------------------------------------------------------
@dataclass
class Escalation:
    """One method by which one principal can reach administrator access in a single step."""

    principal: Resource
    method: Method
    steps: list[Step]
    analysis: EscalationAnalysis

    @property
    def conditional(self) -> bool:
        return all(step.conditional for step in self.steps)

    @property
    def guards(self) -> list[str]:
        chosen = [s for s in self.steps if not s.conditional] or self.steps
        out: list[str] = []
        for step in chosen:
            out.extend(step.all_guards)
        return list(dict.fromkeys(out))

    @property
    def primary(self) -> Statement:
        for step in sorted(self.steps, key=lambda s: (s.conditional, not s.broad)):
            if step.primary is not None:
                return step.primary
        raise ValueError("an escalation without a statement")

    def describe(self) -> str:
        """``pass a role to a new EC2 instance (iam:PassRole + ec2:RunInstances on any role,
        including aws_iam_role.admin (an administrator))``"""
        steps = sorted(self.steps, key=lambda s: (s.conditional, not s.broad))
        actions = " + ".join(dict.fromkeys(sup.action for sup in steps[0].supports))
        broad = [s.on for s in steps if s.broad or s.makes_admin]
        named = []
        for step in steps:
            if step.broad or step.makes_admin or step.target is None:
                continue
            what = (
                self.analysis.admin_words(step.target)
                if self.analysis.is_admin(step.target)
                else "it can make itself administrator"
            )
            via = f"{step.via.address}, which runs as " if step.via is not None else ""
            named.append(f"{via}{step.target.address} ({what})")
        named = list(dict.fromkeys(named))
        if broad and named:
            where = f"{', '.join(dict.fromkeys(broad))}, including {', '.join(named)}"
        else:
            where = ", ".join(dict.fromkeys(broad + named))
        return f"{self.method.title} ({actions} on {where})"

    def related(self) -> list[tuple[Statement, str]]:
        out: list[tuple[Statement, str]] = []
        primary = self.primary
        seen = {id(primary)}
        for step in self.steps:
            for support in step.supports:
                if id(support.statement) in seen:
                    continue
                seen.add(id(support.statement))
                out.append((support.statement, f"{support.action} is granted here ({support.grant.via})"))
        return out


def single_escalations(analysis: EscalationAnalysis, principal: Resource, category: str) -> list[Escalation]:
    """Methods of ``category`` by which ``principal`` reaches administrator access in one step:
    it writes its own permissions, or it becomes an administrator in the code, or the method
    reaches principals outside the code (a wildcard resource). A user whose method rests only on
    one of its groups is left to that group's finding."""
    by_method: dict[str, list[Step]] = {}
    for step in analysis.steps_from(principal):
        if step.method is None or step.method.category != category:
            continue
        if not (step.makes_admin or step.broad or (step.target is not None and analysis.privileged(step.target))):
            continue
        by_method.setdefault(step.method.id, []).append(step)
    out = []
    for item in methods():
        steps = by_method.get(item.id)
        if not steps:
            continue
        if principal.type in USER_TYPES and _only_through_group(analysis, principal, item, steps, category):
            continue
        out.append(Escalation(principal, item, steps, analysis))
    return out


def _only_through_group(
    analysis: EscalationAnalysis, user: Resource, item: Method, steps: list[Step], category: str
) -> bool:
    for group in analysis.groups_of(user):
        prefix = f"group {group.address}: "
        through_group = all(sup.grant.via.startswith(prefix) for step in steps for sup in step.supports)
        if through_group and any(e.method.id == item.id for e in single_escalations(analysis, group, category)):
            return True
    return False


def direct_escalation(analysis: EscalationAnalysis, principal: Resource, conditional: bool) -> bool:
    """Can ``principal`` reach administrator access in one step (a method or assuming an
    administrator role)? With ``conditional`` False, only unconditional steps count."""
    for step in analysis.steps_from(principal):
        if step.conditional and not conditional:
            continue
        if step.makes_admin or (step.broad and step.method is not None):
            return True
        if step.target is None:
            continue
        if step.method is None and analysis.is_admin(step.target):
            return True  # assuming an administrator role: a delegation the trust policy states
        if step.method is not None and analysis.privileged(step.target):
            return True  # reported by the single-method rules
    return False


def reported_paths(analysis: EscalationAnalysis, principal: Resource) -> list[Path]:
    """Multi-step paths worth a finding: two steps or more, from a principal that has no shorter
    way (a one-step escalation is reported by the single-method rules; assuming an administrator
    role directly is a delegation anyone can read in the trust policy). A conditional path is
    kept only when nothing unconditional reaches administrator access. A user whose path starts
    with a grant of one of its groups is left to the group's finding."""
    if analysis.is_admin(principal):
        return []
    paths = [p for p in analysis.paths_from(principal) if p.length >= 2]
    if not paths:
        return []
    out = []
    unconditional = [p for p in paths if not p.conditional]
    if unconditional:
        if not direct_escalation(analysis, principal, conditional=False):
            out = unconditional
    elif not direct_escalation(analysis, principal, conditional=True):
        out = paths
    if principal.type in USER_TYPES and out:
        out = [p for p in out if not _path_through_group(analysis, principal, p)]
    return out


def _path_through_group(analysis: EscalationAnalysis, user: Resource, path: Path) -> bool:
    first = path.steps[0]
    if not first.supports:
        return False
    for group in analysis.groups_of(user):
        prefix = f"group {group.address}: "
        if all(sup.grant.via.startswith(prefix) for sup in first.supports):
            rest = path.signature
            if any(p.signature == rest for p in reported_paths(analysis, group)):
                return True
    return False


def escalation_findings(ctx: Any, principal: Resource, category: str) -> Iterator[Any]:
    """The findings of a single-method escalation rule: one per principal, naming every method of
    ``category`` it has (high severity; medium when every way is conditional), and an
    Unresolved note where a grant's resource is not known."""
    from iamready.rule import Finding, Severity, Unresolved

    analysis: EscalationAnalysis = ctx.escalation
    found = single_escalations(analysis, principal, category)
    if found:
        unconditional = [e for e in found if not e.conditional]
        chosen = unconditional or found
        first = chosen[0]
        ways = "; ".join(e.describe() for e in chosen)
        message = f"can escalate to administrator: {ways}"
        severity = None
        if not unconditional:
            conditions = "; ".join(dict.fromkeys(g for e in found for g in e.guards))
            message += f" (conditional: {conditions})"
            severity = Severity.MEDIUM
        related = [(e.primary, f"{e.method.id}: {e.method.description}") for e in chosen[1:]]
        for item in chosen:
            related.extend(item.related())
        yield Finding(
            message,
            at=first.primary,
            resource=principal,
            key=f"escalation:{category}",
            severity=severity,
            related=related,
            properties={
                "methods": [e.method.id for e in chosen],
                "references": list(dict.fromkeys(e.method.reference for e in chosen)),
            },
        )
        return
    seen: set[str] = set()
    for maybe in analysis.maybe(principal):
        if maybe.method.category != category or maybe.method.id in seen:
            continue
        seen.add(maybe.method.id)
        yield Unresolved(
            f"whether it can {maybe.method.title} is not known: the resource of "
            f"{'/'.join(maybe.method.target_requirement.actions)} is not known ({maybe.reason})",
            at=maybe.statement,
            resource=principal,
        )


def path_message(analysis: EscalationAnalysis, path: Path) -> str:
    """``can become administrator in 2 steps: 1. assume ...; 2. as aws_iam_role.x, ...``"""
    parts = []
    for index, step in enumerate(path.steps, start=1):
        actor = "" if step.source is path.source else f"as {step.source.address}, "
        parts.append(f"{index}. {actor}{step.describe()}")
    if path.admin is not None:
        end = f"; {path.admin.address} is {analysis.admin_words(path.admin)}"
    else:
        last = path.steps[-1]
        end = f", which makes {last.target.address if last.target else 'it'} an administrator"
    text = f"can become administrator in {path.length} steps: {'; '.join(parts)}{end}"
    if path.conditional:
        text += f" (conditional: {'; '.join(path.guards)})"
    return text


def path_flow(analysis: EscalationAnalysis, path: Path) -> list[tuple[Statement, str]]:
    """Every hop's policy lines, in order: the caller's grants, the trust statement that lets it
    in, and the administrator grant at the end (SARIF ``codeFlows``)."""
    flow: list[tuple[Statement, str]] = []
    for index, step in enumerate(path.steps, start=1):
        who = step.source.address
        for support in step.supports:
            flow.append((support.statement, f"step {index}: {who} is allowed {support.action} ({support.grant.via})"))
        if step.trust is not None and step.target is not None:
            flow.append((step.trust, f"step {index}: the trust policy of {step.target.address} lets {who} in"))
    if path.admin is not None:
        grants = analysis.admin_grants(path.admin)
        if grants:
            grant = sorted(grants, key=lambda g: bool(g.guards))[0]
            flow.append(
                (grant.statement, f"{path.admin.address} is allowed every action on every resource ({grant.via})")
            )
    return flow
