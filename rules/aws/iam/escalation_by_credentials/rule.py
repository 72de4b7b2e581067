"""Principal can create credentials for other users

A user, group or role may create access keys (`iam:CreateAccessKey`) or set or reset a console
password (`iam:CreateLoginProfile`, `iam:UpdateLoginProfile`) for another user: any user
(`Resource: "*"`, `user/*`) or an administrator user in the code. Self-service on
`${aws:username}` is not reported. Conditional grants are reported at medium severity with the
condition named.

## Why is this bad?
Credentials of another user are that user's permissions: whoever may create an access key for
an administrator is an administrator. These grants often come from "user management" policies
written for a helpdesk or a provisioning script, with `Resource: "*"`.

## How to fix
Let users manage only their own credentials (`arn:aws:iam::*:user/${aws:username}`), and keep
credential creation for other users with the administrators that provision accounts; better,
give humans federated access (IAM Identity Center) and workloads roles, so there are no IAM
user credentials to create.

Terraform: narrow the `resources` of the statement to `arn:aws:iam::*:user/$${aws:username}`.
CloudFormation: narrow `Resource` to `!Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:user/${!aws:username}"`.

## References
- https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.escalation import CREDENTIALS, escalation_findings
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-101",
    name="aws-iam-escalation-by-credentials",
    severity=Severity.HIGH,
    checklist=("2.5", "2.10"),
    on="principal",
    tags=("privilege-escalation", "least-privilege"),
)
def check(principal: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from escalation_findings(ctx, principal, CREDENTIALS)
