"""Privileged role may be assumed by the account's root principal with no condition

A role with administrator access (every action on every resource) or IAM permissions-management
rights on every resource (`iam:AttachRolePolicy`, `iam:PutUserPolicy`, ...: rights that reach every
other right) trusts its own account as a whole (`arn:aws:iam::${AWS::AccountId}:root`, the
account id as written by `data.aws_caller_identity` or the `AWS::AccountId` pseudo parameter) in
an Allow statement with no condition requiring MFA (`aws:MultiFactorAuthPresent`,
`aws:MultiFactorAuthAge`), naming the callers (`aws:PrincipalArn`, `aws:userid`) or their tags
(`aws:PrincipalTag/...`). Another account trusted as a whole is AWS-IAM-033's finding.

## Why is this bad?
The account root principal in a trust policy stands for every user and role of the account whose
own policies allow `sts:AssumeRole` on the role: the role's trust no longer says who may become
administrator, any policy with `sts:AssumeRole` on `*` does. This is the broad root-principal
access checklist item 1.3 asks to avoid: one careless identity policy, or one leaked key of a user
who has it, is a way to administrator.

## How to fix
Name the principals that may assume the role (the break-glass users, the operators' role), or
keep the account principal and add a condition that says who and how: `Bool
aws:MultiFactorAuthPresent true`, `ArnEquals aws:PrincipalArn <operators' role ARN>` or
`StringEquals aws:PrincipalTag/team platform`.

Terraform: change `identifiers` in the `principals` block of the `aws_iam_policy_document` used as
`assume_role_policy`, or add a `condition` block. CloudFormation: change `Principal` or add
`Condition` in `AssumeRolePolicyDocument`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.conditions import PRINCIPAL_KEYS, statement_mfa
from iamready.iam.effective import statement_covers_action
from iamready.iam.mfa import manages_iam
from iamready.iam.policy import TRUST, Statement
from iamready.iam.principals import ACCOUNT, OTHER, PrincipalRef, statement_principals, unknown_principals
from iamready.iam.statements import denied_principals, effect_unknown, label, when_suffix
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule

ROLE_TYPES = ("aws_iam_role", "AWS::IAM::Role")


@rule(
    id="AWS-IAM-037",
    name="aws-iam-privileged-role-trusts-own-account-root",
    severity=Severity.MEDIUM,
    checklist=("1.3",),
    on="principal",
    tags=("trust", "root", "privileged"),
)
def check(role: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    if role.type not in ROLE_TYPES:
        return
    statements = [
        stmt for doc in ctx.graph.policies_of(role) if doc.kind == TRUST for stmt in doc.statements if _open(stmt)
    ]
    open_statements = [stmt for stmt in statements if _own_root(stmt, ctx)]
    # an account root whose account is not known (a parameter without a value) may be this account's
    unsure = [(stmt, p) for stmt in statements if stmt not in open_statements for p in _unknown_roots(stmt)]
    if not open_statements and not unsure:
        return
    perms = ctx.permissions(role)
    if perms.admin_grants():
        what = "administrator access"
    elif manages_iam(perms, ctx.catalog):
        what = "IAM permissions management on every resource"
    else:
        return
    for stmt in open_statements:
        yield Finding(
            f"{label(stmt)} lets the deploying account's root principal (any user or role of the account whose "
            f"policies allow it) assume this role, which has {what}, with no MFA, principal or tag "
            f"condition{when_suffix(stmt)}",
            at=stmt,
        )
    for stmt, p in unsure:
        yield Unresolved(f"{label(stmt)}: whether {p.text} is this account's root is not known", at=p.unknown_account)


def _open(stmt: Statement) -> bool:
    """An Allow of sts:AssumeRole with no MFA, principal or tag condition."""
    if effect_unknown(stmt) is not None or not stmt.allows or stmt.unknown_in("Condition") is not None:
        return False
    if not statement_covers_action(stmt, "sts:AssumeRole"):
        return False
    if statement_mfa(stmt) is not None:
        return False
    return not any(
        c.key_lower in PRINCIPAL_KEYS or c.key_lower.startswith("aws:principaltag/") for c in stmt.conditions
    )


def _own_root(stmt: Statement, ctx: Context) -> bool:
    roots = [p for p in statement_principals(stmt.principal, ctx.graph) if p.is_account_root and p.same_account]
    roots = [p for p in roots if p not in denied_principals(stmt, roots, ctx.catalog)]
    return bool(roots)


def _unknown_roots(stmt: Statement) -> list[PrincipalRef]:
    return [
        p for p in unknown_principals(stmt.principal) if p.unknown_account is not None and p.kind in (ACCOUNT, OTHER)
    ]
