"""What a method's key requirement can be used on, by kind: the caller's own policies, user,
groups, roles and boundary; other principals; roles passed to a service; existing compute.

Each kind is one small function ``(analysis, principal, requirement, assume steps) -> candidates``
in :data:`CANDIDATES`, and, when a grant on any resource of the kind reaches resources outside the
code, an ARN and words in :data:`BROAD`. Compute kinds come from the data in
:mod:`iamready.iam.escalation.compute`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from iamready.iam.effective import UNKNOWN_PART, Permissions, Target, iam_arn, resource_name
from iamready.iam.escalation.compute import COMPUTE, ROLE_TYPES
from iamready.iam.escalation.trust import USER_TYPES

if TYPE_CHECKING:
    from iamready.iam.escalation.analysis import EscalationAnalysis
    from iamready.iam.escalation.catalogue import Requirement
    from iamready.iam.escalation.steps import Step
    from iamready.model.graph import Resource

GROUP_TYPES = ("aws_iam_group", "AWS::IAM::Group")

# (principal reached or made administrator, resource gone through, resource the action applies to, words)
Candidate = tuple["Resource", "Resource | None", Target, str]
Finder = Callable[["EscalationAnalysis", "Resource", "Requirement", "Iterable[Step]"], list[Candidate]]

# kind -> (ARN of any resource of the kind, including ones not in the code; the same in words)
BROAD: dict[str, tuple[str, str]] = {
    "user": (f"arn:aws:iam::${{AWS::AccountId}}:user/{UNKNOWN_PART}", "any user"),
    "group": (f"arn:aws:iam::${{AWS::AccountId}}:group/{UNKNOWN_PART}", "any group"),
    "role": (f"arn:aws:iam::${{AWS::AccountId}}:role/{UNKNOWN_PART}", "any role"),
    "passed-role": (f"arn:aws:iam::${{AWS::AccountId}}:role/{UNKNOWN_PART}", "any role"),
    "own-policy": (f"arn:aws:iam::${{AWS::AccountId}}:policy/{UNKNOWN_PART}", "any managed policy"),
    "new-role": (f"arn:aws:iam::${{AWS::AccountId}}:role/{UNKNOWN_PART}", "a new role it creates"),
    "new-user": (f"arn:aws:iam::${{AWS::AccountId}}:user/{UNKNOWN_PART}", "a new user it creates"),
    **{kind: (spec.broad_arn, spec.words) for kind, spec in COMPUTE.items()},
}


def broad_arn(kind: str) -> str | None:
    found = BROAD.get(kind)
    return found[0] if found is not None else None


def broad_words(kind: str) -> str:
    found = BROAD.get(kind)
    return found[1] if found is not None else "any resource"


def same_deployment(a: Resource, b: Resource) -> bool:
    """Whether two resources are deployed together (one Terraform root module, one template, one
    plan). Separate deployments may be separate accounts, so the analysis never connects them."""
    return a.scope == b.scope


def candidates(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    """The candidates of the requirement's kind (none for ``any``)."""
    finder = CANDIDATES.get(req.on)
    if finder is None and req.on in COMPUTE:
        finder = _compute
    return finder(analysis, principal, req, assume) if finder is not None else []


def _own_name(principal: Resource) -> str:
    """The caller's user name (``aws:username``); a value nothing matches for a group or role."""
    return resource_name(principal) or UNKNOWN_PART if principal.type in USER_TYPES else "\x01"


def _target(analysis: EscalationAnalysis, resource: Resource, username: str) -> Target:
    return Target(analysis.arn(resource), resource.id, (("aws:username", username),))


