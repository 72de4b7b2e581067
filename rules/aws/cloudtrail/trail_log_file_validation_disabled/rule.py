"""CloudTrail trail has no log file integrity validation

A CloudTrail trail does not enable log file integrity validation:
`enable_log_file_validation` (Terraform) or `EnableLogFileValidation` (CloudFormation) is not
`true`, and both default to `false`.

## Why is this bad?
With validation on, CloudTrail writes an hourly digest file, signed by AWS, that chains the
hashes of every log file it delivered. Without it nobody can prove that the logs were not
modified, deleted or forged after delivery, which is exactly what an investigation (or a
court) needs to rely on them (checklist item 2.12).

## How to fix
Terraform: set `enable_log_file_validation = true` on the `aws_cloudtrail`.
CloudFormation: set `EnableLogFileValidation: true` on the `AWS::CloudTrail::Trail`.
Check logs with `aws cloudtrail validate-logs`.

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
"""

from collections.abc import Iterator

from iamready.aws.settings import setting_off
from iamready.context import Context
from iamready.model import Resource
from iamready.rule import Finding, Severity, Unresolved, rule

ATTR = {"terraform": "enable_log_file_validation", "cloudformation": "EnableLogFileValidation"}


@rule(
    id="AWS-CLOUDTRAIL-003",
    name="aws-cloudtrail-trail-log-file-validation-disabled",
    severity=Severity.MEDIUM,
    checklist=("2.12",),
    targets={"terraform": ["aws_cloudtrail"], "cloudformation": ["AWS::CloudTrail::Trail"]},
    tags=("logging", "forensics"),
)
def check(trail: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    yield from setting_off(
        trail,
        ATTR,
        default=False,
        off="trail log files cannot be validated",
        unknown="whether log file validation is on is not known",
    )
