"""No CloudTrail trail is defined in the account baseline

Baseline profile (`--profile baseline`). A scanned scope (a Terraform root module with the
modules it calls, or a CloudFormation template) defines no CloudTrail trail
(`aws_cloudtrail` / `AWS::CloudTrail::Trail`). Each scope is judged on its own; scan the code
that manages the account baseline with this profile.

## Why is this bad?
CloudTrail's event history keeps only 90 days of management events, in one region, and
cannot be sent to a protected bucket or alarmed on. Without a trail there is no durable record
of who did what, which is the first thing an investigation needs (checklist 2.12).

## How to fix
Define a multi-region trail (or an organization trail in the management account) with log
file validation, delivering to a locked-down S3 bucket and to CloudWatch Logs:
`aws_cloudtrail` with `is_multi_region_trail = true`, `enable_log_file_validation = true`,
`cloud_watch_logs_group_arn`, `kms_key_id`; `AWS::CloudTrail::Trail` with the same
properties.

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
"""

from collections.abc import Iterator

from iamready.aws.account_baseline import scopes
from iamready.context import Context
from iamready.model.graph import Graph
from iamready.rule import Finding, Severity, rule

TRAILS = ("aws_cloudtrail", "AWS::CloudTrail::Trail")


@rule(
    id="AWS-BASELINE-001",
    name="aws-baseline-no-cloudtrail-trail",
    severity=Severity.HIGH,
    checklist=("2.12",),
    on="project",
    profile="baseline",
    tags=("baseline", "logging"),
)
def check(graph: Graph, ctx: Context) -> Iterator[Finding]:
    for scope in scopes(ctx):
        if not scope.resources(graph, TRAILS):
            yield Finding(f"{scope.label} defines no CloudTrail trail", at=scope.span, key=scope.id)
