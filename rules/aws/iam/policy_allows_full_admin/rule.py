"""Policy allows every action on every resource

An identity policy statement allows `*` (or `*:*`) on `*`, or the AWS managed
`AdministratorAccess` policy is attached. Conditions do not change that this is full
administrator access; they are named in the message.

## Why is this bad?
Whoever holds this policy can do anything in the account: read every secret, delete every
log, create new administrators and switch off CloudTrail. A single leaked credential or a
single compromised workload becomes a compromise of the whole account, and least privilege
(checklist item 2.5) cannot be reviewed at all.

## How to fix
Grant the actions the principal needs, on the resources it needs them on. Reserve
administrator access for a small number of break-glass roles that require MFA and are
assumed, not attached to users.

Terraform: list concrete `actions` and `resources` in the `aws_iam_policy_document`
statement instead of `"*"`. CloudFormation: list concrete `Action` and `Resource` values in
the `PolicyDocument`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html
"""

from collections.abc import Iterator

from iamready.iam.policy import PolicyDocument, Statement
from iamready.iam.statements import undecided
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-001",
    name="aws-iam-policy-allows-full-admin",
    severity=Severity.HIGH,
    checklist=("2.5",),
    on="policy",
    policy_kinds=("identity",),
    tags=("least-privilege",),
)
def check(doc: PolicyDocument, ctx: object) -> Iterator[Finding | Unresolved]:
    if doc.unknown is not None:
        if not doc.outside_code:
            yield Unresolved(f"policy {doc.label} could not be read ({_why(doc.unknown)})", at=doc)
        return
    for stmt in doc.statements:
        if stmt.effect is None:
            unknown = stmt.unknown_in("Effect", "Statement")
            if unknown is not None:
                yield Unresolved(f"{stmt.label} could not be read ({_why(unknown)})", at=stmt)
            continue
        if not stmt.allows:
            continue
        wildcard_action = any(p in ("*", "*:*") for p in stmt.action_patterns)
        wildcard_resource = "*" in stmt.resource_patterns
        if wildcard_action and wildcard_resource:
            yield Finding(_message(doc, stmt), at=stmt)
            continue
        unknown = stmt.unknown_in("Action", "Statement") or undecided(stmt, "Resource", _is_star)
        if unknown is not None and (wildcard_action or wildcard_resource or not stmt.action_patterns):
            yield Unresolved(
                f"{stmt.label}: whether it allows every action on every resource depends on "
                f"a value that is not known ({_why(unknown)})",
                at=stmt,
            )


def _is_star(pattern: str) -> bool:
    return pattern == "*"


def _message(doc: PolicyDocument, stmt: Statement) -> str:
    if doc.aws_managed:
        text = f"attaches AWS managed policy {doc.aws_managed}, which allows every action on every resource"
    else:
        text = f"{stmt.label} allows every action (*) on every resource (*)"
    if stmt.conditions:
        keys = ", ".join(sorted({c.key for c in stmt.conditions}))
        text += f" (conditions on {keys} restrict when, not what)"
    if stmt.when:
        text += f" ({stmt.when})"
    return text


def _why(unknown: object) -> str:
    return getattr(unknown, "reason", None) or f"depends on condition {getattr(unknown, 'condition', '?')}"
