"""Root user credentials are wired into a provider or CI

An `aws` provider uses a profile named for the root user, or takes its keys from a variable or
local named for them (`root_access_key`), or a CI secret or variable is named for root access
keys (`AWS_ROOT_ACCESS_KEY_ID` in GitHub Actions, GitLab CI, CircleCI, Bitbucket, Terraform
Cloud).

## Why is this bad?
The root user cannot be limited by IAM policies, permission boundaries or (outside AWS
Organizations) SCPs. Root access keys used by automation mean every pipeline run, every
runner and every person who can read the CI secret holds unrestricted control of the account,
including closing it. AWS recommends that the root user has no access keys at all and is used
only for the few tasks that require it (checklist 1.1, 1.4).

## How to fix
Delete the root user's access keys (IAM console, Security credentials of the root user). Give
Terraform and CI an IAM role: OIDC federation for GitHub Actions, GitLab, CircleCI,
Bitbucket or Terraform Cloud (dynamic credentials), or IAM Identity Center profiles for
people, and `assume_role` into each account. Deploy the `IAM_ROOT_ACCESS_KEY_CHECK` Config
rule (see the baseline profile).

This is a Terraform rule: CloudFormation runs with the caller's or a service role's
credentials and has no provider configuration.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html
- https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
"""

from collections.abc import Iterator

from iamready.aws.secrets import name_tokens, value_origin
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, Unresolved, rule

# CI secret stores: resource type -> attribute holding the secret's name
CI_SECRETS = {
    "github_actions_secret": "secret_name",
    "github_actions_environment_secret": "secret_name",
    "github_actions_organization_secret": "secret_name",
    "github_dependabot_secret": "secret_name",
    "gitlab_project_variable": "key",
    "gitlab_group_variable": "key",
    "gitlab_instance_variable": "key",
    "circleci_environment_variable": "name",
    "circleci_context_environment_variable": "variable",
    "bitbucket_repository_variable": "key",
    "bitbucket_deployment_variable": "key",
    "tfe_variable": "key",
}
_CREDENTIAL_WORDS = {"access", "secret", "key", "keys", "credential", "credentials", "creds", "token", "password"}


def _root_credential_name(name: str) -> bool:
    tokens = name_tokens(name)
    return "root" in tokens and any(t in _CREDENTIAL_WORDS for t in tokens)


@rule(
    id="AWS-CREDS-005",
    name="aws-creds-provider-root-credentials",
    severity=Severity.CRITICAL,
    checklist=("1.1", "1.4"),
    targets={"terraform": ["provider.aws", *CI_SECRETS]},
    tags=("credentials", "root"),
)
def check(resource: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    if resource.type in CI_SECRETS:
        value = resource.attr(CI_SECRETS[resource.type])
        if value.is_known and isinstance(value.raw, str) and _root_credential_name(str(value.raw)):
            yield Finding(f"CI secret {value.raw} is named for the root user's credentials", at=value)
        elif value.is_unknown:
            yield Unresolved(f"the name of the CI secret is not known ({value.why_unknown})", at=value)
        return
    profile = resource.attr("profile")
    if profile.is_known and isinstance(profile.raw, str) and "root" in name_tokens(str(profile.raw)):
        yield Finding(f"uses profile {profile.raw!s}, named for the root user", at=profile)
    for name in ("access_key", "secret_key", "token"):
        value = resource.attr(name)
        if not value.is_set and not value.is_unknown:
            continue
        origin = value_origin(ctx.graph, resource, value.raw)
        if origin is not None and _root_credential_name(origin[1]):
            yield Finding(f"{name} comes from {origin[0]} {origin[1]}, named for the root user's keys", at=value)
