"""What a method's key requirement can be used on, by kind: the caller's own policies, user,
groups, roles and boundary; other principals; roles passed to a service; existing compute.

Each kind is one small function ``(analysis, principal, requirement, assume steps) -> candidates``
in :data:`CANDIDATES`, and, when a grant on any resource of the kind reaches resources outside the
code, an ARN and words in :data:`BROAD`. Compute kinds come from the data in
:mod:`iamready.iam.escalation.compute`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from iamready.iam.effective import UNKNOWN_PART, Target, iam_arn, resource_name
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
    return [
        (role, None, _target(analysis, role, own_name), role.address)
        for role in analysis.roles_trusting(principal.scope, req.service or "")
        if role is not principal
    ]


def _compute(
    analysis: EscalationAnalysis, principal: Resource, req: Requirement, assume: Iterable[Step]
) -> list[Candidate]:
    out: list[Candidate] = []
    for resource, role, target in analysis.compute(req.on):
        if role is principal or not same_deployment(principal, resource):
            continue
        out.append((role, resource, target, f"{resource.address}, which runs as {role.address}"))
    return out


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
