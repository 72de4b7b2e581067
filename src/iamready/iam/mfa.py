"""Which privileged grants of a user no MFA condition protects (checklist 2.3 and 4.5).

Built on the effective permissions (:mod:`iamready.iam.effective`: a user's inline, attached and
group policies, the boundary, unconditional Denies removed) and on the MFA reading of
:mod:`iamready.iam.conditions`: a grant is protected when its own Allow requires MFA or a
conditional Deny that covers it denies requests without MFA, for every request (``ALL``: what
long-term access keys need) or for console sessions only (``CONSOLE``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iamready.iam.catalog import PERMISSIONS, ActionInfo, Catalog
from iamready.iam.conditions import ALL, CONSOLE, statement_mfa
from iamready.iam.statements import of_services, selected_actions, summarise
from iamready.model.value import Unknown

if TYPE_CHECKING:
    from iamready.iam.effective import Grant, Permissions
    from iamready.iam.policy import Statement
    from iamready.model.graph import Graph, Resource

USER_TYPES = ("aws_iam_user", "AWS::IAM::User")


def grant_mfa(grant: Grant) -> str | None:
    """``ALL``, ``CONSOLE`` or None: what MFA the grant needs, from its Allow and the conditional
    Denies that cover it (see :func:`iamready.iam.conditions.statement_mfa`)."""
    found = [statement_mfa(grant.statement)]
    found.extend(statement_mfa(guard.statement) for guard in grant.guards if guard.statement.denies)
    if ALL in found:
        return ALL
    return CONSOLE if CONSOLE in found else None


def console_guard_only(grant: Grant) -> Statement | None:
    """A Deny that guards console sessions but not access keys (``Bool`` instead of ``BoolIfExists``)."""
    for guard in grant.guards:
        if guard.statement.denies and statement_mfa(guard.statement) == CONSOLE:
            return guard.statement
    return None


@dataclass
class Exposure:
    """Privileged grants that lack the required MFA."""

    admin: list[Grant] = field(default_factory=list)  # every action on every resource
    actions: dict[str, list[Grant]] = field(default_factory=dict)  # action -> its unprotected grants

    def __bool__(self) -> bool:
        return bool(self.admin or self.actions)

    @property
    def grants(self) -> list[Grant]:
        seen: dict[int, Grant] = {}
        for grant in [*self.admin, *(g for grants in self.actions.values() for g in grants)]:
            seen.setdefault(id(grant.statement), grant)
        return list(seen.values())

    def what(self, words: str) -> str:
        if self.admin:
            return "administrator access (every action on every resource)"
        return f"{words} ({_by_service(list(self.actions))})"

    def sources(self) -> str:
        """``inline policy admin (statement 'All')``, ``group aws_iam_group.ops: managed policy ...``."""
        parts = []
        for grant in self.grants:
            if grant.statement.document.aws_managed:
                parts.append(grant.via)
            else:
                parts.append(f"{grant.via} ({grant.statement.label})")
        return summarise(parts, limit=3)


def _importance(action: str) -> tuple[int, int, int, str]:
    """IAM first; then actions that set policies or ACLs, then other policy or ACL actions; the
    shorter (more common) names first."""
    service, _, name = action.partition(":")
    if name.startswith(("Put", "Attach", "Create", "Update", "Set")) and ("Policy" in name or "Acl" in name):
        rank = 0
    else:
        rank = 1 if "Policy" in name or "Acl" in name else 2
    return (0 if service in ("iam", "sts") else 1, rank, len(action), action)


def _by_service(actions: list[str]) -> str:
    """``iam:AttachUserPolicy, iam:PutRolePolicy; 27 s3 actions such as s3:PutBucketPolicy, ...``."""
    groups: dict[str, list[str]] = {}
    for action in actions:
        groups.setdefault(action.split(":", 1)[0], []).append(action)
    parts = []
    for service in sorted(groups, key=lambda s: (s not in ("iam", "sts"), s)):
        names = sorted(groups[service], key=_importance)
        if len(names) <= 4:
            parts.append(", ".join(names))
        else:
            parts.append(f"{len(names)} {service} actions such as {', '.join(names[:3])}")
    if len(parts) > 4:
        return "; ".join(parts[:4]) + f"; and actions of {len(parts) - 4} more services"
    return "; ".join(parts)


def unprotected(
    perms: Permissions,
    catalog: Catalog,
    wanted: Callable[[ActionInfo], bool],
    need: str,
) -> Exposure:
    """Grants on ``*`` of the actions ``wanted`` selects that lack MFA of level ``need`` (``ALL``:
    every request, the access-key case; ``CONSOLE``: console sessions).

    Every selected action is asked about on its own, so a Deny written with ``NotAction`` (deny
    everything except the MFA set-up actions) guards what it covers. An administrator grant
    (``*``) is reported as such when it is unprotected for at least one selected action.
    """
    satisfied = (ALL,) if need == ALL else (ALL, CONSOLE)
    out = Exposure()
    if not perms.boundaries and not perms.statements("Deny"):
        # nothing can remove or guard one action and not another: each statement's grant is the
        # same for all its actions (an administrator has hundreds of permissions-management actions)
        from iamready.iam.effective import Grant, allow_guards, statement_covers_resource

        exposed_by: list[tuple[frozenset[str], Grant]] = []
        for stmt, via in perms.statements("Allow"):
            if statement_covers_resource(stmt, "*"):
                grant = Grant(stmt, via, guards=allow_guards(stmt))
                if grant_mfa(grant) not in satisfied:
                    exposed_by.append((selected_actions(stmt, catalog, wanted), grant))
        for action in sorted(frozenset().union(*(actions for actions, _ in exposed_by))):
            out.actions[action] = [grant for actions, grant in exposed_by if action in actions]
    else:
        for action in sorted(_candidates(perms, catalog, wanted)):
            grants = [g for g in perms.grants_for(action, "*") if grant_mfa(g) not in satisfied]
            if grants:
                out.actions[action] = grants
    exposed = {id(g.statement) for grants in out.actions.values() for g in grants}
    out.admin = [g for g in perms.admin_grants() if id(g.statement) in exposed]
    return out


def _candidates(perms: Permissions, catalog: Catalog, wanted: Callable[[ActionInfo], bool]) -> set[str]:
    from iamready.iam.effective import statement_covers_resource

    out: set[str] = set()
    for stmt, _via in perms.statements("Allow"):
        if not statement_covers_resource(stmt, "*"):
            continue
        out |= selected_actions(stmt, catalog, wanted)
    return out


# names of actions that only read. The catalogue (AWS's Service Authorization Reference) files a few dozen
# such actions under two levels at once, "Permissions management, Write" (billing:GetResourcePolicy,
# quicksight:DescribeTopicPermissions, glue:GetStage, ...): reading a policy changes nobody's permissions.
_READ_VERBS = ("Get", "List", "Describe", "Search", "View", "BatchGet")


def is_permissions_management(info: ActionInfo) -> bool:
    """Can the action change permissions (checklist 2.3's admin-level rights)? The catalogue's level,
    except an action it files under Permissions management *and* another level whose name only reads:
    ReadOnlyAccess grants three such (billing:GetResourcePolicy, ...), SecurityAudit three more, and a
    console user holding either is no administrator. An action filed under Permissions management alone
    counts whatever its name. The permission review (2.10) keeps the catalogue's levels unchanged."""
    if info.level != PERMISSIONS:
        return False
    return len(info.levels) == 1 or not info.name.startswith(_READ_VERBS)


def unknown_policies(perms: Permissions) -> list[tuple[Any, str]]:
    """Policies of the principal whose content is not known and may grant privileges:
    (document, reason)."""
    out = []
    for doc, unknown in perms.unknowns:
        reason = unknown.reason if isinstance(unknown, Unknown) else "depends on a condition"
        out.append((doc, reason))
    return out


def login_profiles(user: Resource, graph: Graph) -> list[Any]:
    """What gives the user a console password: ``aws_iam_user_login_profile`` resources that name
    it (by reference or by its literal name), or the CloudFormation ``LoginProfile`` property
    (a Value). Empty when the code gives it none."""
    if user.type == "AWS::IAM::User":
        value = user.attr("LoginProfile")
        return [value] if value.is_set or value.is_unknown else []
    from iamready.aws.secrets import LOGIN_PROFILE_TYPES, credentials_of

    return credentials_of(graph, user, LOGIN_PROFILE_TYPES)


def describe(items: Iterable[Any]) -> str:
    names = []
    for item in items:
        address = getattr(item, "address", None)
        names.append(address if address else "LoginProfile")
    return ", ".join(names)


# IAM and STS actions that create or change credentials, identities or access: sensitive for
# checklist 4.5 besides every IAM permissions-management action
SENSITIVE_ACTIONS = frozenset(
    {
        "iam:createaccesskey",
        "iam:updateaccesskey",
        "iam:createloginprofile",
        "iam:updateloginprofile",
        "iam:deactivatemfadevice",
        "iam:deletevirtualmfadevice",
        "iam:createuser",
        "iam:createrole",
        "iam:addusertogroup",
        "iam:passrole",
        "iam:createservicespecificcredential",
        "iam:resetservicespecificcredential",
        "iam:uploadsshpublickey",
        "iam:uploadsigningcertificate",
        "sts:getfederationtoken",
        "sts:assumerole",
    }
)


@of_services("iam", "sts")
def is_sensitive_iam(info: ActionInfo) -> bool:
    """IAM permissions management, or an IAM/STS action in :data:`SENSITIVE_ACTIONS`."""
    if info.service == "iam" and info.level == PERMISSIONS:
        return True
    return info.full.lower() in SENSITIVE_ACTIONS


def is_privileged(perms: Permissions, catalog: Catalog) -> bool:
    """Administrator access, or a permissions-management action on ``*``, whatever the conditions."""
    if perms.admin_grants():
        return True
    return any(perms.grants_for(a, "*") for a in _candidates(perms, catalog, is_permissions_management))


def manages_iam(perms: Permissions, catalog: Catalog) -> bool:
    """An IAM permissions-management action (``iam:AttachRolePolicy``, ``iam:PutUserPolicy``, ...) on ``*``:
    rights that reach every other right of the account."""
    return any(perms.grants_for(a, "*") for a in _candidates(perms, catalog, _iam_permissions_management))


@of_services("iam")
def _iam_permissions_management(info: ActionInfo) -> bool:
    return info.service == "iam" and info.level == PERMISSIONS


def trust_requires_mfa(role: Resource, graph: Graph) -> bool:
    """Every Allow statement of the role's trust policy requires MFA for every request."""
    from iamready.iam.policy import TRUST

    docs = [d for d in graph.policies_of(role) if d.kind == TRUST]
    allows = [s for d in docs for s in d.statements if s.allows]
    return bool(allows) and all(statement_mfa(s) == ALL for s in allows)
