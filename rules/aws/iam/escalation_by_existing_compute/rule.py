"""Principal can run code as the role of existing compute

A user, group or role may take over compute that already runs as a role: replace a Lambda
function's code or configuration, add an SSH key to a Glue development endpoint, run commands
or open a shell on an EC2 instance (Systems Manager, EC2 Instance Connect), open a SageMaker
notebook, or start a CodeBuild build with its own commands. Reported when the grant covers any
such resource (`Resource: "*"`) or one in the code whose role is an administrator. Conditional
grants are reported at medium severity with the condition named.

## Why is this bad?
Code that runs as a role can read the role's credentials. Updating a function or sending a
command to an instance is therefore borrowing its role, and deployment or operations policies
often grant these actions on every function or instance in the account, including ones that
run with administrator roles.

## How to fix
Scope these actions to the functions, instances, endpoints, notebooks and projects the caller
owns (by ARN, or with `aws:ResourceTag` conditions), and do not run compute that ordinary
principals may update with administrator roles.

Terraform: narrow the `resources` of the `aws_iam_policy_document` statement (for example to
`aws_lambda_function.app.arn`). CloudFormation: narrow `Resource` (for example to
`!GetAtt AppFunction.Arn`).

## References
- https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
- https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation-part-2/
- https://cloud.hacktricks.xyz/pentesting-cloud/aws-security/aws-privilege-escalation/aws-ssm-privesc
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.escalation import EXISTING_COMPUTE, escalation_findings
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-104",
    name="aws-iam-escalation-by-existing-compute",
    severity=Severity.HIGH,
    checklist=("2.5", "2.10"),
    on="principal",
    tags=("privilege-escalation", "least-privilege"),
)
def check(principal: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from escalation_findings(ctx, principal, EXISTING_COMPUTE)
