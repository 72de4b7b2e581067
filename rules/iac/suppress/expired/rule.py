"""Suppression has expired and no longer applies

An inline suppression carries an expiry (`until=YYYY-MM-DD`) that has passed. From the day after
that date it suppresses nothing: the findings it covered are reported again, and this finding
says why.

## Why is this bad?
A temporary exception was granted until a date, usually while a fix was planned. The date has
passed and the exception has not been revisited: either the fix did not happen, or the comment was
left behind after it did.

## How to fix
Fix the findings and remove the suppression. If the exception must continue, have it reviewed
again and write a new date (`until=2027-03-31`) with the reason for the extension.

## References
- https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/sarif-v2.1.0-os.html#_Toc34317737
"""

from collections.abc import Iterator

from iamready.rule import Finding, Severity, rule
from iamready.suppress import InlineSuppression


@rule(
    id="IAC-SUPPRESS-003",
    name="iac-suppress-expired",
    severity=Severity.LOW,
    checklist=(),
    on="suppressions",
    tags=("suppression",),
)
def check(suppression: InlineSuppression, ctx: object) -> Iterator[Finding]:
    if suppression.expired and suppression.until is not None:
        yield Finding(
            f"{suppression.label} expired on {suppression.until.isoformat()} and no longer applies; "
            "fix the finding or renew the suppression with a new until= date",
            at=suppression,
            resource=suppression.resource,
            key=f"expired-suppression:{','.join(suppression.ids)}",
        )
