"""Role trusts another account without external id, MFA or organisation condition

A role's trust policy lets principals of another AWS account assume it (a role or user ARN of
that account, or the account itself when the statement has some condition) and the statement
requires none of: `sts:ExternalId` (`StringEquals`, not IfExists), MFA
(`Bool aws:MultiFactorAuthPresent true` or an `aws:MultiFactorAuthAge` bound), or membership of
an organisation (`aws:PrincipalOrgID` / `aws:PrincipalOrgPaths`). A whole other account trusted
with no condition at all is AWS-IAM-033. Identity providers (`Federated`: an OIDC provider such as
GitHub Actions, a SAML provider) are not accounts, whatever account id their ARN carries: their
trusts are judged by AWS-IAM-034 and AWS-IAM-035. Principals that an unconditional Deny of the same
trust policy shuts out (naming them, or their whole account: the account root stands for every
role and user in it) are not reported.

"Another account" is a literal account id: the deploying account is written `${AWS::AccountId}`
(`data.aws_caller_identity` in Terraform, the pseudo parameter in CloudFormation) and principals
that the code defines (`aws_iam_role.ci.arn`, `!GetAtt CiRole.Arn`) are in it; an account created
by `aws_organizations_account` counts as another account.

Severity is high when the trusted principal is the whole account, medium for a named role or
user of that account.

## Why is this bad?
A third party that assumes roles in many customers' accounts can be tricked into using its
access on your account (the confused-deputy problem) unless the role demands the external id
agreed with you. For people of another account, MFA is the guard that a stolen password or key
does not carry. Checklist items 3.7 and 2.11 ask for one of these conditions on every
cross-account trust.

## How to fix
For a third party (a SaaS vendor, an auditor), add `StringEquals sts:ExternalId <id agreed with
them>`. For people, add `Bool aws:MultiFactorAuthPresent true`. For accounts of your own
organisation, add `StringEquals aws:PrincipalOrgID o-xxxxxxxxxx`.

Terraform: add a `condition` block to the statement of the `aws_iam_policy_document` used as
`assume_role_policy`. CloudFormation: add `Condition` to the statement in
`AssumeRolePolicyDocument`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.conditions import requires_external_id, requires_organization, statement_mfa
from iamready.iam.policy import PolicyDocument, Statement
from iamready.iam.principals import OIDC, SAML, PrincipalRef, statement_principals, unknown_principals
from iamready.iam.statements import denied_principals, effect_unknown, label, summarise, when_suffix
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-IAM-032",
    name="aws-iam-cross-account-trust-without-external-id",
    severity=Severity.HIGH,
    checklist=("3.7", "2.11"),
    on="policy",
    policy_kinds=("trust",),
    tags=("trust", "cross-account", "conditions"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    for stmt in doc.statements:
        if effect_unknown(stmt) is not None or not stmt.allows:
            continue
        # web-identity and SAML providers are judged by AWS-IAM-034 / AWS-IAM-035, whatever account their ARN names
        principals = [p for p in statement_principals(stmt.principal, ctx.graph) if p.kind not in (OIDC, SAML)]
        principals += unknown_principals(stmt.principal)
        others = [p for p in principals if p.other_account]
        denied = denied_principals(stmt, others, ctx.catalog)
        others = [p for p in others if p not in denied]
        # a whole account with no condition at all is AWS-IAM-033's finding
        others = [p for p in others if not (p.is_account_root and not stmt.conditions and not stmt.unknowns)]
        if others:
            yield from _statement(stmt, others)
            continue
        # an account that is not known may be this one: said once, where it is written, with the fix
        unsure = [p for p in principals if p.unknown_account is not None]
        if unsure and not _limited(stmt):
            for p in unsure:
                yield Unresolved(
                    f"{label(stmt)}: whether {p.text} is another account is not known", at=p.unknown_account
                )


def _limited(stmt: Statement) -> bool:
    """A condition limits the callers as this rule asks (or whether one does is not known)."""
    external_id, org = requires_external_id(stmt), requires_organization(stmt)
    return external_id.yes or org.yes or statement_mfa(stmt) is not None or external_id.unknown or org.unknown


def _statement(stmt: Statement, others: list[PrincipalRef]) -> Iterator[Finding | Unresolved]:
    external_id = requires_external_id(stmt)
    mfa = statement_mfa(stmt)
    org = requires_organization(stmt)
    if external_id.yes or mfa is not None or org.yes:
        return
    names = summarise(p.describe() for p in others)
    if external_id.unknown or org.unknown:
        yield Unresolved(
            f"{label(stmt)} trusts {names}; whether a condition requires an external id or the organisation is "
            f"not known ({external_id.why or org.why})",
            at=stmt,
        )
        return
    detail = "no sts:ExternalId, MFA or aws:PrincipalOrgID condition"
    weak = [r.why for r in (external_id, org) if r.by and r.why]
    if weak:
        detail += f" ({'; '.join(weak)})"
    root = any(p.is_account_root for p in others)
    yield Finding(
        f"{label(stmt)} trusts {names} with {detail}{when_suffix(stmt)}",
        at=stmt,
        severity=Severity.HIGH if root else Severity.MEDIUM,
    )
