"""Log bucket policy allows everyone

A bucket policy on the S3 bucket that a CloudTrail trail, a Cost and Usage Report or a
billing data export writes to has an Allow statement for `Principal: "*"` (or
`NotPrincipal`, or an ARN with a wildcard account) that no condition limits to specific
callers.

## Why is this bad?
Logs and billing reports are need-to-know data (checklist item 5.1). A statement for
everyone without a caller condition lets any AWS account, or any anonymous request, use the
listed actions on the bucket: read the audit trail, list what exists, or, with write
actions, plant and overwrite log files. A condition counts only when it pins the caller:
`aws:SourceArn` / `aws:SourceAccount` (an AWS service acting for your trail),
`aws:PrincipalOrgID`, `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:SourceVpce` and
similar, compared positively with a fixed value. `...IfExists`, `StringNotEquals`, a
wildcard value or `aws:SecureTransport` do not limit who. When Block Public Access sets
`block_public_policy` or `restrict_public_buckets`, S3 rejects or restricts the statement;
it is still reported, at low severity.

## How to fix
Name the principal that needs access (the CloudTrail service principal with
`aws:SourceArn` set to the trail's ARN, or the reader roles), or add a condition that pins
the caller.

Terraform: in the `aws_iam_policy_document` for the `aws_s3_bucket_policy`, replace
`principals { type = "*" identifiers = ["*"] }` by specific principals, or add a
`condition` on `aws:SourceArn` / `aws:PrincipalOrgID`. CloudFormation: the same in the
`PolicyDocument` of the `AWS::S3::BucketPolicy`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
"""

from collections.abc import Iterator

from iamready.aws.s3 import (
    allow_statements,
    callers_pinned,
    denied_unless,
    describe_actions,
    describe_buckets,
    policy_log_buckets,
    public_access_block,
    s3_actions,
    statement_principals,
    when,
    writes,
)
from iamready.context import Context
from iamready.iam.policy import PolicyDocument
from iamready.iam.principals import EVERYONE
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-S3-007",
    name="aws-s3-log-bucket-policy-allows-everyone",
    severity=Severity.HIGH,
    checklist=("5.1",),
    on="policy",
    policy_kinds=("resource",),
    tags=("logging", "public-access"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    buckets = policy_log_buckets(ctx, doc)
    if not buckets:
        return
    on = describe_buckets(buckets)
    for stmt in allow_statements(doc, on):
        if isinstance(stmt, Unresolved):
            yield stmt
            continue
        principals, unknown = statement_principals(stmt, ctx.graph)
        everyone = [p for p in principals if p.kind == EVERYONE]
        if not everyone:
            if unknown:
                yield Unresolved(f"{stmt.label}: the principal of a statement on {on} is not known", at=stmt)
            continue
        reading = callers_pinned(stmt)
        if reading.yes:
            continue
        if reading.unknown:
            yield Unresolved(
                f"{stmt.label}: whether a condition limits who may use a statement for everyone on {on} is not "
                f"known ({reading.why})",
                at=stmt,
            )
            continue
        actions = [a for a in s3_actions(ctx.catalog, stmt) if not denied_unless(doc, a, buckets)]
        if not actions and stmt.unknown_in("Action", "NotAction") is None:
            continue
        text = f"{stmt.label} lets everyone ({everyone[0].text}) {describe_actions(stmt)} on {on}{when(stmt)}"
        blocked = [
            flag
            for flag in ("block_public_policy", "restrict_public_buckets")
            if any(b.bucket is not None and public_access_block(ctx.graph, b.bucket)[flag] for b in buckets)
        ]
        if blocked:
            yield Finding(
                f"{text}; the public access block ({', '.join(blocked)}) keeps it from taking effect",
                at=stmt,
                severity=Severity.LOW,
            )
            continue
        severity = Severity.CRITICAL if any(writes(a) for a in actions) else None
        because = f" ({reading.why})" if reading.why else ""
        yield Finding(f"{text}, with no condition that limits who{because}", at=stmt, severity=severity)
