"""Principal can pass a privileged role to new compute

A user, group or role may pass a role (`iam:PassRole`) to a service and create compute that
runs as it: an EC2 instance or Auto Scaling group, a Lambda function, a Glue endpoint or job, a
CloudFormation stack, a Data Pipeline, a SageMaker notebook or job, an ECS task, a CodeBuild
project or an App Runner service. The role may be any role (`Resource: "*"`, `role/*`) or an
administrator role in the code. `iam:PassedToService` conditions are honoured, and so is the
passed role's trust policy: a role the service cannot assume is not a way up. A conditional
grant or a conditional Deny (MFA, network) is still reported, at medium severity, with the
condition named.

## Why is this bad?
Whoever can start code with a role gets that role's permissions: launching an instance with an
administrator role and reading its credentials from the metadata service makes any developer
an administrator. `iam:PassRole` on `*` is the most common privilege-escalation path in AWS
accounts, and it hides in policies that look harmless because they grant "only" compute.

## How to fix
Limit `iam:PassRole` to the roles the workload needs (their ARNs, not `*` or `role/*`), and add
an `iam:PassedToService` condition naming the one service that should receive them. Keep
administrator roles out of reach of anyone who can create compute.

Terraform: list role ARNs in the `resources` of the `aws_iam_policy_document` statement and add
a `condition { test = "StringEquals", variable = "iam:PassedToService", values = [...] }`.
CloudFormation: list `!GetAtt Role.Arn` values in `Resource` and add the same `Condition`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
- https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
- https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation-part-2/
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.escalation import PASS_ROLE, escalation_findings
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-103",
    name="aws-iam-escalation-by-pass-role",
    severity=Severity.HIGH,
    checklist=("2.5", "2.10", "2.11"),
    on="principal",
    tags=("privilege-escalation", "least-privilege"),
)
def check(principal: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from escalation_findings(ctx, principal, PASS_ROLE)
