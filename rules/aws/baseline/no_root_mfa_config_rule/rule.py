"""No AWS Config rule checks MFA on the root user

Baseline profile (`--profile baseline`). A scanned scope (a Terraform root module with the
modules it calls, or a CloudFormation template) deploys no AWS Config rule
ROOT_ACCOUNT_MFA_ENABLED (or ROOT_ACCOUNT_HARDWARE_MFA_ENABLED): no
`aws_config_config_rule` / `AWS::Config::ConfigRule` with that source identifier, no
organization managed rule and no conformance pack that includes it. Each scope is judged on
its own; scan the code that manages the account baseline with this profile.

## Why is this bad?
The root user can do anything in the account and cannot be restricted by IAM. Without MFA,
its password alone (phished, reused, or reset through the account's email) is enough to take
the account over. MFA on root is set in the console, outside infrastructure code, so the
only thing code can do is make AWS Config check it continuously (checklist 1.2).

## How to fix
Deploy the AWS managed rule `ROOT_ACCOUNT_MFA_ENABLED` (or
`ROOT_ACCOUNT_HARDWARE_MFA_ENABLED` for a hardware token), with a configuration recorder
and delivery channel, and alert on its non-compliance.

## References
- https://docs.aws.amazon.com/config/latest/developerguide/root-account-mfa-enabled.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-virt-mfa-for-root.html
"""

from collections.abc import Iterator

from iamready.aws.account_baseline import missing_config_rule
from iamready.context import Context
from iamready.model.graph import Graph
from iamready.rule import Finding, Severity, Unresolved, rule

IDENTIFIERS = ("ROOT_ACCOUNT_MFA_ENABLED", "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED")


@rule(
    id="AWS-BASELINE-005",
    name="aws-baseline-no-root-mfa-config-rule",
    severity=Severity.MEDIUM,
    checklist=("1.2",),
    on="project",
    profile="baseline",
    tags=("baseline", "config"),
)
def check(graph: Graph, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from missing_config_rule(ctx, IDENTIFIERS)
