"""Log bucket policy grants another account access without a condition

A bucket policy on the S3 bucket that a CloudTrail trail, a Cost and Usage Report or a
billing data export writes to allows a principal of another AWS account (its root, a role,
a user) with no condition that pins the caller. The deploying account is written
`${AWS::AccountId}` in both frameworks (Terraform's `aws_caller_identity` evaluates to the
same); a literal account id is taken to be another account.

## Why is this bad?
A grant to `arn:aws:iam::111122223333:root` delegates to every principal that account's
administrators allow, now and later: you cannot see or review who they are (checklist item
5.3). For an audit trail that often means "anyone in a development account can read, or
with write actions tamper with, production's logs". A condition such as
`aws:PrincipalOrgID`, `aws:PrincipalArn` (a named role) or `aws:SourceVpce` limits the
grant to callers you chose.

## How to fix
Grant a specific role of the other account rather than its root, and add a condition that
pins it, for example `aws:PrincipalOrgID` (your organisation) or `aws:PrincipalArn` (the
reader role). Keep cross-account access read-only; only the log service should write.

Terraform: add a `condition` block to the statement in the `aws_iam_policy_document` (or
`Condition` in the `jsonencode` policy). CloudFormation: add `Condition` to the statement in
the `AWS::S3::BucketPolicy` `PolicyDocument`.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
"""

from collections.abc import Iterator

from iamready.aws.s3 import (
    allow_statements,
    callers_pinned,
    denied_unless,
    describe_actions,
    describe_buckets,
    policy_log_buckets,
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
    id="AWS-S3-011",
    name="aws-s3-log-bucket-policy-cross-account-unconditioned",
    severity=Severity.MEDIUM,
    checklist=("5.3",),
    on="policy",
    policy_kinds=("resource",),
    tags=("logging", "cross-account"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    buckets = policy_log_buckets(ctx, doc)
    if not buckets:
        return
    on = describe_buckets(buckets)
    for stmt in allow_statements(doc, on):
        if isinstance(stmt, Unresolved):
            continue  # reported by AWS-S3-007
        principals, unknown = statement_principals(stmt, ctx.graph)
        others = [p for p in principals if p.kind != EVERYONE and p.other_account]
        if not others:
            for value in unknown:
                yield Unresolved(
                    f"{stmt.label}: whether a principal of a statement on {on} is in another account is not known "
                    f"({getattr(value, 'reason', 'depends on a condition')})",
                    at=stmt,
                )
            continue
        reading = callers_pinned(stmt)
        if reading.yes:
            continue
        if reading.unknown:
            yield Unresolved(
                f"{stmt.label}: whether a condition pins the callers of a cross-account statement on {on} is not "
                f"known ({reading.why})",
                at=stmt,
            )
            continue
        actions = [a for a in s3_actions(ctx.catalog, stmt) if not denied_unless(doc, a, buckets)]
        if not actions:
            continue
        who = ", ".join(
            f"account {p.account}" if p.text == p.account else f"{p.text} (account {p.account})" for p in others
        )
        yield Finding(
            f"{stmt.label} gives {who} {describe_actions(stmt)} on {on}, with no condition that pins the "
            f"caller{when(stmt)}",
            at=stmt,
            severity=Severity.HIGH if any(writes(a) for a in actions) else None,
        )
