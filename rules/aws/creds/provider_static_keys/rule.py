"""AWS provider block holds hard-coded access keys

An `aws` provider block sets `access_key`, `secret_key` or `token` (or another attribute) to a
literal AWS credential written in the code.

## Why is this bad?
Keys written in a provider block end up in version control, in every clone, fork and CI log
that prints the configuration, and they are long-lived: whoever reads the repository can act as
the key's owner until someone notices and rotates it. When the keys are the root user's, that
is the whole account (checklist 1.1, 1.4); in any case static keys belong in a secure store,
not in code (4.2).

## How to fix
Remove the attributes and let the provider find credentials the standard way: an IAM role
(instance profile, ECS task role, CI OIDC federation such as GitHub Actions'
`aws-actions/configure-aws-credentials`), `AWS_PROFILE` with IAM Identity Center (SSO), or
environment variables set by the runner. Use `assume_role` to reach other accounts. Rotate and
delete the keys that were committed: they are in the repository history.

CloudFormation has no provider block; this rule applies to Terraform only.

## References
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
"""

from collections.abc import Iterator

from iamready.aws.secrets import SECRET, find_secrets, is_literal, is_placeholder
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, rule

_CREDENTIAL_ATTRS = {"access_key": "an access key id", "secret_key": "a secret access key", "token": "a session token"}


@rule(
    id="AWS-CREDS-001",
    name="aws-creds-provider-static-keys",
    severity=Severity.CRITICAL,
    checklist=("1.1", "1.4", "4.2"),
    targets={"terraform": ["provider.aws"]},
    tags=("credentials", "secrets"),
)
def check(provider: Resource, ctx: Context) -> Iterator[Finding]:
    for name, item in provider.attrs.items():
        span = provider.attrs.key_spans.get(name, provider.span)
        hits = [h for h in find_secrets(item, str(name), span, "", provider.span) if h.written_within(provider.span)]
        for hit in hits:
            where = f"{name}.{hit.path}" if hit.path and not hit.path.startswith("[") else f"{name}{hit.path}"
            text = "a hard-coded secret" if hit.kind == SECRET else f"a hard-coded {hit.what()}"
            yield Finding(f"{where} is {text}", at=hit.span, key=where)
        if hits or name not in _CREDENTIAL_ATTRS:
            continue
        value = provider.attr(str(name))
        raw = value.raw
        written = getattr(raw, "span", None)
        if (
            value.is_known
            and is_literal(raw)
            and not is_placeholder(raw)
            and written is not None
            and written.path == provider.span.path
            and provider.span.start_line <= written.start_line <= provider.span.end_line
        ):
            yield Finding(f"{name} is hard-coded: {_CREDENTIAL_ATTRS[name]} written in the provider block", at=value)
