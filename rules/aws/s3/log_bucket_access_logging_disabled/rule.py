"""Log bucket has no server access logging

The S3 bucket that a CloudTrail trail, a Cost and Usage Report or a billing data export
writes to does not record server access logs.

## Why is this bad?
CloudTrail data events for the log bucket are rarely enabled, so server access logging is
often the only record of who read, listed or deleted the logs themselves. Without it, an
attacker who reaches the bucket can read the account's audit trail or remove objects
without leaving a trace in the bucket's own history (checklist item 5.2).

## How to fix
Send the bucket's access logs to a separate bucket (not the log bucket itself).

Terraform (AWS provider v4 and later): add an `aws_s3_bucket_logging` resource with
`target_bucket` and `target_prefix`. With older providers, add a `logging { target_bucket =
... }` block to the `aws_s3_bucket`.

CloudFormation: set `LoggingConfiguration` with `DestinationBucketName` on the
`AWS::S3::Bucket`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
"""

from collections.abc import Iterator

from iamready.aws.log_bucket_check import LOG_BUCKET_TARGETS, log_bucket_check
from iamready.aws.s3 import LogTarget, access_logging
from iamready.context import Context
from iamready.model import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-S3-004",
    name="aws-s3-log-bucket-access-logging-disabled",
    severity=Severity.MEDIUM,
    checklist=("5.2",),
    targets=LOG_BUCKET_TARGETS,
    tags=("logging", "forensics"),
)
@log_bucket_check("access logging")
def check(resource: Resource, ctx: Context, found: LogTarget) -> Iterator[Finding | Unresolved]:
    reading = access_logging(ctx.graph, resource)
    if reading is None:
        yield Finding(f"bucket {found.why} has no server access logging", at=resource)
    elif reading.only_maybe:
        yield Unresolved(
            f"bucket {found.why} has no access logging of its own; {reading.value.why_unknown}", at=resource
        )
    elif reading.unknown and reading.source is resource:
        yield Unresolved(
            f"bucket {found.why}: whether access logging is configured is not known ({reading.value.why_unknown})",
            at=reading.value,
        )
