"""Log service may write to its bucket without aws:SourceArn or aws:SourceAccount

A bucket policy on the S3 bucket that a CloudTrail trail, a Cost and Usage Report or a
billing data export writes to lets the delivering service (`cloudtrail.amazonaws.com`,
`billingreports.amazonaws.com`, `bcm-data-exports.amazonaws.com`), or another AWS service that
delivers logs into the same archive (`config.amazonaws.com`, `delivery.logs.amazonaws.com`,
`logging.s3.amazonaws.com`, ...), write with no `aws:SourceArn` or `aws:SourceAccount` condition.

## Why is this bad?
A service principal acts for every AWS customer. Without a condition naming your trail (or
report) or your account, anyone can create a trail in their own account that delivers into
your bucket: the "confused deputy" problem. They can fill it with forged log files, hide
real ones in noise and run up your storage bill (checklist items 5.1 and 2.11). The
condition only counts when it is compared positively with a fixed value (`StringEquals`,
`ArnEquals` / `ArnLike` without a wildcard account); `...IfExists` or a wildcard lets
everyone through.

## How to fix
Add `aws:SourceArn` (the trail's or report definition's ARN) or `aws:SourceAccount` (your
account id) to every statement that lets the service write.

Terraform: in the `aws_iam_policy_document` for the bucket, add `condition { test =
"StringEquals" variable = "aws:SourceArn" values = [<trail ARN>] }` to the write statement.
CloudFormation: add `Condition: {StringEquals: {aws:SourceArn: !Sub
"arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/<name>"}}`.

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
- https://docs.aws.amazon.com/cur/latest/userguide/dataexports-s3-bucket.html
"""

from collections.abc import Iterator

from iamready.aws.s3 import (
    ALL_LOG_SERVICES,
    LEGITIMATE_LOG_WRITERS,
    SOURCE_KEYS,
    action_names,
    allow_statements,
    callers_pinned,
    denied_unless,
    describe_buckets,
    policy_log_buckets,
    s3_actions,
    statement_principals,
    when,
    writes,
)
from iamready.context import Context
from iamready.iam.policy import PolicyDocument
from iamready.iam.principals import SERVICE
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-S3-009",
    name="aws-s3-log-bucket-policy-service-without-source",
    severity=Severity.MEDIUM,
    checklist=("5.1", "2.11"),
    on="policy",
    policy_kinds=("resource",),
    tags=("logging", "confused-deputy"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    buckets = policy_log_buckets(ctx, doc)
    if not buckets:
        return
    on = describe_buckets(buckets)
    for stmt in allow_statements(doc, on):
        if isinstance(stmt, Unresolved):
            continue  # reported by AWS-S3-007
        principals, _ = statement_principals(stmt, ctx.graph)
        services = sorted({p.text.lower() for p in principals if p.kind == SERVICE} & LEGITIMATE_LOG_WRITERS)
        if not services:
            continue
        reading = callers_pinned(stmt, SOURCE_KEYS)
        if reading.yes:
            continue
        if reading.unknown:
            yield Unresolved(
                f"{stmt.label}: whether {services[0]} is pinned to a source on {on} is not known ({reading.why})",
                at=stmt,
            )
            continue
        actions = [
            a for a in s3_actions(ctx.catalog, stmt) if writes(a) and not denied_unless(doc, a, buckets, SOURCE_KEYS)
        ]
        if not actions:
            continue
        yield Finding(
            f"{stmt.label} lets {', '.join(services)} {action_names(actions)} on {on} with no aws:SourceArn or "
            f"aws:SourceAccount condition that pins the source, so a {_what(services)} in any other account can "
            f"deliver into it{_because(reading.why)}{when(stmt)}",
            at=stmt,
        )


def _because(why: str) -> str:
    return f" ({why})" if why else ""


def _what(services: list[str]) -> str:
    if services == ["cloudtrail.amazonaws.com"]:
        return "trail"
    if all(s in ALL_LOG_SERVICES for s in services):
        return "trail or report" if "cloudtrail.amazonaws.com" in services else "report"
    return "trail, report or log delivery"
