"""Log bucket has ACLs enabled

The S3 bucket that a CloudTrail trail, a Cost and Usage Report or a billing data export
writes to sets S3 Object Ownership to `ObjectWriter` or `BucketOwnerPreferred`, which turns
access control lists back on. New buckets default to `BucketOwnerEnforced` (ACLs disabled),
so a bucket without an ownership setting is not reported.

## Why is this bad?
With ACLs enabled, access to the logs is no longer decided by the bucket policy alone: any
principal allowed `s3:PutBucketAcl` or `s3:PutObjectAcl` can grant other accounts (or
everyone) access to individual log objects, and with `ObjectWriter` objects written by
another account are owned by that account, not by you. Reviewing who can read the audit
trail then means reviewing every object's ACL (checklist item 5.2).

## How to fix
Set object ownership to `BucketOwnerEnforced`; CloudTrail and billing reports do not need
ACLs.

Terraform: `aws_s3_bucket_ownership_controls` with `rule { object_ownership =
"BucketOwnerEnforced" }` (and remove `aws_s3_bucket_acl` / the `acl` argument).
CloudFormation: `OwnershipControls: {Rules: [{ObjectOwnership: BucketOwnerEnforced}]}` on the
`AWS::S3::Bucket` (and remove `AccessControl`).

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/ensure-object-ownership.html
"""

from collections.abc import Iterator

from iamready.aws.log_bucket_check import LOG_BUCKET_TARGETS, log_bucket_check
from iamready.aws.s3 import LogTarget, object_ownership
from iamready.context import Context
from iamready.model import Resource
from iamready.rule import Finding, Severity, Unresolved, rule

ACLS_ENABLED = {"objectwriter": "ObjectWriter", "bucketownerpreferred": "BucketOwnerPreferred"}


@rule(
    id="AWS-S3-003",
    name="aws-s3-log-bucket-acls-enabled",
    severity=Severity.LOW,
    checklist=("5.2",),
    targets=LOG_BUCKET_TARGETS,
    tags=("logging", "access-control"),
)
@log_bucket_check("object ownership")
def check(resource: Resource, ctx: Context, found: LogTarget) -> Iterator[Finding | Unresolved]:
    reading = object_ownership(ctx.graph, resource)
    if reading is None:
        return  # the S3 default, BucketOwnerEnforced: ACLs are disabled
    if reading.only_maybe:
        yield Unresolved(
            f"bucket {found.why} sets no object ownership of its own; {reading.value.why_unknown}", at=resource
        )
        return
    if reading.unknown:
        yield Unresolved(
            f"bucket {found.why}: object ownership is not known ({reading.value.why_unknown})", at=reading.value
        )
        return
    raw = reading.value.raw
    setting = ACLS_ENABLED.get(str(raw).lower()) if isinstance(raw, str) else None
    if setting is not None:
        where = "" if reading.source is resource else f" ({reading.source.address})"
        yield Finding(
            f"bucket {found.why} has object ownership {setting}{where}, so ACLs are enabled", at=reading.value
        )
