"""Log bucket ACL grants access to everyone or to every AWS account

The S3 bucket that a CloudTrail trail, a Cost and Usage Report or a billing data export
writes to has a public canned ACL (`public-read`, `public-read-write`, `authenticated-read`)
or an ACL grant to the `AllUsers` or `AuthenticatedUsers` group.

## Why is this bad?
CloudTrail logs describe every API call in the account (who, from where, on what), and
billing reports list every resource and what it costs: a map for an attacker. A public ACL
publishes them; a public write grant lets anyone plant or overwrite log objects.
`AuthenticatedUsers` means any AWS account in the world, not your users (checklist item 5.2).
When Block Public Access sets `ignore_public_acls`, S3 ignores the grant: it is still
reported, at low severity, because removing that setting would make it live.

## How to fix
Remove the public ACL: delete the `acl`/`grant` (or `aws_s3_bucket_acl`) and use
`BucketOwnerEnforced` object ownership so ACLs are disabled. Grant readers access through
IAM policies or the bucket policy instead.

Terraform: remove `acl = "public-read"` (and public `grant` blocks) from `aws_s3_bucket` or
`aws_s3_bucket_acl`. CloudFormation: remove `AccessControl: PublicRead` (or
`PublicReadWrite` / `AuthenticatedRead`) from the `AWS::S3::Bucket`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
"""

from collections.abc import Iterator

from iamready.aws.log_bucket_check import LOG_BUCKET_TARGETS, log_bucket_check
from iamready.aws.s3 import GROUP_TEXT, LogTarget, public_access_block, public_acl_grants
from iamready.context import Context
from iamready.model import Resource
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-S3-002",
    name="aws-s3-log-bucket-public-acl",
    severity=Severity.HIGH,
    checklist=("5.2",),
    targets=LOG_BUCKET_TARGETS,
    tags=("logging", "public-access"),
)
@log_bucket_check("ACL")
def check(resource: Resource, ctx: Context, found: LogTarget) -> Iterator[Finding | Unresolved]:
    grants, unknown = public_acl_grants(ctx.graph, resource)
    for reading in unknown:
        if reading.only_maybe:
            yield Unresolved(f"bucket {found.why}: {reading.value.why_unknown}", at=reading.value)
        else:
            yield Unresolved(
                f"bucket {found.why}: the ACL of {reading.source.address} is not known ({reading.value.why_unknown})",
                at=reading.value,
            )
    if not grants:
        return
    ignored = public_access_block(ctx.graph, resource)["ignore_public_acls"]
    for grant in grants:
        how = f"canned ACL {grant.canned}" if grant.canned else "an ACL grant"
        where = "" if grant.source is resource else f" ({grant.source.address})"
        text = f"bucket {found.why} gives {GROUP_TEXT[grant.group]} {', '.join(grant.permissions)} through {how}{where}"
        if ignored:
            yield Finding(
                text + "; S3 ignores it while the public access block sets ignore_public_acls",
                at=grant.at,
                severity=Severity.LOW,
            )
        else:
            yield Finding(text, at=grant.at, severity=Severity.CRITICAL if grant.writes else None)
