"""Principal can rewrite its own permissions

A user, group or role may change the policies that apply to itself: create or switch the
default version of a customer-managed policy attached to it, attach a managed policy or write
an inline policy on itself, its group or a role it can assume, add itself to a more privileged
group, or remove the permission boundary that holds it back. Any of these makes it an
administrator in one API call. Conditional grants (MFA, network) are still reported, at medium
severity, with the condition named.

## Why is this bad?
Permissions that let a principal edit its own permissions are administrator access under
another name: `iam:AttachUserPolicy` on yourself attaches `AdministratorAccess`;
`iam:CreatePolicyVersion` rewrites the policy you already hold. Reviews by access level
(checklist item 2.10) exist to catch exactly these "Permissions management" grants, and least
privilege (2.5) is void while they remain.

## How to fix
Grant IAM write actions only to administrators and to the pipeline that manages IAM, never to
the principals those policies govern. When self-service is wanted (users rotating their own
keys), limit it to the non-escalating actions (`iam:CreateAccessKey`, `iam:ChangePassword` on
`${aws:username}`). Scope `iam:AddUserToGroup` to the groups a user may join, and deny
`iam:DeleteRolePermissionsBoundary`/`iam:PutRolePermissionsBoundary` to bounded principals.

Terraform: remove the actions from the `aws_iam_policy_document` statement or narrow its
`resources`. CloudFormation: remove them from the `PolicyDocument` or narrow `Resource`.

## References
- https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.escalation import POLICY, escalation_findings
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-100",
    name="aws-iam-escalation-by-policy-change",
    severity=Severity.HIGH,
    checklist=("2.5", "2.10"),
    on="principal",
    tags=("privilege-escalation", "least-privilege"),
)
def check(principal: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from escalation_findings(ctx, principal, POLICY)
