"""Log bucket has no versioning

The S3 bucket that a CloudTrail trail, a Cost and Usage Report or a billing data export
writes to does not have versioning enabled (not configured, `Suspended` or `Disabled`).

## Why is this bad?
Without versioning, a log object that is overwritten or deleted is gone: whoever gets write or
delete access to the bucket (a leaked key, an over-broad role, a lifecycle rule set by
mistake) can erase the record of what they did. Versioning keeps every version, so deleted
logs can be recovered and the deletion itself is visible (checklist item 5.2). It is also the
prerequisite for MFA delete and S3 Object Lock.

## How to fix
Terraform (AWS provider v4 and later): add an `aws_s3_bucket_versioning` resource for the
bucket with `versioning_configuration { status = "Enabled" }`. With older providers, set
`versioning { enabled = true }` on the `aws_s3_bucket`.

CloudFormation: set `VersioningConfiguration: {Status: Enabled}` on the `AWS::S3::Bucket`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
"""

from collections.abc import Iterator

from iamready.aws.log_bucket_check import LOG_BUCKET_TARGETS, log_bucket_check
from iamready.aws.s3 import LogTarget, maybe_note, versioning
from iamready.context import Context
from iamready.model import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-S3-005",
    name="aws-s3-log-bucket-versioning-disabled",
    severity=Severity.MEDIUM,
    checklist=("5.2",),
    targets=LOG_BUCKET_TARGETS,
    tags=("logging", "forensics"),
)
@log_bucket_check("versioning")
def check(resource: Resource, ctx: Context, found: LogTarget) -> Iterator[Finding | Unresolved]:
    state = versioning(ctx.graph, resource)
    if state.unknown is not None:
        yield Unresolved(f"bucket {found.why}: versioning is not known ({state.unknown.why_unknown})", at=state.unknown)
        return
    if state.enabled:
        return
    if state.status is None:
        if state.maybe:
            yield Unresolved(f"bucket {found.why} has no versioning of its own; {maybe_note(state.maybe)}", at=resource)
            return
        yield Finding(f"bucket {found.why} has no versioning", at=resource)
        return
    where = "" if state.source is resource else f" ({state.source.address})"
    yield Finding(f"bucket {found.why} has versioning {state.status}{where}", at=state.at)