def _own_policy(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    out: list[Candidate] = []
    own_name = _own_name(principal)
    perms = analysis.permissions(principal)
    seen: set[str] = set()
    for attached in perms.attached:
        doc = attached.document
        if doc.via != "managed" or doc.holder.id in seen:
            continue
        seen.add(doc.holder.id)
        target = Target(iam_arn(doc.holder), doc.holder.id, (("aws:username", own_name),))
        out.append((principal, doc.holder, target, f"{doc.holder.address}, attached to it"))
    return out


def _self_user(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    out: list[Candidate] = []
    is_user = principal.type in USER_TYPES
    is_group = principal.type in GROUP_TYPES
    actors = [principal] if is_user else analysis.members(principal) if is_group else []
    for user in actors:
        name = resource_name(user) or UNKNOWN_PART
        target = _target(analysis, user, name)
        out.append((user, None, target, user.address if user is principal else f"member {user.address}"))
    if is_group and not actors:
        unknown = Target(f"arn:aws:iam::${{AWS::AccountId}}:user/{UNKNOWN_PART}", None)
        unknown = Target(unknown.arn, None, (("aws:username", UNKNOWN_PART),))
        out.append((principal, None, unknown, "its members"))
    return out


def _own_group(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    own_name = _own_name(principal)
    is_user = principal.type in USER_TYPES
    is_group = principal.type in GROUP_TYPES
    groups = analysis.groups_of(principal) if is_user else [principal] if is_group else []
    return [
        (group, None, _target(analysis, group, own_name), group.address if group is not principal else "itself")
        for group in groups
    ]


def _own_role(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    own_name = _own_name(principal)
    is_role = principal.type in ROLE_TYPES
    roles = ([principal] if is_role else []) + [s.target for s in assume if s.target is not None]
    return [
        (
            role,
            None,
            _target(analysis, role, own_name),
            "itself" if role is principal else f"{role.address}, which it can assume",
        )
        for role in roles
    ]


def _own_boundary(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    perms = analysis.permissions(principal)
    if perms.boundaries and (principal.type in ROLE_TYPES or principal.type in USER_TYPES):
        unbounded = perms.without_boundary()
        if any(not g.guards for g in unbounded.admin_grants()):
            return [(principal, None, _target(analysis, principal, _own_name(principal)), "itself")]
    return []


def _group(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    out: list[Candidate] = []
    own_name = _own_name(principal)
    is_user = principal.type in USER_TYPES
    if is_user or principal.type in GROUP_TYPES:
        for group in analysis.deployed_with(principal, "groups"):
            if group is principal or (is_user and group in analysis.groups_of(principal)):
                continue
            out.append((group, None, _target(analysis, group, own_name), group.address))
    return out


def _user(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    out: list[Candidate] = []
    own_name = _own_name(principal)
    is_group = principal.type in GROUP_TYPES
    for user in analysis.deployed_with(principal, "users"):
        if user is principal or (is_group and user in analysis.members(principal)):
            continue
        out.append((user, None, _target(analysis, user, own_name), user.address))
    return out


def _role(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    own_name = _own_name(principal)
    return [
        (role, None, _target(analysis, role, own_name), role.address)
        for role in analysis.deployed_with(principal, "roles")
        if role is not principal
    ]


def _passed_role(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    own_name = _own_name(principal)
    service = req.service or ""
    out: list[Candidate] = []
    for role in analysis.roles_trusting(principal.scope, service):
        if role is principal:
            continue
        users = analysis.passed_role_users(role, service)
        words = f"{role.address}, {' and '.join(dict.fromkeys(users))}" if users else role.address
        out.append((role, None, _target(analysis, role, own_name), words))
    return out


def _compute(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    out: list[Candidate] = []
    for use in analysis.compute(req.on):
        if use.role is principal or not same_deployment(principal, use.resource):
            continue
        out.append((use.role, use.resource, use.target, f"{use.resource.address}, {use.link} {use.role.address}"))
    return out


def _blocking(how: str) -> Finder:
    """Policies of the caller with a Deny, whose removal leaves it an administrator: ``inline``
    (deleted), ``managed`` (detached; ``iam:PolicyARN`` is that policy), ``group`` (the caller
    leaves the group, losing all of its policies)."""

    def find(
        analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
    ) -> list[Candidate]:
        if principal.type not in ROLE_TYPES and principal.type not in USER_TYPES:
            return []
        perms = analysis.permissions(principal)
        if not perms.statements("Deny"):
            return []
        own_name = _own_name(principal)
        groups = {f"group {g.address}: ": g for g in perms.groups}
        out: list[Candidate] = []
        seen: set[int] = set()
        for attached in perms.attached:
            doc = attached.document
            if id(doc) in seen or not any(s.denies for s in doc.statements):
                continue
            seen.add(id(doc))
            group = next((g for prefix, g in groups.items() if attached.via.startswith(prefix)), None)
            managed = doc.via == "managed" or doc.aws_managed is not None
            if how == "group":
                if group is None:
                    continue
                prefix = f"group {group.address}: "
                removed = {id(a.document) for a in perms.attached if a.via.startswith(prefix)}
            elif managed != (how == "managed"):
                continue
            else:
                removed = {id(doc)}
            rest = [a for a in perms.attached if id(a.document) not in removed]
            without = Permissions(principal, rest, list(perms.boundaries), list(perms.groups), [], perms.catalog)
            if not any(not g.guards for g in without.admin_grants()):
                continue  # something else still keeps it below administrator
            holder = group if group is not None else principal
            target = _target(analysis, holder, own_name)
            if how == "managed":
                if doc.managed is not None:
                    arn = doc.managed.arn()
                else:
                    arn = f"arn:aws:iam::aws:policy/{doc.aws_managed}" if doc.aws_managed else iam_arn(doc.holder)
                target = target.with_context(iam_PolicyARN=arn)
            what = f"group {group.address}" if how == "group" and group is not None else doc.label
            out.append((principal, doc.holder if how == "managed" else None, target, f"{what}, whose Deny blocks it"))
        return out

    return find


_FEDERATED_ACTIONS = ("sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity")


def _federation(kind: str, defined: bool | None) -> Finder:
    """Roles of the deployment whose trust admits a SAML or OIDC identity provider, reached through
    the provider: ``kind`` "saml" or "oidc"; ``defined`` False: only providers the code names by ARN
    without defining them (they may not exist yet)."""

    def find(
        analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
    ) -> list[Candidate]:
        own_name = _own_name(principal)
        out: list[Candidate] = []
        for role, provider, arn, where in analysis.federated_roles(principal.scope):
            if role is principal or provider.kind != kind:
                continue
            if defined is False and where is not None:
                continue
            target = Target(arn, where.id if where is not None else None, (("aws:username", own_name),))
            name = where.address if where is not None else f"{kind.upper()} provider {arn} (not in the code)"
            out.append((role, where, target, f"{name}, trusted by {role.address}"))
        return out

    return find


def federated_roles(analysis: EscalationAnalysis, scope: str) -> list[tuple[Resource, Any, str, Resource | None]]:
    """(role, provider principal, provider ARN, provider resource in the code or None) for the roles of
    a deployment whose trust lets a SAML or OIDC provider's users in."""
    from iamready.iam.effective import statement_covers_action
    from iamready.iam.policy import TRUST
    from iamready.iam.principals import OIDC, SAML, oidc_issuer, statement_principals

    out = []
    for role in analysis.deployed_with_scope(scope, "roles"):
        for doc in analysis.graph.policies_of(role):
            if doc.kind != TRUST or doc.unknown is not None:
                continue
            for stmt in doc.statements:
                if not stmt.allows or stmt.principal is None:
                    continue
                if not any(statement_covers_action(stmt, a) for a in _FEDERATED_ACTIONS):
                    continue
                for ref in statement_principals(stmt.principal, analysis.graph):
                    if ref.kind not in (SAML, OIDC):
                        continue
                    where = analysis.graph.get(ref.ref[0]) if ref.ref is not None else None
                    if ref.kind == SAML:
                        name = _provider_name(where) if where is not None else ref.text.rsplit("/", 1)[-1]
                        arn = f"arn:aws:iam::${{AWS::AccountId}}:saml-provider/{name or UNKNOWN_PART}"
                    else:
                        issuer = oidc_issuer(ref, analysis.graph)
                        arn = f"arn:aws:iam::${{AWS::AccountId}}:oidc-provider/{issuer or UNKNOWN_PART}"
                    if ref.text.startswith("arn:") and "${" not in ref.text:
                        arn = ref.text
                    out.append((role, ref, arn, where))
    return out


def _provider_name(resource: Resource) -> str | None:
    """The name of a SAML provider defined in the code."""
    from iamready.iam.effective import known_text

    return known_text(resource.attr("name" if resource.framework == "terraform" else "Name").raw)


def _attached_policy(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    """Customer-managed policies attached to the other principals of the deployment (a new default
    version rewrites their permissions)."""
    own_name = _own_name(principal)
    out: list[Candidate] = []
    for other in analysis.deployed_with(principal, "principals"):
        if other is principal:
            continue
        for holder in analysis.managed_policies_of(other):
            target = Target(iam_arn(holder), holder.id, (("aws:username", own_name),))
            out.append((other, holder, target, f"{holder.address}, attached to {other.address}"))
    return out


CANDIDATES: dict[str, Finder] = {
    "attached-policy": _attached_policy,
    "saml-provider": _federation("saml", None),
    "oidc-provider": _federation("oidc", None),
    "missing-oidc-provider": _federation("oidc", False),
    "blocking-inline": _blocking("inline"),
    "blocking-managed": _blocking("managed"),
    "blocking-group": _blocking("group"),
    "own-policy": _own_policy,
    "self-user": _self_user,
    "own-group": _own_group,
    "own-role": _own_role,
    "own-boundary": _own_boundary,
    "group": _group,
    "user": _user,
    "role": _role,
    "passed-role": _passed_role,
}
