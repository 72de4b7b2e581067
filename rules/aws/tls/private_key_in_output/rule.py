"""TLS private key is exposed in a non-sensitive output

A Terraform output returns the private key of a `tls_private_key` (`private_key_pem`,
`private_key_openssh`, `private_key_pem_pkcs8`) without `sensitive = true`.

## Why is this bad?
Outputs are printed after every apply, land in CI logs, and are read by anyone who can run
`terraform output` or read remote state through `terraform_remote_state`. A private key there
(often the SSH key of an EC2 key pair) lets anyone with access to the logs log in to the
instances or impersonate the service (checklist 3.3).

## How to fix
Do not hand private keys around through outputs. Generate the key where it is used, or store
it in Secrets Manager or an SSM `SecureString` parameter and give only the people or roles
that need it access. If an output is unavoidable, mark it `sensitive = true` (Terraform still
keeps it in state, so protect the state too). For EC2 access, prefer Session Manager or EC2
Instance Connect over long-lived key pairs.

Terraform only: the `tls` provider has no CloudFormation counterpart (`AWS::EC2::KeyPair`
stores the private key in SSM Parameter Store).

## References
- https://registry.terraform.io/providers/hashicorp/tls/latest/docs/resources/private_key
- https://developer.hashicorp.com/terraform/language/values/outputs#sensitive-suppressing-values-in-cli-output
- https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-key-pairs.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import private_key_refs
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-TLS-001",
    name="aws-tls-private-key-in-output",
    severity=Severity.HIGH,
    checklist=("3.3",),
    targets={"terraform": ["output"]},
    tags=("secrets", "keys"),
)
def check(output: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    if output.module_path:
        return  # a child module's output is only shown through the root module
    refs = private_key_refs(ctx.graph, output, "value")
    if not refs:
        return
    sensitive = output.attr("sensitive")
    if sensitive.is_unknown:
        yield Unresolved(f"whether the output is sensitive is not known ({sensitive.why_unknown})", at=sensitive)
        return
    if sensitive.truthy() is True:
        return
    ref = refs[0]
    yield Finding(f"returns {ref.key.address}.{ref.attr} without sensitive = true", at=ref.span)
