"""No AWS Config rule checks for root access keys

Baseline profile (`--profile baseline`). A scanned scope (a Terraform root module with the
modules it calls, or a CloudFormation template) deploys no AWS Config rule IAM_ROOT_ACCESS_KEY_CHECK: no
`aws_config_config_rule` / `AWS::Config::ConfigRule` with that source identifier, no
organization managed rule and no conformance pack that includes it. Each scope is judged on
its own; scan the code that manages the account baseline with this profile.

## Why is this bad?
Root access keys give unrestricted, long-term programmatic access to the account; AWS
recommends that the root user has none. Keys are created in the console, outside
infrastructure code, so a Config rule is how code makes sure none exist (checklist 1.1,
1.4).

## How to fix
Deploy the AWS managed rule `IAM_ROOT_ACCESS_KEY_CHECK` with a configuration recorder and
delivery channel, alert on non-compliance, and delete any root access key it finds.

## References
- https://docs.aws.amazon.com/config/latest/developerguide/iam-root-access-key-check.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html
"""

from collections.abc import Iterator

from iamready.aws.account_baseline import missing_config_rule
from iamready.context import Context
from iamready.model.graph import Graph
from iamready.rule import Finding, Severity, Unresolved, rule

IDENTIFIERS = ("IAM_ROOT_ACCESS_KEY_CHECK",)


@rule(
    id="AWS-BASELINE-006",
    name="aws-baseline-no-root-access-key-config-rule",
    severity=Severity.MEDIUM,
    checklist=("1.1", "1.4"),
    on="project",
    profile="baseline",
    tags=("baseline", "config"),
)
def check(graph: Graph, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from missing_config_rule(ctx, IDENTIFIERS)
