"""Role trusts a web-identity provider without pinning the token subject

A role's trust policy lets tokens of an OpenID Connect provider assume it
(`sts:AssumeRoleWithWebIdentity`, `Principal: {Federated: ...oidc-provider/...}`) and does not
pin which workload the token was issued to: no condition on the `sub` claim, or a value that
matches too much under `StringLike` (`repo:*`, `repo:my-org/*`, `system:serviceaccount:*:*`).
Known formats: GitHub Actions (`repo:OWNER/REPO:...`; `repo:my-org/app:*` pins one repository
and passes; a customised subject must still name the repository, with `repo:`/`repository:` or
`repository_id`, even compared exactly: any organisation can customise its own tokens to
`environment:prod` or `repository_owner:...`), GitLab (`project_path:GROUP/PROJECT:...`), Terraform Cloud
(`organization:ORG:project:P:workspace:W:run_phase:...`; a wildcard workspace inside a named
project passes), EKS IRSA (`system:serviceaccount:NAMESPACE:NAME`) and Bitbucket Pipelines
(`{REPOSITORY_UUID}:...`). For Cognito identity pools and Google the audience (`aud`, the pool or
client id) is the guard and is required instead. A trust without an `aud` condition is reported
at low severity when the subject is pinned.

Conditions are read by meaning: `StringEquals` compares literally (a `*` there is not a
wildcard); several values are alternatives, so one broad value is enough; several conditions on
`sub` must all hold, so an exact one wins; token claims are always present, so `...IfExists` and
`ForAnyValue:` do not weaken them.

Severity: critical when anyone on the internet can obtain a matching token (GitHub.com,
GitLab.com, Terraform Cloud, Cognito, Google, with no subject or any owner); high when the
match stays within your own tenant (an organisation's repositories, a cluster's namespaces, a
Bitbucket workspace); low for a missing `aud` alone.

## Why is this bad?
Anyone who can run a workflow on GitHub can obtain a token from
`token.actions.githubusercontent.com`; the signature only proves GitHub issued it. Without a
`sub` condition, a workflow in an attacker's repository assumes your role. A wildcard in the
wrong place is almost as bad: `repo:my-org/*` admits every repository of the organisation,
including experiments and forks' pull-request branches pushed by members. Checklist item 3.7
asks for an exact subject on every federation trust.

## How to fix
Pin the subject to the workload: `StringEquals token.actions.githubusercontent.com:sub
repo:my-org/my-repo:environment:prod` (or `StringLike` with `repo:my-org/my-repo:*`), and
the audience: `StringEquals token.actions.githubusercontent.com:aud sts.amazonaws.com`.

Terraform: add `condition` blocks to the statement of the `aws_iam_policy_document` used as
`assume_role_policy`. CloudFormation: add `Condition` to the statement in
`AssumeRolePolicyDocument`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
- https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
- https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
- https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.catalog import action_matches
from iamready.iam.conditions import ClaimReading, Issuer, issuer_from_keys, issuer_info, read_audience, read_subject
from iamready.iam.policy import PolicyDocument, Statement
from iamready.iam.principals import OIDC, oidc_issuer, statement_principals
from iamready.iam.statements import effect_unknown, label, when_suffix, why
from iamready.rule import Finding, Severity, Unresolved, rule

WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"


@rule(
    id="AWS-IAM-034",
    name="aws-iam-oidc-trust-without-subject",
    severity=Severity.HIGH,
    checklist=("3.7", "2.11"),
    on="policy",
    policy_kinds=("trust",),
    tags=("trust", "federation", "oidc"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    for stmt in doc.statements:
        if effect_unknown(stmt) is not None or not stmt.allows:
            continue
        providers = [p for p in statement_principals(stmt.principal, ctx.graph) if p.kind == OIDC]
        web_identity = any(action_matches(p, WEB_IDENTITY) for p in stmt.action_patterns)
        if providers:
            issuers = [oidc_issuer(p, ctx.graph) for p in providers]
        elif web_identity and stmt.unknown_in("Principal") is not None:
            issuers = [None]  # the provider is not known: the claim keys may still say which it is
        else:
            continue
        for issuer in dict.fromkeys(issuers):
            yield from _provider(stmt, issuer or issuer_from_keys(stmt))


def _provider(stmt: Statement, issuer: str | None) -> Iterator[Finding | Unresolved]:
    info = issuer_info(issuer)
    subject = read_subject(stmt, issuer) if info.subject else None
    audience = read_audience(stmt, issuer)
    if (subject is not None and subject.state == "unknown") or (info.audience_required and audience.state == "unknown"):
        reading = subject if subject is not None and subject.state == "unknown" else audience
        yield Unresolved(
            f"{label(stmt)}: how it pins {_who(info, issuer)} tokens is not known ({reading.why})", at=stmt
        )
        return
    if subject is not None and subject.state == "missing" and issuer is None:
        unknown = stmt.unknown_in("Principal")
        if unknown is not None:
            yield Unresolved(
                f"{label(stmt)}: which identity provider it trusts is not known ({why(unknown)}), and no condition "
                "names a token subject",
                at=stmt,
            )
            return
    problems: list[str] = []
    severity = Severity.LOW
    if subject is not None and not subject.ok:
        problems.append(_subject_problem(info, subject))
        severity = Severity.CRITICAL if info.public and _anyone(subject) else Severity.HIGH
    if info.audience_required and not audience.ok:
        problems.append(
            f"{_claim_text(audience, 'aud')}, so any {info.name} audience (another account's pool or client) can "
            f"obtain credentials for the role; pin it, e.g. {info.example!r}"
        )
        severity = Severity.CRITICAL if info.public else Severity.HIGH
    elif not audience.ok:
        problems.append(f"{_claim_text(audience, 'aud')} (expected e.g. {_expected_aud(info)!r})")
    if not problems:
        return
    yield Finding(
        f"{label(stmt)} trusts {_who(info, issuer)} tokens: {'; '.join(problems)}{when_suffix(stmt)}",
        at=stmt,
        severity=severity,
    )


def _who(info: Issuer, issuer: str | None) -> str:
    if issuer is None:
        return "web-identity"
    return info.name if info.name == issuer else f"{info.name} ({issuer})"


def _expected_aud(info: Issuer) -> str:
    return {
        "GitHub Actions": "sts.amazonaws.com",
        "EKS (IRSA)": "sts.amazonaws.com",
        "Terraform Cloud": "aws.workload.identity",
    }.get(info.name, "the client id the role is meant for")


def _anyone(reading: ClaimReading) -> bool:
    """A missing subject, or a wildcard that admits strangers (not only your own tenant)."""
    return reading.state == "missing" or " any " in f" {reading.problem} "


def _claim_text(reading: ClaimReading, claim: str) -> str:
    if reading.state == "missing":
        return f"no condition on the {claim} claim"
    if reading.conditions and reading.values and reading.problem:
        cond = reading.conditions[0]
        return f"its {claim} condition {cond.operator} {reading.values[0]!r} is too broad: {reading.problem}"
    return f"its {claim} condition does not pin the value ({reading.why})"


def _subject_problem(info: Issuer, reading: ClaimReading) -> str:
    if reading.state == "missing":
        who = f"any {info.name} workload" if info.public else "any workload the provider issues tokens to"
        return f"no condition on the sub claim, so {who} can assume the role; pin it, e.g. {info.example!r}"
    return f"{_claim_text(reading, 'sub')}; pin it, e.g. {info.example!r}"
