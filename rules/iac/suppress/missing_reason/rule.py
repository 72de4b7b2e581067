"""Suppression gives no reason

An inline suppression (`iamready:ignore[RULE-ID]` comment, or a CloudFormation
`Metadata.iamready.ignore` entry) names the rules it silences but not why. The suppression still
applies; this finding asks for the justification.

## Why is this bad?
An exception nobody can explain cannot be reviewed, renewed or removed: a year later no one knows
whether the risk was accepted on purpose, by whom, or whether the reason still holds. Auditors ask
for exactly this justification, and iamready puts it into SARIF (`suppressions[].justification`)
and JSON, where it is empty.

## How to fix
Write the reason after the bracket, and an expiry when the exception is temporary:

```hcl
# iamready:ignore[AWS-IAM-001] break-glass role, approved in SEC-1234 until=2027-03-31
```

In CloudFormation metadata, give the reason as the value:
`Metadata: {iamready: {ignore: {AWS-IAM-001: "break-glass role, approved in SEC-1234"}}}`.

## References
- https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/sarif-v2.1.0-os.html#_Toc34317737
"""

from collections.abc import Iterator

from iamready.rule import Finding, Severity, rule
from iamready.suppress import InlineSuppression


@rule(
    id="IAC-SUPPRESS-002",
    name="iac-suppress-missing-reason",
    severity=Severity.LOW,
    checklist=(),
    on="suppressions",
    tags=("suppression",),
)
def check(suppression: InlineSuppression, ctx: object) -> Iterator[Finding]:
    if not suppression.reason.strip():
        where = "as the value" if suppression.source == "metadata" else "after the bracket"
        yield Finding(
            f"{suppression.label} gives no reason; write why {where}",
            at=suppression,
            resource=suppression.resource,
            key=f"suppression-without-reason:{','.join(suppression.ids)}",
        )
