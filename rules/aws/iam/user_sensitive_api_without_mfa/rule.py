"""User can call sensitive IAM or STS actions without MFA

An IAM user is granted sensitive IAM or STS actions on `*` (every IAM permissions-management
action such as `iam:AttachUserPolicy` or `iam:PutRolePolicy`, and `iam:CreateAccessKey`,
`iam:CreateLoginProfile`, `iam:UpdateLoginProfile`, `iam:DeactivateMFADevice`, `iam:CreateUser`,
`iam:PassRole`, `sts:GetFederationToken`, `sts:AssumeRole` on any role), or `sts:AssumeRole`
into a privileged role in this or another account (a role of the code that has administrator or
permissions-management rights and whose trust policy does not require MFA, every role of an
account such as `arn:aws:iam::444455556666:role/*`, the administrator roles AWS creates in
member accounts, `OrganizationAccountAccessRole` and `AWSControlTowerExecution`, or a role whose
name says admin), and no condition requires MFA for requests signed with the user's long-term
access keys. One finding per user names the actions and the policies that grant them, and the
access keys the code creates for the user (`aws_iam_access_key`, `AWS::IAM::AccessKey`); a user the
code gives no key is still reported, as one can be created for it outside the code at any time.

Requests signed with long-term access keys carry no `aws:MultiFactorAuthPresent` key. So only
these protect them: `Bool aws:MultiFactorAuthPresent true` (or an `aws:MultiFactorAuthAge` bound)
in the Allow, or a Deny whose only condition is `BoolIfExists aws:MultiFactorAuthPresent false`,
`Null aws:MultiFactorAuthAge true` or `NumericGreaterThanIfExists aws:MultiFactorAuthAge`. A Deny
with `Bool aws:MultiFactorAuthPresent false` (without IfExists) does not match a request without
the key, so it protects console sessions only; the message says so when that is the case.

## Why is this bad?
Access keys leak: committed to repositories, left in CI logs, copied to laptops. When a key alone
can create new keys and users, attach policies or assume an administrator role, a leaked key is a
full account compromise. Requiring MFA for these actions (checklist 4.5) means the key is not
enough: the caller must first get a session with `sts:GetSessionToken` and an MFA code.

## How to fix
Require MFA for the sensitive statements: `Bool aws:MultiFactorAuthPresent true` in the Allow,
or a Deny on them with `BoolIfExists aws:MultiFactorAuthPresent false`. For automation, use a role
instead of a user with keys. Require MFA in the trust policy of privileged roles people assume.

Terraform: add the `condition` block to the `aws_iam_policy_document` statement (or the Deny
statement to a guard policy attached to the user or its group). CloudFormation: add the
`Condition` to the statement in the user's or group's policies.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_operators.html#Conditions_IfExists
"""

from collections.abc import Iterator

from iamready.aws.secrets import ACCESS_KEY_TYPES, credentials_of
from iamready.context import Context
from iamready.iam.conditions import ALL
from iamready.iam.effective import Grant, Permissions, statement_covers_action
from iamready.iam.mfa import (
    USER_TYPES,
    Exposure,
    console_guard_only,
    grant_mfa,
    is_privileged,
    is_sensitive_iam,
    trust_requires_mfa,
    unknown_policies,
)
from iamready.iam.mfa import unprotected as unprotected_grants
from iamready.iam.policy import Statement
from iamready.iam.principals import arn_resource
from iamready.iam.statements import summarise
from iamready.model.graph import Resource
from iamready.model.value import Choice, LStr, Unknown
from iamready.rule import Finding, Severity, Unresolved, rule

ROLE_TYPES = ("aws_iam_role", "AWS::IAM::Role")


