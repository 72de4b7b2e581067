"""Policy grants another whole account access with no condition

A trust policy or a resource policy (S3 bucket, KMS key, SNS topic, SQS queue, Secrets Manager
secret, ECR repository, ...) has an Allow statement whose principal is another AWS account as a
whole, `arn:aws:iam::444455556666:root` or the bare id `444455556666`, and the statement has no
condition at all. For a role, that is the right to assume it; for a resource, it is reported when
the access is broad: a wildcard action (`s3:*`, `kms:*`, `s3:Get*`), `NotAction`, or a Write,
Permissions management or Tagging action. A Deny in the same policy that denies everyone outside
specific callers (`StringNotEquals aws:PrincipalOrgID`) counts as a condition. Buckets that a
CloudTrail trail or a Cost and Usage Report writes to are AWS-S3-011's subject.

The deploying account (`arn:aws:iam::${AWS::AccountId}:root`, as Terraform's
`data.aws_caller_identity` and CloudFormation's pseudo parameter write it) is not another account:
trusting it delegates to the account's own IAM policies, the normal pattern.

## Why is this bad?
The account root principal stands for every identity of that account that its own
administrators choose to allow, today and later: you hand the decision about who reaches your
role or resource to people you do not control, with no condition to narrow it down. If that
account is compromised, so is this access. Checklist items 1.3 and 3.7 ask that grants to a
root principal be avoided or narrowed by conditions, and 2.11 that a trust to another account
carry a condition such as `sts:ExternalId`.

## How to fix
Name the role of the other account that needs access (`arn:aws:iam::444455556666:role/reader`)
instead of the account, and add a condition: `sts:ExternalId` for a third party,
`aws:PrincipalOrgID` for an account of your organisation, `aws:MultiFactorAuthPresent` for
people. On resource policies, grant only the actions needed.

Terraform: change `identifiers` in the `principals` block of the `aws_iam_policy_document`, and
add a `condition` block. CloudFormation: change `Principal` and add `Condition` in the policy
document.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.conditions import covering_denies
from iamready.iam.policy import TRUST, PolicyDocument, Statement
from iamready.iam.principals import OTHER, PrincipalRef, statement_principals, unknown_principals
from iamready.iam.statements import (
    beyond_read,
    denied_principals,
    deny_covers,
    effect_unknown,
    label,
    summarise,
    when_suffix,
)
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-033",
    name="aws-iam-policy-grants-other-account-without-condition",
    severity=Severity.HIGH,
    checklist=("1.3", "3.7", "2.11"),
    on="policy",
    policy_kinds=("trust", "resource"),
    tags=("trust", "cross-account", "root"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    for stmt in doc.statements:
        if effect_unknown(stmt) is not None or not stmt.allows:
            continue
        if stmt.conditions or stmt.unknown_in("Condition") is not None:
            continue
        principals = statement_principals(stmt.principal, ctx.graph) + unknown_principals(stmt.principal)
        accounts = [p for p in principals if p.is_account_root and p.other_account]
        denied = denied_principals(stmt, accounts, ctx.catalog)
        accounts = [p for p in accounts if p not in denied]
        if not accounts:
            # an account that is not known may be this one: said once, where it is written, with the fix
            for p in principals:  # an account root, or a value of which nothing is known (!Ref TrustedAccount)
                if p.unknown_account is not None and (p.is_account_root or p.kind == OTHER):
                    yield Unresolved(
                        f"{label(stmt)}: whether {p.text} is another account is not known", at=p.unknown_account
                    )
            continue
        if doc.kind != TRUST and not beyond_read(stmt, ctx.catalog):
            continue
        if doc.kind != TRUST and doc.targets and all(b.id in ctx.log_buckets for b in doc.targets):
            continue  # CloudTrail / billing buckets: AWS-S3-011 reports them with their writers
        if covering_denies(stmt, lambda deny, allow: deny_covers(deny, allow, ctx.catalog)).statements:
            continue
        yield Finding(_message(doc, stmt, accounts), at=stmt)


def _message(doc: PolicyDocument, stmt: Statement, accounts: list[PrincipalRef]) -> str:
    names = summarise(p.describe() for p in accounts)
    if doc.kind == TRUST:
        return f"{label(stmt)} lets {names} assume the role with no condition{when_suffix(stmt)}"
    if stmt.not_actions is not None:
        what = f"every action except {summarise(stmt.not_action_patterns)}"
    else:
        what = summarise(stmt.action_patterns)
    return f"{label(stmt)} grants {names} {what} with no condition{when_suffix(stmt)}"
