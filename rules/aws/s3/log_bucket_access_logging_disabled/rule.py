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

from iamready.aws.s3 import CFN_WRITERS, TF_WRITERS, WRITER_TYPES, access_logging, log_bucket, unresolved_writer
from iamready.context import Context
from iamready.model import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-S3-004",
    name="aws-s3-log-bucket-access-logging-disabled",
    severity=Severity.MEDIUM,
    checklist=("5.2",),
    targets={"terraform": ["aws_s3_bucket", *TF_WRITERS], "cloudformation": ["AWS::S3::Bucket", *CFN_WRITERS]},
    tags=("logging", "forensics"),
)
def check(resource: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    if resource.type in WRITER_TYPES:
        yield from unresolved_writer(resource, "access logging")
        return
    found = log_bucket(ctx, resource)
    if found is None:
        return
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
