"""Log bucket versions can be deleted without MFA and are not locked

The versioned S3 bucket that a CloudTrail trail, a Cost and Usage Report or a billing data
export writes to has neither MFA delete nor S3 Object Lock with a default retention period.
(A bucket without versioning is reported by AWS-S3-005 instead.)

## Why is this bad?
Versioning keeps old versions, but whoever may call `s3:DeleteObjectVersion` (or change the
lifecycle configuration) can still erase them permanently, and with them the evidence of an
intrusion. MFA delete requires the root user's MFA code for that; Object Lock with a default
retention makes every log object undeletable for the retention period, even for
administrators in compliance mode (checklist item 5.2). Object Lock without a default
retention locks nothing that CloudTrail writes, because CloudTrail sets no retention on its
objects.

## How to fix
Prefer Object Lock, which can be managed as code.

Terraform: create the bucket with `object_lock_enabled = true` and add an
`aws_s3_bucket_object_lock_configuration` with `rule { default_retention { mode =
"COMPLIANCE" (or "GOVERNANCE"), days = 365 } }`. MFA delete (`mfa_delete = "Enabled"` in
`aws_s3_bucket_versioning`) can only be turned on with the root user's MFA device.

CloudFormation: set `ObjectLockEnabled: true` and `ObjectLockConfiguration` with
`ObjectLockEnabled: Enabled` and `Rule: {DefaultRetention: {Mode: COMPLIANCE, Days: 365}}`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html
"""

from collections.abc import Iterator

from iamready.aws.log_bucket_check import LOG_BUCKET_TARGETS, log_bucket_check
from iamready.aws.s3 import LogTarget, object_lock, versioning
from iamready.context import Context
from iamready.model import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-S3-006",
    name="aws-s3-log-bucket-without-delete-protection",
    severity=Severity.LOW,
    checklist=("5.2",),
    targets=LOG_BUCKET_TARGETS,
    tags=("logging", "forensics"),
)
@log_bucket_check("MFA delete and object lock")
def check(resource: Resource, ctx: Context, found: LogTarget) -> Iterator[Finding | Unresolved]:
    lock = object_lock(ctx.graph, resource)
    if lock.unknown is not None:
        yield Unresolved(f"bucket {found.why}: object lock is not known ({lock.unknown.why_unknown})", at=lock.unknown)
        return
    if lock.enabled and lock.retention is not None:
        return
    state = versioning(ctx.graph, resource)
    if not lock.enabled and not state.enabled:
        return  # no versioning: AWS-S3-005
    if state.mfa_delete:
        return
    if state.mfa_delete is None:
        yield Unresolved(f"bucket {found.why}: MFA delete is not known", at=state.at)
        return
    if lock.enabled:
        yield Finding(
            f"bucket {found.why} enables object lock without a default retention, so the log objects are not "
            "locked, and MFA delete is off",
            at=lock.at,
        )
        return
    yield Finding(
        f"bucket {found.why} has neither MFA delete nor object lock: old log versions can be deleted for good",
        at=state.at,
    )
