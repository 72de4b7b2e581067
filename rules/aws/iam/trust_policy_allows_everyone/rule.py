"""Role trust policy lets anyone assume the role

A role's trust policy has an Allow statement with `Principal: "*"` (or `{"AWS": "*"}`, or a
`NotPrincipal` in an Allow) and no condition that limits who the callers are:
`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalArn`, `aws:PrincipalAccount`,
`aws:SourceArn`/`aws:SourceAccount`, `aws:SourceVpce`, ..., compared positively with specific
values (not `...IfExists`, not `ForAllValues:`, not a wildcard account), and no Deny statement in
the same trust policy that denies everyone outside such a set. `sts:ExternalId` alone does not
count: it is a shared string, not an identity.

When who may assume the role is not known (a principal from a variable without a value), the
rule says so instead of passing the role.

## Why is this bad?
`"*"` in a trust policy means every AWS principal in every account, including accounts an
attacker opens for the purpose. Anyone who learns the role's ARN, which is not a secret, can
assume it and act with its permissions. Trust to everyone is exactly what checklist items 2.11
and 3.7 ask to prevent.

## How to fix
Name the principals that may assume the role (`arn:aws:iam::111122223333:role/deployer`), or
keep `"*"` only together with a condition that pins the caller, typically
`StringEquals aws:PrincipalOrgID o-xxxxxxxxxx` for roles shared across an organisation.

Terraform: in the `aws_iam_policy_document` used as `assume_role_policy`, replace
`principals { type = "AWS", identifiers = ["*"] }` with the ARNs, or add a `condition` block on
`aws:PrincipalOrgID`. CloudFormation: change `Principal` in `AssumeRolePolicyDocument` or add the
`Condition`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.conditions import callers_narrowed, covering_denies
from iamready.iam.policy import PolicyDocument, Statement
from iamready.iam.statements import deny_covers, document_unreadable, effect_unknown, label, when_suffix, why
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-031",
    name="aws-iam-trust-policy-allows-everyone",
    severity=Severity.CRITICAL,
    checklist=("2.11", "3.7"),
    on="policy",
    policy_kinds=("trust",),
    tags=("trust", "conditions"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    unreadable = document_unreadable(doc)
    if unreadable:
        yield Unresolved(unreadable.replace("policy ", "trust policy ", 1), at=doc)
        return
    for stmt in doc.statements:
        unknown = effect_unknown(stmt)
        if unknown is not None:
            yield Unresolved(f"{label(stmt)} could not be read ({why(unknown)})", at=stmt)
            continue
        if not stmt.allows:
            continue
        everyone = (stmt.principal is not None and stmt.principal.wildcard) or stmt.not_principal is not None
        if not everyone:
            unknown = stmt.unknown_in("Principal", "NotPrincipal")
            if unknown is not None:
                yield Unresolved(f"{label(stmt)}: who may assume the role is not known ({why(unknown)})", at=stmt)
            continue
        yield from _everyone(stmt, ctx)


def _everyone(stmt: Statement, ctx: Context) -> Iterator[Finding | Unresolved]:
    reading = callers_narrowed(stmt)
    if reading.yes:
        return
    cover = covering_denies(stmt, lambda deny, allow: deny_covers(deny, allow, ctx.catalog))
    if cover.statements:
        return
    who = (
        f"everyone except {', '.join(str(v) for v in stmt.not_principal.values())} (NotPrincipal in an Allow)"
        if stmt.not_principal is not None
        else 'everyone (Principal "*")'
    )
    if reading.unknown or cover.unknown:
        yield Unresolved(
            f"{label(stmt)} lets {who} assume the role; whether a condition limits the callers is not known "
            f"({reading.why or 'a Deny condition is not known'})",
            at=stmt,
        )
        return
    if reading.why:
        detail = f"its conditions do not limit the callers ({reading.why})"
    elif stmt.conditions:
        keys = ", ".join(dict.fromkeys(c.key for c in stmt.conditions))
        detail = f"its conditions ({keys}) do not say who the callers are"
        if any(c.key_lower == "sts:externalid" for c in stmt.conditions):
            detail += "; an external id is a shared string, not an identity"
    else:
        detail = "no condition limits the callers"
    yield Finding(f"{label(stmt)} lets {who} assume the role: {detail}{when_suffix(stmt)}", at=stmt)
