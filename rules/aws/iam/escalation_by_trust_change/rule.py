"""Principal can rewrite the trust policy of a privileged role

A user, group or role may change who can assume a role (`iam:UpdateAssumeRolePolicy`): any
role (`Resource: "*"`, `role/*`) or an administrator role in the code. A trust policy that
names the caller lets it assume the role without any `sts:AssumeRole` grant of its own, so this
single action is enough. Conditional grants are reported at medium severity with the
condition named.

## Why is this bad?
The trust policy is the lock on a role. Whoever can rewrite it can add themselves and become
the role; for an administrator role that is full control of the account, and the change looks
like routine maintenance in CloudTrail.

## How to fix
Grant `iam:UpdateAssumeRolePolicy` only to the administrators or pipeline that manage roles,
and never on roles more privileged than the caller. Scope it to the roles it must manage by
ARN or path (`role/app/*`).

Terraform: narrow the `resources` of the `aws_iam_policy_document` statement. CloudFormation:
narrow `Resource` in the `PolicyDocument`.

## References
- https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.escalation import TRUST_CATEGORY, escalation_findings
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-102",
    name="aws-iam-escalation-by-trust-change",
    severity=Severity.HIGH,
    checklist=("2.5", "2.10"),
    on="principal",
    tags=("privilege-escalation", "least-privilege"),
)
def check(principal: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from escalation_findings(ctx, principal, TRUST_CATEGORY)
