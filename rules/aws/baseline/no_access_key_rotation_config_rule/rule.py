"""No AWS Config rule checks access key rotation

Baseline profile (`--profile baseline`). A scanned scope (a Terraform root module with the
modules it calls, or a CloudFormation template) deploys no AWS Config rule ACCESS_KEYS_ROTATED: no
`aws_config_config_rule` / `AWS::Config::ConfigRule` with that source identifier, no
organization managed rule and no conformance pack that includes it. Each scope is judged on
its own; scan the code that manages the account baseline with this profile.

## Why is this bad?
Access keys do not expire. Without a check, keys stay active for years, and every copy made
in that time stays usable (checklist 3.1).

## How to fix
Deploy the AWS managed rule `ACCESS_KEYS_ROTATED` (parameter `maxAccessKeyAge`, for example
90 days) with a configuration recorder and delivery channel, and act on non-compliant keys;
better, replace users' keys with roles.

## References
- https://docs.aws.amazon.com/config/latest/developerguide/access-keys-rotated.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console
"""

from collections.abc import Iterator

from iamready.aws.account_baseline import missing_config_rule
from iamready.context import Context
from iamready.model.graph import Graph
from iamready.rule import Finding, Severity, Unresolved, rule

IDENTIFIERS = ("ACCESS_KEYS_ROTATED",)


@rule(
    id="AWS-BASELINE-007",
    name="aws-baseline-no-access-key-rotation-config-rule",
    severity=Severity.MEDIUM,
    checklist=("3.1",),
    on="project",
    profile="baseline",
    tags=("baseline", "config"),
)
def check(graph: Graph, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from missing_config_rule(ctx, IDENTIFIERS)
