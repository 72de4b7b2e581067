"""Variables file assigns a hard-coded credential

A `.tfvars` file (`terraform.tfvars`, `*.auto.tfvars`, or a `-var-file`) assigns an AWS access
key id or secret access key, or a literal value to a variable whose name says it is a secret.

## Why is this bad?
`terraform.tfvars` and `*.auto.tfvars` are loaded automatically and are usually committed
next to the code. Credentials in them are in version control, in every clone, and are sent
to every module that receives the variable. AWS keys there are long-term credentials that
anyone with read access can use (checklist 1.1, 4.2).

## How to fix
Keep secrets out of committed variable files: pass them from the CI secret store as
`TF_VAR_name` environment variables, or read them in the configuration from Secrets Manager
or SSM Parameter Store (`SecureString`). Replace AWS keys with IAM roles (OIDC federation for
CI, instance and task roles for workloads). Rotate any key that was committed.

This is a Terraform-only rule: CloudFormation parameter files are not part of a template.

## References
- https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files
- https://developer.hashicorp.com/terraform/tutorials/configuration-language/sensitive-variables
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
"""

from collections.abc import Iterator

from iamready.aws.secrets import SECRET, find_secrets, first_instance
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, rule


@rule(
    id="AWS-CREDS-003",
    name="aws-creds-tfvars-secret",
    severity=Severity.HIGH,
    checklist=("1.1", "4.2"),
    targets={"terraform": ["tfvars"]},
    tags=("credentials", "secrets"),
)
def check(tfvars: Resource, ctx: Context) -> Iterator[Finding]:
    if not first_instance(ctx.graph, tfvars):
        return
    for name, value in tfvars.attrs.items():
        span = tfvars.attrs.key_spans.get(name, tfvars.span)
        for hit in find_secrets(value, str(name), span, str(name)):
            yield Finding(
                f"{hit.path} is assigned {hit.describe()}",
                at=hit.span,
                key=hit.path,
                severity=Severity.MEDIUM if hit.kind == SECRET else None,
            )