@rule(
    id="AWS-IAM-041",
    name="aws-iam-user-sensitive-api-without-mfa",
    severity=Severity.HIGH,
    checklist=("4.5",),
    on="principal",
    tags=("mfa", "access-keys"),
)
def check(user: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    if user.type not in USER_TYPES:
        return
    perms = ctx.permissions(user)
    exposure = unprotected_grants(perms, ctx.catalog, is_sensitive_iam, ALL)
    _privileged_roles(user, perms, ctx, exposure)
    if exposure:
        keys = _access_keys(user, ctx)
        yield Finding(
            _message(exposure, [k.address for k in keys], _owner_unknown(user, ctx) if not keys else []),
            at=user,
            severity=_severity(exposure, ctx),
            related=[(g.statement, f"grant through {g.via}") for g in exposure.grants],
        )
        return
    unknown = unknown_policies(perms)
    if unknown:
        yield Unresolved(
            "whether it can call sensitive IAM or STS actions without MFA is not known: "
            f"{summarise(f'{doc.label} ({reason})' for doc, reason in unknown)}",
            at=user,
        )


def _access_keys(user: Resource, ctx: Context) -> list[Resource]:
    """The access keys the code creates for the user: naming it by reference (from any module) or by name."""
    found = {k.id: k for k in ctx.graph.referrers(user, type=ACCESS_KEY_TYPES)}
    for key in credentials_of(ctx.graph, user, ACCESS_KEY_TYPES):
        found.setdefault(key.id, key)
    return list(found.values())


def _owner_unknown(user: Resource, ctx: Context) -> list[str]:
    """Access keys of the user's module whose user is not known: any of them may be this user's."""
    out = []
    for key in ctx.graph.resources_in(user.scope, ACCESS_KEY_TYPES):
        owner = key.attr("UserName" if key.type == "AWS::IAM::AccessKey" else "user")
        if owner.is_unknown or isinstance(owner.raw, (Unknown, Choice)):
            out.append(key.address)
    return out


def _message(exposure: Exposure, keys: list[str], maybe: list[str]) -> str:
    """What the user can do without MFA; the access key the code creates for it, or that it creates none (a
    user can be given keys at any time, outside the code: the grant is what needs the MFA condition)."""
    what = exposure.what("sensitive IAM/STS actions")
    if keys:
        held = f"its long-term access key{'s' if len(keys) > 1 else ''} {', '.join(keys)}"
        text = f"can use {what} with {held} and no MFA, through {exposure.sources()}"
    elif maybe:
        text = (
            f"can use {what} with no MFA when it signs with a long-term access key, through {exposure.sources()}; "
            f"whether {', '.join(maybe)} is this user's key is not known, and one can be created for it at any time"
        )
    else:
        text = (
            f"can use {what} with no MFA when it signs with a long-term access key, through {exposure.sources()}; "
            "the code creates no access key for this user, but one can be created for it at any time"
        )
    weak = next((s for s in (console_guard_only(g) for g in exposure.grants) if s is not None), None)
    if weak is not None:
        text += (
            f"; the Deny {weak.label} ({_policy_name(weak)}) uses Bool aws:MultiFactorAuthPresent false, "
            "which does not match requests signed with access keys (the key is absent): use BoolIfExists"
        )
    return text


def _policy_name(stmt: Statement) -> str:
    doc = stmt.document
    return f"policy {doc.name!r} of {doc.holder.address}" if doc.name else doc.label


def _severity(exposure: Exposure, ctx: Context) -> Severity:
    from iamready.iam.catalog import PERMISSIONS

    if exposure.admin:
        return Severity.HIGH
    for action in exposure.actions:
        info = ctx.catalog.info(action.split(" ", 1)[0])
        if info is None or info.level == PERMISSIONS or action.startswith("sts:AssumeRole on "):
            return Severity.HIGH
    return Severity.MEDIUM


def _privileged_roles(user: Resource, perms: Permissions, ctx: Context, exposure: Exposure) -> None:
    """``sts:AssumeRole`` on roles of the code that are privileged and do not require MFA to assume."""
    seen: set[str] = set()
    for stmt, _via in perms.statements("Allow"):
        if not statement_covers_action(stmt, "sts:AssumeRole"):
            continue
        for value in stmt.resources or ():
            if not isinstance(value, str) or isinstance(value, Unknown) or str(value) == "*" or str(value) in seen:
                continue
            seen.add(str(value))
            outside = _privileged_elsewhere(value, user, ctx)
            if outside:
                grants = [g for g in perms.grants_for("sts:AssumeRole", str(value)) if grant_mfa(g) != ALL]
                if grants:
                    exposure.actions[f"sts:AssumeRole on {value} ({outside})"] = grants
                continue
            for role in _roles(value, user, ctx):
                if trust_requires_mfa(role, ctx.graph) or not is_privileged(ctx.permissions(role), ctx.catalog):
                    continue
                grants: list[Grant] = [g for g in perms.grants_for("sts:AssumeRole", str(value)) if grant_mfa(g) != ALL]
                if grants:
                    exposure.actions[f"sts:AssumeRole on {role.address} (privileged)"] = grants


# roles AWS creates with administrator access in member accounts (AWS Organizations, Control Tower)
_ADMIN_ROLE_NAMES = {"organizationaccountaccessrole", "awscontroltowerexecution", "awsafttexecution"}
_ADMIN_NAME_TOKENS = {"admin", "admins", "administrator", "administrators", "poweruser", "superuser", "breakglass"}


def _privileged_elsewhere(value: str, user: Resource, ctx: Context) -> str | None:
    """Why a role ARN the code does not define is taken to be privileged: every role of an account
    (``role/*``), an administrator role AWS creates in member accounts, or a name that says admin."""
    from iamready.aws.secrets import name_tokens

    if isinstance(value, LStr) and value.ref is not None:
        return None
    resource = arn_resource(str(value))
    if not str(value).startswith("arn:") or not resource.startswith("role/"):
        return None
    if _roles(value, user, ctx):
        return None  # a role of the code: judged by its own permissions and trust policy
    name = resource.rsplit("/", 1)[-1]
    if name in ("*", "") or resource == "role*":
        return "every role of the account, its administrator roles included"
    if "*" in name or "?" in name:
        return None
    if name.lower() in _ADMIN_ROLE_NAMES:
        return "an administrator role AWS creates in member accounts"
    if any(t in _ADMIN_NAME_TOKENS for t in name_tokens(name)) or "admin" in name.lower():
        return "its name says it is an administrator role"
    return None


def _roles(value: str, user: Resource, ctx: Context) -> list[Resource]:
    ref = value.ref if isinstance(value, LStr) else None
    if ref is not None:
        target = ctx.graph.get(ref[0])
        return [target] if target is not None and target.type in ROLE_TYPES else []
    resource = arn_resource(str(value))
    if not resource.startswith("role/") or "*" in resource or "?" in resource:
        return []
    name = resource.rsplit("/", 1)[-1]
    out = []
    for role in ctx.graph.resources_in(user.scope, ROLE_TYPES):
        own = role.attr("name" if role.framework == "terraform" else "RoleName").raw
        if isinstance(own, str) and not isinstance(own, Unknown) and str(own) == name:
            out.append(role)
    return out
