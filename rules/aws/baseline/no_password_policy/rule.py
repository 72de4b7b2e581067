"""No account password policy is defined in the account baseline

Baseline profile (`--profile baseline`). A Terraform root module (with the modules it calls)
defines no `aws_iam_account_password_policy`. CloudFormation has no resource type for the
password policy, so templates are not checked. Each root module is judged on its own; scan the
code that manages the account baseline with this profile.

## Why is this bad?
Without a policy, IAM accepts passwords of 6 characters with no character classes, never
expires them and lets users reuse old ones (checklist 2.2); expiry is also part of the user
life cycle (2.7). AWS-IAM-056 checks the fields of a policy that exists.

## How to fix
Add an `aws_iam_account_password_policy` with `minimum_password_length = 14`, all four
`require_*` flags, `password_reuse_prevention = 24` and `max_password_age = 90`. Prefer
federation (IAM Identity Center) so that people need no IAM passwords at all.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html
- https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_account_password_policy
"""

from collections.abc import Iterator

from iamready.aws.account_baseline import TERRAFORM, scopes
from iamready.context import Context
from iamready.model.graph import Graph
from iamready.rule import Finding, Severity, rule


@rule(
    id="AWS-BASELINE-002",
    name="aws-baseline-no-password-policy",
    severity=Severity.MEDIUM,
    checklist=("2.2", "2.7"),
    on="project",
    profile="baseline",
    frameworks=("terraform",),
    tags=("baseline", "passwords"),
)
def check(graph: Graph, ctx: Context) -> Iterator[Finding]:
    for scope in scopes(ctx, TERRAFORM):
        if not scope.resources(graph, "aws_iam_account_password_policy"):
            yield Finding(f"{scope.label} defines no account password policy", at=scope.span, key=scope.id)
