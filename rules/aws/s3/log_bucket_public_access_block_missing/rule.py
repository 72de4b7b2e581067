"""Log bucket has no complete public access block

The S3 bucket that a CloudTrail trail or a Cost and Usage Report writes to is not covered
by all four S3 Block Public Access settings, neither on the bucket nor account-wide.

## Why is this bad?
CloudTrail logs and billing reports are the evidence of who did what in the account. A single
public ACL or a careless bucket policy statement is enough to publish them (or let anyone
overwrite them) when public access is not blocked. Block Public Access is the guard rail that
holds even when someone later adds such a grant (checklist item 5.2).

## How to fix
Turn on all four settings for the bucket.

Terraform: add `aws_s3_bucket_public_access_block` for the bucket with `block_public_acls`,
`block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` set to `true` (or
an `aws_s3_account_public_access_block` with all four set, which covers every bucket).
CloudFormation: set all four fields of the bucket's `PublicAccessBlockConfiguration` to
`true`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
"""

from collections.abc import Iterator

from iamready.aws.buckets import describe_writers
from iamready.context import Context
from iamready.model import Resource, Value
from iamready.rule import Finding, Severity, Unresolved, rule

TF_FLAGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
CFN_FLAGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")


@rule(
    id="AWS-S3-001",
    name="aws-s3-log-bucket-public-access-block-missing",
    severity=Severity.HIGH,
    checklist=("5.2",),
    targets={"terraform": ["aws_s3_bucket"], "cloudformation": ["AWS::S3::Bucket"]},
    tags=("logging", "public-access"),
)
def check(bucket: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    writers = ctx.log_buckets.get(bucket.id)
    if not writers:
        return
    scope = f"bucket written by {describe_writers(writers)}"
    if bucket.framework == "cloudformation":
        config = bucket.attr("PublicAccessBlockConfiguration")
        if config.is_unknown:
            yield Unresolved(f"{scope}: PublicAccessBlockConfiguration is not known ({config.why_unknown})", at=config)
            return
        if not config.is_set:
            yield Finding(f"{scope} has no PublicAccessBlockConfiguration", at=bucket)
            return
        yield from _flags(config, CFN_FLAGS, scope, "PublicAccessBlockConfiguration")
        return
    if _account_block_complete(ctx, bucket):
        return
    blocks = ctx.graph.referrers(bucket, type="aws_s3_bucket_public_access_block", kind="configures")
    if not blocks:
        yield Finding(f"{scope} has no aws_s3_bucket_public_access_block", at=bucket)
        return
    for block in blocks:
        yield from _flags(block.attr(""), TF_FLAGS, scope, block.address)


def _flags(config: Value, names: tuple[str, ...], scope: str, where: str) -> Iterator[Finding | Unresolved]:
    off, unknown = [], []
    for name in names:
        value = config.get(name)
        truth = value.truthy()
        if value.is_unknown:
            unknown.append((name, value))
        elif truth is not True:
            off.append((name, value))
    for name, value in unknown:
        yield Unresolved(f"{scope}: {name} is not known ({value.why_unknown})", at=value)
    if off:
        listed = ", ".join(name for name, _ in off)
        first = next((value for _, value in off if value.is_set), None)
        yield Finding(f"{scope}: {where} leaves {listed} off", at=first if first is not None else config)


def _account_block_complete(ctx: Context, bucket: Resource) -> bool:
    for block in ctx.graph.resources("aws_s3_account_public_access_block"):
        if block.scope == bucket.scope and all(block.attr(name).truthy() is True for name in TF_FLAGS):
            return True
    return False
