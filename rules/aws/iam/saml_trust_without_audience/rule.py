"""Role trusts a SAML provider without a SAML:aud condition

A role's trust policy lets a SAML identity provider's users assume it
(`sts:AssumeRoleWithSAML`, `Principal: {Federated: ...saml-provider/...}`) and no condition pins
`SAML:aud` to the AWS sign-in endpoint (`https://signin.aws.amazon.com/saml`, or the regional
endpoint you use). `SAML:aud` is always in the assertion, so `StringEquals` and
`StringEqualsIfExists` both pin it; `StringLike` with `*` does not.

## Why is this bad?
`SAML:aud` says which service provider the assertion was issued for. Without it, an assertion
your identity provider issued for another application (with the same role attribute) can be
replayed to AWS STS. It is the condition the IAM console adds to every SAML trust, and
checklist items 3.7 and 4.4 expect federation trusts to be pinned.

## How to fix
Add `StringEquals SAML:aud https://signin.aws.amazon.com/saml` to the trust statement.

Terraform: add `condition { test = "StringEquals", variable = "SAML:aud", values =
["https://signin.aws.amazon.com/saml"] }` to the `aws_iam_policy_document` statement used as
`assume_role_policy`. CloudFormation: add the `Condition` to the statement in
`AssumeRolePolicyDocument`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-saml
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.conditions import requires_saml_audience
from iamready.iam.policy import PolicyDocument
from iamready.iam.principals import SAML, statement_principals
from iamready.iam.statements import effect_unknown, label, summarise, when_suffix
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-035",
    name="aws-iam-saml-trust-without-audience",
    severity=Severity.MEDIUM,
    checklist=("3.7", "4.4"),
    on="policy",
    policy_kinds=("trust",),
    tags=("trust", "federation", "saml"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    for stmt in doc.statements:
        if effect_unknown(stmt) is not None or not stmt.allows:
            continue
        providers = [p for p in statement_principals(stmt.principal, ctx.graph) if p.kind == SAML]
        if not providers:
            continue
        reading = requires_saml_audience(stmt)
        if reading.yes:
            continue
        names = summarise(p.display for p in providers)
        if reading.unknown:
            yield Unresolved(
                f"{label(stmt)} trusts {names}; its SAML:aud condition is not known ({reading.why})", at=stmt
            )
            continue
        detail = (
            "no SAML:aud condition" if not reading.by else f"a SAML:aud condition that pins nothing ({reading.why})"
        )
        yield Finding(
            f"{label(stmt)} trusts SAML provider {names} with {detail}: assertions issued for other applications "
            f"are accepted{when_suffix(stmt)}",
            at=stmt,
        )
