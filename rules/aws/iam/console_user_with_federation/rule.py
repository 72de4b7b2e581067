"""IAM user has a console password although an identity provider is defined

The same code defines a SAML or OIDC identity provider for people (`aws_iam_saml_provider`,
`aws_iam_openid_connect_provider`, `AWS::IAM::SAMLProvider`, `AWS::IAM::OIDCProvider`) and
gives an IAM user a console password. OIDC providers for CI systems (GitHub Actions, GitLab,
Terraform Cloud, CircleCI, Bitbucket, EKS) federate machines, not people, and do not count.
Informational.

## Why is this bad?
With federation in place, people can sign in through the identity provider, where their
account, MFA and offboarding are already managed. A separate IAM password is a second,
unmanaged credential that outlives the person's directory account (checklist 4.4).

## How to fix
Let the person sign in through the identity provider (a role they assume via SAML, or IAM
Identity Center), then delete the user's login profile and, when nothing else needs it, the
user.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-saml.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import console_access, user_name
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, rule

PROVIDERS = (
    "aws_iam_saml_provider",
    "aws_iam_openid_connect_provider",
    "AWS::IAM::SAMLProvider",
    "AWS::IAM::OIDCProvider",
)
# OIDC issuers of CI systems and Kubernetes: they federate workloads, not people
MACHINE_ISSUERS = (
    "token.actions.githubusercontent.com",
    "gitlab.com",
    "app.terraform.io",
    "oidc.circleci.com",
    "api.bitbucket.org",
    "oidc.eks.",
    "vstoken.actions.githubusercontent.com",
)


def people_provider(provider: Resource) -> bool:
    if provider.type in ("aws_iam_saml_provider", "AWS::IAM::SAMLProvider"):
        return True
    url = provider.attr("Url" if provider.framework == "cloudformation" else "url").raw
    if not isinstance(url, str):
        return True
    text = str(url).removeprefix("https://")
    return not any(text.startswith(issuer) for issuer in MACHINE_ISSUERS)


@rule(
    id="AWS-IAM-057",
    name="aws-iam-console-user-with-federation",
    severity=Severity.INFO,
    checklist=("4.4",),
    targets={"terraform": ["aws_iam_user"], "cloudformation": ["AWS::IAM::User"]},
    tags=("identity", "federation"),
)
def check(user: Resource, ctx: Context) -> Iterator[Finding]:
    console = console_access(ctx.graph, user)
    if console is None:
        return
    providers = [p for p in ctx.graph.resources_in(user.scope, PROVIDERS) if people_provider(p)]
    if not providers:
        return
    is_resource = isinstance(console, Resource)
    yield Finding(
        f"user {user_name(user)} has an IAM console password although {providers[0].address} "
        "federates sign-in; use the identity provider instead",
        at=console.span if is_resource else console,
        resource=console if is_resource else user,
        related=[(p.span, f"identity provider {p.address}") for p in providers],
    )
