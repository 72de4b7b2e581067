"""Policy allows every action except a list (NotAction with Allow)

An Allow statement uses `NotAction`: it grants every action of every service except the ones
listed, including actions AWS adds later. Identity, trust and resource policies are checked;
AWS managed policies built this way (`PowerUserAccess`) are reported by name by AWS-IAM-013.
A `NotAction` in a Deny statement is the correct way to write "deny everything except" and is
not reported.

## Why is this bad?
`NotAction` with Allow reads like a restriction but is a grant of almost everything: a statement
that "excludes IAM" still allows deleting every bucket, disabling CloudTrail, reading every
secret and, through `iam:PassRole`-free paths such as Lambda or CloudFormation service roles
already in the account, often gaining IAM access after all. New services and actions are
granted automatically the day AWS releases them. Least privilege (checklist 2.5) cannot be
reviewed on a policy that lists what it does not grant.

## How to fix
Replace `NotAction` with an `Action` list of what the principal needs. To keep a guard rail
such as "never IAM", add a separate Deny statement with `Action: iam:*` (or `NotAction` in a
Deny) on top of a scoped Allow.

Terraform: in `aws_iam_policy_document`, replace `not_actions` with `actions` in Allow
statements. CloudFormation: replace `NotAction` with `Action` in the `PolicyDocument`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.negated import allows_using, except_words
from iamready.iam.policy import IDENTITY, PolicyDocument
from iamready.iam.statements import broad_resources, label, summarise, when_suffix
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-011",
    name="aws-iam-policy-allows-not-action",
    severity=Severity.HIGH,
    checklist=("2.5",),
    on="policy",
    policy_kinds=("identity", "resource", "trust"),
    tags=("least-privilege",),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    for stmt in allows_using(doc, "NotAction"):
        if isinstance(stmt, Unresolved):
            yield stmt
            continue
        except_text = except_words(stmt, "NotAction", stmt.not_action_patterns)
        if doc.kind == IDENTITY:
            resources = broad_resources(stmt)
            if resources:
                where, severity = f"on {' and '.join(dict.fromkeys(resources))}", Severity.HIGH
            else:
                where, severity = "on the listed resources", Severity.MEDIUM
        else:
            principals = [str(v) for v in stmt.principal.values()] if stmt.principal is not None else []
            if stmt.principal is not None and stmt.principal.wildcard:
                principals = ["everyone (*)"]
            where, severity = f"to {summarise(principals) if principals else 'its principals'}", Severity.HIGH
        yield Finding(
            f"{label(stmt)} allows every action except {except_text} (NotAction) {where}{when_suffix(stmt)}",
            at=stmt,
            severity=severity,
        )
