"""Suppression comment or metadata matches no finding

An inline suppression (`iamready:ignore[RULE-ID] reason` comment, or a CloudFormation
`Metadata.iamready.ignore` entry) names a rule that ran and found nothing in the block or line the
suppression covers. Reported once per rule id that went unused.

## Why is this bad?
A stale suppression is a blank cheque: the problem it excused was fixed or moved, but the next
problem of that kind written in the same place would be silenced without anyone looking at it.
Reviewers also lose track of which exceptions are still real.

## How to fix
Remove the suppression, or the rule id that no longer applies from its list. If the finding
moved, move the suppression with it: a comment on a line of its own covers the block that starts
on the next line; at the end of a line it covers findings that start on that line.

Suppression findings cannot be suppressed inline; to stop checking for unused suppressions
altogether, deselect the rule (`--ignore IAC-SUPPRESS-001`, or `ignore` in the configuration).

## References
- https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/sarif-v2.1.0-os.html#_Toc34317737
- https://docs.astral.sh/ruff/rules/unused-noqa/
"""

from collections.abc import Iterator

from iamready.rule import Finding, Severity, rule
from iamready.suppress import InlineSuppression


@rule(
    id="IAC-SUPPRESS-001",
    name="iac-suppress-unused",
    severity=Severity.LOW,
    checklist=(),
    on="suppressions",
    tags=("suppression",),
)
def check(suppression: InlineSuppression, ctx: object) -> Iterator[Finding]:
    if suppression.expired:
        return  # IAC-SUPPRESS-003 says so; an expired suppression suppresses nothing anyway
    for rule_id in suppression.unused:
        yield Finding(
            f"suppression of {rule_id} matches no {rule_id} finding; remove it",
            at=suppression,
            resource=suppression.resource,
            key=f"unused-suppression:{rule_id}",
        )
