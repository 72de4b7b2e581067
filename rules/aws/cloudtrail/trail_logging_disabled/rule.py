"""CloudTrail trail has logging turned off

A CloudTrail trail is defined but not logging: `enable_logging = false` (Terraform) or
`IsLogging: false` (CloudFormation).

## Why is this bad?
A trail that does not log records nothing: no console sign-ins, no API calls, no changes to
IAM. The trail still exists, so dashboards and reviews that only check "is there a trail?"
report the account as monitored while user activity goes unrecorded (checklist item 2.12).
Stopping logging is also what an intruder does first, so keeping it on must be a deliberate,
reviewed setting in code.

## How to fix
Terraform: remove `enable_logging = false` from the `aws_cloudtrail` (the default is `true`).
CloudFormation: set `IsLogging: true` on the `AWS::CloudTrail::Trail`.

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
- https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html
"""

from collections.abc import Iterator

from iamready.aws.settings import setting_off
from iamready.context import Context
from iamready.model import Resource
from iamready.rule import Finding, Severity, Unresolved, rule

ATTR = {"terraform": "enable_logging", "cloudformation": "IsLogging"}


@rule(
    id="AWS-CLOUDTRAIL-002",
    name="aws-cloudtrail-trail-logging-disabled",
    severity=Severity.HIGH,
    checklist=("2.12",),
    targets={"terraform": ["aws_cloudtrail"], "cloudformation": ["AWS::CloudTrail::Trail"]},
    tags=("logging", "monitoring"),
)
def check(trail: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from setting_off(
        trail,
        ATTR,
        default=True,
        off="trail does not log",
        unknown="whether the trail is logging is not known",
    )
