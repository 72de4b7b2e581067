"""Reading a caller's grants for a step: which grant to report, its guards, whether it applies to
the resource (type) and the service a role is passed to, and whether a Deny blocks it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iamready.iam.effective import UNKNOWN_PART, Grant, Permissions, Target, split_arn, statement_covers_action
from iamready.iam.escalation.steps import Support

if TYPE_CHECKING:
    from iamready.iam.catalog import Catalog
    from iamready.iam.escalation.analysis import EscalationAnalysis
    from iamready.iam.escalation.catalogue import Requirement
    from iamready.model.graph import Resource


def guard_texts(grant: Grant) -> list[str]:
    out = []
    for guard in grant.guards:
        if _is_service_condition(guard.text):
            continue
        out.append(guard.summary)
    if grant.when:
        out.append(f"deployed only {grant.when}")
    return out


def best_grants(grants: list[Grant]) -> list[Grant]:
    """The grant to report: an unconditional one if there is one."""
    plain = [g for g in grants if not guard_texts(g)]
    return [plain[0]] if plain else grants[:1]


# creating a principal: the escalation creates it without a permission boundary
_CREATES = {
    "iam:createrole": f"arn:aws:iam::${{AWS::AccountId}}:role/{UNKNOWN_PART}",
    "iam:createuser": f"arn:aws:iam::${{AWS::AccountId}}:user/{UNKNOWN_PART}",
}


def any_grant(perms: Permissions, actions: tuple[str, ...]) -> Support | None:
    """A grant of one of ``actions`` on any resource (the caller names the resource it creates)."""
    for action in actions:
        if not perms.has_action(action):
            continue
        created = _CREATES.get(action.lower())
        if created is not None:
            grants = perms.grants_for(action, Target(created).with_context(iam_PermissionsBoundary=()))
            if grants:
                best = best_grants(grants)[0]
                return Support(action, best, guard_texts(best))
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
            best = best_grants(grants)[0]
            return Support(action, best, guard_texts(best))
    return None


def denied(perms: Permissions, action: str, target: Target) -> bool:
    from iamready.iam.effective import statement_covers_resource

    for stmt, _ in perms.statements("Deny"):
        if stmt.conditions:
            continue
        if statement_covers_action(stmt, action) and statement_covers_resource(stmt, target, deny=True):
            return True
    return False


_SERVICE_KEY = "iam:passedtoservice"


def _is_service_condition(text: str) -> bool:
    return text.lower().split(" (")[0].endswith(_SERVICE_KEY)


_ATTACH = frozenset({"iam:attachuserpolicy", "iam:attachgrouppolicy", "iam:attachrolepolicy"})


def request_context(
    analysis: EscalationAnalysis, principal: Resource, action: str, req: Requirement, resource: Target
) -> Target:
    """The resource asked about with the condition keys the escalating request carries: the service
    a role is passed to and the new resource it is associated with (``iam:PassedToService``,
    ``iam:AssociatedResourceArn``), the administrator policy attached (``iam:PolicyARN``)."""
    from iamready.iam.request import SERVICE_ARN_PREFIX

    if req.service and action.lower() == "iam:passrole":
        associated = SERVICE_ARN_PREFIX.get(req.service)
        if associated is None:
            return resource.with_context(iam_PassedToService=req.service)
        return resource.with_context(iam_PassedToService=req.service, iam_AssociatedResourceArn=associated)
    if req.on in ("new-role", "new-user"):  # a principal the caller created without a boundary
        resource = resource.with_context(iam_PermissionsBoundary=())
    if action.lower() in _ATTACH:
        return resource.with_context(iam_PolicyARN=analysis.admin_policy_arns(principal.scope))
    return resource


_KIND_RESOURCE = {
    "user": "user",
    "group": "group",
    "role": "role",
    "passed-role": "role",
    "new-role": "role",
    "new-user": "user",
}


def kind_fits(catalog: Catalog | None, action: str, kind: str) -> bool:
    if catalog is None:
        return True
    info = catalog.info(action)
    if info is None or not info.resource_types:
        return True
    return _KIND_RESOURCE.get(kind, kind) in info.resource_types


def action_fits(catalog: Catalog | None, action: str, resource: Target) -> bool:
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
