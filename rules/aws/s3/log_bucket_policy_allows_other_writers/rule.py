"""Log bucket policy lets principals other than the log service write

A bucket policy on the S3 bucket that a CloudTrail trail, a Cost and Usage Report or a
billing data export writes to allows write or permissions-management actions (`s3:PutObject`,
`s3:DeleteObject`, `s3:PutBucketPolicy`, `s3:*`, ...) to a principal other than the
delivering service, and no `aws:SourceArn` / `aws:SourceAccount` condition ties the grant to
a service acting for this account. AWS services that deliver logs into a customer's bucket (AWS
Config, `delivery.logs.amazonaws.com` for VPC flow logs and other vended logs, S3 server access
logging, Elastic Load Balancing, CloudFront, ...) are legitimate writers of a shared log archive,
as in AWS Control Tower's log-archive bucket: AWS-S3-009 checks that they are pinned by
`aws:SourceArn` / `aws:SourceAccount`.

## Why is this bad?
Only CloudTrail (or the billing service) should ever write to its bucket (checklist item
5.1). Any other writer can forge log files, overwrite or delete real ones, or change the
bucket's policy, ACL or lifecycle so that logs disappear later. The deploying account's root
(`arn:aws:iam::${AWS::AccountId}:root`) counts too: it hands the decision to every IAM
policy in the account. Delete and permissions-management actions are reported at high
severity. Statements for everyone without any caller condition are reported by AWS-S3-007,
and grants to another account without a condition by AWS-S3-011.

## How to fix
Remove the write actions from the statement and grant readers only `s3:GetObject` /
`s3:ListBucket`. If an automated process must write, give it its own bucket or prefix and
keep the log prefix (`AWSLogs/`) out of its reach; administrators who must change the bucket
should do it through a break-glass role protected by MFA, outside the bucket policy.

Terraform: edit the statement's `actions` in the `aws_iam_policy_document` (or `Action` in
the `jsonencode` policy) of the `aws_s3_bucket_policy`. CloudFormation: edit `Action` in the
`AWS::S3::BucketPolicy` `PolicyDocument`.

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
"""

from collections.abc import Iterator

from iamready.aws.s3 import (
    LEGITIMATE_LOG_WRITERS,
    SOURCE_KEYS,
    allow_statements,
    callers_pinned,
    denied_unless,
    describe_buckets,
    grant_text,
    is_tamper,
    policy_log_buckets,
    principal_text,
    s3_actions,
    statement_principals,
    tamper_order,
    when,
    writes,
)
from iamready.context import Context
from iamready.iam.policy import PolicyDocument
from iamready.iam.principals import EVERYONE, SERVICE
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-S3-008",
    name="aws-s3-log-bucket-policy-allows-other-writers",
    severity=Severity.MEDIUM,
    checklist=("5.1",),
    on="policy",
    policy_kinds=("resource",),
    tags=("logging", "least-privilege"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    buckets = policy_log_buckets(ctx, doc)
    if not buckets:
        return
    on = describe_buckets(buckets)
    services = sorted({s for b in buckets for s in b.services})
    for stmt in allow_statements(doc, on):
        if isinstance(stmt, Unresolved):
            continue  # reported by AWS-S3-007
        if callers_pinned(stmt, SOURCE_KEYS).yes:
            continue  # a service acting for this account's trail or report
        actions = [
            a for a in s3_actions(ctx.catalog, stmt) if writes(a) and not denied_unless(doc, a, buckets, SOURCE_KEYS)
        ]
        if not actions:
            continue
        pinned = callers_pinned(stmt)
        principals, unknown = statement_principals(stmt, ctx.graph)
        writers = []
        for principal in principals:
            if principal.kind == EVERYONE:
                if pinned.yes:
                    keys = ", ".join(dict.fromkeys(c.key for c in pinned.by))
                    writers.append(f"every caller that meets {keys}")
                elif pinned.unknown:
                    unknown.append(principal)
            elif principal.kind == SERVICE:
                if principal.text.lower() not in LEGITIMATE_LOG_WRITERS:
                    writers.append(principal.text)
            elif principal.other_account and pinned.no:
                continue  # reported by AWS-S3-011
            else:
                writers.append(principal_text(principal, ctx.graph))
        if unknown and not writers:
            yield Unresolved(f"{stmt.label}: the principal of a statement that writes to {on} is not known", at=stmt)
            continue
        if not writers:
            continue
        tamper = tamper_order(a for a in actions if is_tamper(a))
        yield Finding(
            f"{stmt.label} lets {'; '.join(writers)} {grant_text(stmt, tamper)} on {on}; only "
            f"{' or '.join(services)} should write to it{when(stmt)}",
            at=stmt,
            severity=Severity.HIGH if tamper else None,
        )
