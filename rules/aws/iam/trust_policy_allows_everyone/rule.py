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
from iamready.iam.everyone import open_to_everyone
from iamready.iam.policy import PolicyDocument
from iamready.iam.statements import label, when_suffix
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
    for item in open_to_everyone(doc, ctx, "trust policy", "who may assume the role"):
        if isinstance(item, Unresolved):
            yield item
            continue
        stmt = item.stmt
        if item.unknown is not None:
            yield Unresolved(
                f"{label(stmt)} lets {item.who} assume the role; whether a condition limits the callers is not "
                f"known ({item.unknown})",
                at=stmt,
            )
            continue
        detail = item.detail("do not say who the callers are")
        if not item.narrowing_why and any(c.key_lower == "sts:externalid" for c in stmt.conditions):
            detail += "; an external id is a shared string, not an identity"
        yield Finding(f"{label(stmt)} lets {item.who} assume the role: {detail}{when_suffix(stmt)}", at=stmt)
