"""Variable default holds a hard-coded credential

A Terraform `variable` has a `default` that is an AWS access key id or secret access key, or a
literal value for a variable whose name says it is a secret (`db_password`, `api_token`).

## Why is this bad?
A default is part of the code: it is committed, copied into every fork and module consumer,
and used silently whenever nobody passes a value. `sensitive = true` only hides the value in
plan output; it does not keep it out of the repository. AWS keys in a default are long-term
credentials anyone with read access can use (checklist 1.1, 4.2).

## How to fix
Remove the default so the value must be supplied at run time (`TF_VAR_...` from the CI
secret store, a `-var-file` kept out of version control), or better, read it where it is
stored: `data "aws_secretsmanager_secret_version"` or `data "aws_ssm_parameter"` for secrets,
IAM roles instead of access keys for AWS access. Rotate any key that was committed.

CloudFormation parameters are covered by AWS-CFN-001; this rule applies to Terraform.

## References
- https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output
- https://developer.hashicorp.com/terraform/tutorials/configuration-language/sensitive-variables
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
"""

from collections.abc import Iterator

from iamready.aws.secrets import SECRET, find_secrets, first_instance
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, rule


@rule(
    id="AWS-CREDS-002",
    name="aws-creds-variable-default-secret",
    severity=Severity.HIGH,
    checklist=("1.1", "4.2"),
    targets={"terraform": ["variable"]},
    tags=("credentials", "secrets"),
)
def check(variable: Resource, ctx: Context) -> Iterator[Finding]:
    default = variable.attr("default")
    if not default.is_known or not first_instance(ctx.graph, variable):
        return
    for hit in find_secrets(default.raw, variable.name, default.span, "", variable.span):
        if not hit.written_within(variable.span):
            continue
        where = f"default.{hit.path}" if hit.path else "default"
        yield Finding(
            f"{where} of variable {variable.name} is {hit.describe()}",
            at=hit.span,
            key=where,
            severity=Severity.MEDIUM if hit.kind == SECRET else None,
        )
