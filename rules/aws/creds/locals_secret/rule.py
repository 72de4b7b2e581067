"""Local value holds a hard-coded credential

A Terraform `locals` entry is an AWS access key id or secret access key, or holds one (in a
map, a list, an environment block being assembled), or is a literal value under a name that
says it is a secret.

## Why is this bad?
Locals are code: whatever they hold is committed and reaches every resource that reads them,
often a Lambda environment, user data or a container definition where the value is visible to
anyone who can describe the resource. Static AWS keys assembled in locals are long-term
credentials in the repository (checklist 4.2).

## How to fix
Read secrets from where they are stored (`data "aws_secretsmanager_secret_version"`,
`data "aws_ssm_parameter"` of type `SecureString`), or pass references instead of values (the
ARN of the secret, for the workload to read with its own role). Replace AWS keys with IAM
roles. Rotate any key that was committed.

Terraform only: CloudFormation has no local values.

## References
- https://developer.hashicorp.com/terraform/language/values/locals
- https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
"""

from collections.abc import Iterator

from iamready.aws.secrets import SECRET, find_secrets, first_instance
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, rule


@rule(
    id="AWS-CREDS-004",
    name="aws-creds-locals-secret",
    severity=Severity.HIGH,
    checklist=("4.2",),
    targets={"terraform": ["locals"]},
    tags=("credentials", "secrets"),
)
def check(local: Resource, ctx: Context) -> Iterator[Finding]:
    value = local.attr("value")
    if not value.is_known or not first_instance(ctx.graph, local):
        return
    for hit in find_secrets(value.raw, local.name, value.span, "", local.span):
        if not hit.written_within(local.span):
            continue  # brought in from a variable or another local: reported there
        yield Finding(
            f"{hit.path or 'value'} is {hit.describe()}",
            at=hit.span,
            key=hit.path,
            severity=Severity.MEDIUM if hit.kind == SECRET else None,
        )
