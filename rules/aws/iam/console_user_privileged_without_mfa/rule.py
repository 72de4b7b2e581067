"""Console user with admin or permissions-management rights has no MFA guard

An IAM user with a console password (Terraform `aws_iam_user_login_profile`, CloudFormation
`AWS::IAM::User` `LoginProfile`) has administrator access (`*` on `*`) or permissions-management
actions on `*` (`iam:AttachUserPolicy`, `iam:PutRolePolicy`, `s3:PutBucketPolicy`,
`kms:PutKeyPolicy`, ...) through any path (inline policies, attached managed policies, AWS managed
policies known by name, group policies), and no MFA condition protects those grants. One finding
per user names the rights and the policies that grant them. Permissions management is the IAM action
catalogue's access level, except a few dozen reads the catalogue files under "Permissions management,
Write" at once (`billing:GetResourcePolicy`, `quicksight:DescribeTopicPermissions`, granted by
`ReadOnlyAccess` and `SecurityAudit`): reading a policy changes nobody's permissions.

Effective permissions are used: an unconditional Deny removes a grant and a permission boundary
limits it. A grant counts as protected for console sessions when its Allow has
`Bool aws:MultiFactorAuthPresent true` (or `BoolIfExists ... true`, or an
`aws:MultiFactorAuthAge` bound), or when a Deny covering it has `BoolIfExists
aws:MultiFactorAuthPresent false` or `Bool ... false` (console sessions always carry the key) or
`Null aws:MultiFactorAuthAge true`, as its only condition. `Bool ... false` in an Allow grants
only *without* MFA and protects nothing. Access keys are AWS-IAM-041's subject.

Severity is critical for administrator access, high for permissions management.

## Why is this bad?
A console password is phished, reused or guessed far more often than an access key leaks. For a
user who can change permissions, the password alone is then the key to the whole account: the
attacker grants themselves whatever they need and removes the traces. MFA on privileged users is
checklist item 2.3.

## How to fix
Require MFA for the privileged statements: add `Bool aws:MultiFactorAuthPresent true` to the
Allow, or attach a guard policy with a Deny on `*` and
`BoolIfExists aws:MultiFactorAuthPresent false` (leaving the actions a user needs to set up MFA).
Better, give people roles that require MFA to assume, or federate them through IAM Identity
Center.

Terraform: add a `condition` block to the `aws_iam_policy_document` statement, or attach the
guard policy to the user's group. CloudFormation: add the `Condition` to the statement, or a
guard `AWS::IAM::ManagedPolicy` in the user's `ManagedPolicyArns`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.conditions import CONSOLE
from iamready.iam.mfa import USER_TYPES, describe, is_permissions_management, login_profiles, unknown_policies
from iamready.iam.mfa import unprotected as unprotected_grants
from iamready.iam.statements import summarise
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-040",
    name="aws-iam-console-user-privileged-without-mfa",
    severity=Severity.HIGH,
    checklist=("2.3",),
    on="principal",
    tags=("mfa", "console"),
)
def check(user: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    if user.type not in USER_TYPES:
        return
    profiles = login_profiles(user, ctx.graph)
    if not profiles:
        return
    perms = ctx.permissions(user)
    exposure = unprotected_grants(perms, ctx.catalog, is_permissions_management, CONSOLE)
    if exposure:
        yield Finding(
            f"has a console password ({describe(profiles)}) and "
            f"{exposure.what('can manage permissions')} through {exposure.sources()}, with no MFA condition",
            at=user,
            severity=Severity.CRITICAL if exposure.admin else Severity.HIGH,
            related=[(grant.statement, f"grant through {grant.via}") for grant in exposure.grants],
        )
        return
    unknown = unknown_policies(perms)
    if unknown:
        yield Unresolved(
            f"has a console password; whether it has privileged rights without MFA is not known: "
            f"{summarise(f'{doc.label} ({reason})' for doc, reason in unknown)}",
            at=user,
        )
