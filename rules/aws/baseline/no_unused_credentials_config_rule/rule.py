"""No AWS Config rule checks for unused IAM credentials

Baseline profile (`--profile baseline`). A scanned scope (a Terraform root module with the
modules it calls, or a CloudFormation template) deploys no AWS Config rule IAM_USER_UNUSED_CREDENTIALS_CHECK: no
`aws_config_config_rule` / `AWS::Config::ConfigRule` with that source identifier, no
organization managed rule and no conformance pack that includes it. Each scope is judged on
its own; scan the code that manages the account baseline with this profile.

## Why is this bad?
Passwords and access keys of people who left, and of services that were retired, stay valid
until someone removes them. A Config rule that flags credentials unused for a set number of
days is how an account's user life cycle is enforced (checklist 2.7, 3.2, 3.4).

## How to fix
Deploy the AWS managed rule `IAM_USER_UNUSED_CREDENTIALS_CHECK` (parameter
`maxCredentialUsageAge`, for example 45 days) with a configuration recorder and delivery
channel, and deactivate the credentials it reports.

## References
- https://docs.aws.amazon.com/config/latest/developerguide/iam-user-unused-credentials-check.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html
"""

from collections.abc import Iterator

from iamready.aws.account_baseline import missing_config_rule
from iamready.context import Context
from iamready.model.graph import Graph
from iamready.rule import Finding, Severity, Unresolved, rule

IDENTIFIERS = ("IAM_USER_UNUSED_CREDENTIALS_CHECK",)


@rule(
    id="AWS-BASELINE-008",
    name="aws-baseline-no-unused-credentials-config-rule",
    severity=Severity.MEDIUM,
    checklist=("2.7", "3.2", "3.4"),
    on="project",
    profile="baseline",
    tags=("baseline", "config"),
)
def check(graph: Graph, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from missing_config_rule(ctx, IDENTIFIERS)
