"""Identity policy lets a principal delete logs or unprotect the log bucket

An IAM policy in the scanned code (inline, customer managed, or an attached AWS managed
policy such as `AdministratorAccess` or `AmazonS3FullAccess`) allows an action that erases
CloudTrail or billing logs or removes their protection on the bucket a trail, Cost and Usage
Report or billing data export writes to: `s3:DeleteObject`, `s3:DeleteObjectVersion`,
`s3:PutBucketPolicy`, `s3:PutBucketAcl`, `s3:PutLifecycleConfiguration`,
`s3:PutBucketVersioning`, `s3:DeleteBucket` and similar, by name or through `s3:*` / `*`,
on the bucket's ARN (as written, as `${aws_s3_bucket.x.arn}`, with `/*`) or on `*`.

## Why is this bad?
Whoever can delete log objects or rewrite the bucket's policy or lifecycle can erase the
evidence of what they did, and an attacker who takes over that principal can too
(checklist item 5.1). Logs should be written by the service and read by auditors; changing
their bucket is a break-glass task. An unconditional Deny in the principal's policies that
covers the action removes the finding. The role the trail itself uses (its CloudWatch Logs
role) is not reported, and principals can be exempted by address or name with the rule
option `allowed-principals`.

## How to fix
Remove the actions from the statement, or scope its `Resource` away from the log bucket.
Give readers `s3:GetObject` / `s3:ListBucket` only. Keep bucket administration in a
dedicated break-glass role that requires MFA, and consider a service control policy that
denies these actions on the log bucket for everyone else.

Terraform: edit `actions` / `resources` in the `aws_iam_policy_document` (or the
`jsonencode` policy), or detach the AWS managed policy. CloudFormation: edit `Action` /
`Resource` in the `PolicyDocument`, or remove the ARN from `ManagedPolicyArns`.

## References
- https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
- https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
"""

from collections.abc import Iterator

from iamready.aws.s3 import (
    TAMPER_ACTIONS,
    WRITER_TYPES,
    LogTarget,
    action_level,
    grant_text,
    log_targets,
    reachable_targets,
    tamper_order,
    when,
    why,
)
from iamready.context import Context
from iamready.iam.catalog import ActionInfo
from iamready.iam.effective import statement_covers_action
from iamready.iam.policy import PolicyDocument, Statement
from iamready.model import Resource
from iamready.rule import Finding, Severity, Unresolved, rule

PRINCIPAL_TYPES = (
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_group",
    "AWS::IAM::Role",
    "AWS::IAM::User",
    "AWS::IAM::Group",
)


@rule(
    id="AWS-S3-010",
    name="aws-s3-identity-policy-can-tamper-with-log-bucket",
    severity=Severity.HIGH,
    checklist=("5.1",),
    on="policy",
    policy_kinds=("identity",),
    tags=("logging", "least-privilege"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    targets = log_targets(ctx)
    if not targets:
        return
    if doc.unknown is not None:
        if doc.aws_managed is None:
            yield Unresolved(
                f"policy {doc.label} could not be read ({why(doc.unknown)}); whether it lets "
                f"{_principals(doc)} tamper with log buckets is not known",
                at=doc,
            )
        return
    exempt = _exempt(ctx, doc)
    principals = [p for p in doc.principals if p.id not in exempt]
    if doc.principals and not principals:
        return
    for stmt in doc.statements:
        if stmt.effect is None:
            unknown = stmt.unknown_in("Effect", "Statement")
            if unknown is not None:
                yield Unresolved(f"{stmt.label} could not be read ({why(unknown)})", at=stmt)
            continue
        if not stmt.allows:
            continue
        actions = [ctx.catalog.info(a) for a in TAMPER_ACTIONS if statement_covers_action(stmt, a)]
        granted = [a for a in actions if a is not None]
        hits: dict[str, tuple[LogTarget, list[ActionInfo]]] = {}
        # a wildcard only reaches buckets of the same deployment (root module or template): another
        # deployment may well be another account; naming the bucket reaches it from anywhere
        reachable = reachable_targets(ctx, doc.holder.scope, stmt)
        for info in granted:
            for target in reachable:
                if target.covered_by(stmt, action_level(info)) and not _denied(ctx, doc, principals, info, target):
                    key = target.bucket.id if target.bucket is not None else f"name:{target.name}"
                    hits.setdefault(key, (target, []))[1].append(info)
        if not hits:
            unknown = stmt.unknown_in("Action", "NotAction", "Resource", "NotResource")
            if unknown is not None and (granted or stmt.unknown_in("Action", "NotAction") is not None):
                yield Unresolved(
                    f"{stmt.label}: whether it lets {_principals(doc)} tamper with log buckets depends on a value "
                    f"that is not known ({why(unknown)})",
                    at=stmt,
                )
            continue
        shown = tamper_order({a.full: a for _, infos in hits.values() for a in infos}.values())
        on = " and ".join(target.label() for target, _ in hits.values())
        lead = f"attaches {doc.label}, whose {stmt.label}" if doc.aws_managed else stmt.label
        yield Finding(
            f"{lead} lets {_principals(doc, principals)} {grant_text(stmt, shown)} on {_resources(stmt)}, "
            f"which reaches {on}{when(stmt)}",
            at=stmt,
        )


def _principals(doc: PolicyDocument, principals: list[Resource] | None = None) -> str:
    if not doc.principals:
        return "whoever it is attached to (no principal in the scanned code)"
    return ", ".join(p.address for p in (doc.principals if principals is None else principals))


def _resources(stmt: Statement) -> str:
    if stmt.resources is not None:
        return ", ".join(str(r) for r in stmt.resource_patterns) or "resources that are not known"
    if stmt.not_resources is not None:
        return "every resource except " + ", ".join(stmt.known_strings(stmt.not_resources))
    return "no resource"


def _exempt(ctx: Context, doc: PolicyDocument) -> set[str]:
    """Principals this rule leaves alone: the roles the writers themselves use, and the
    ``allowed-principals`` option (addresses or IAM names)."""
    if "s3-010.writer-roles" not in ctx.memo:  # the same for every policy: found once per scan
        ctx.memo["s3-010.writer-roles"] = {
            r.id
            for writer in ctx.graph.resources(WRITER_TYPES)
            for r in ctx.graph.references(writer, type=PRINCIPAL_TYPES)
        }
    out: set[str] = set(ctx.memo["s3-010.writer-roles"])
    allowed = ctx.options.get("allowed-principals", ())
    names = {str(a) for a in ([allowed] if isinstance(allowed, str) else allowed)}
    if names:
        for principal in doc.principals:
            if principal.address in names or _iam_name(principal) in names:
                out.add(principal.id)
    return out


def _iam_name(principal: Resource) -> str | None:
    attr = {"aws_iam_role": "name", "aws_iam_user": "name", "aws_iam_group": "name"}.get(
        principal.type, principal.type.rsplit("::", 1)[-1] + "Name"
    )
    raw = principal.attr(attr).raw
    return str(raw) if isinstance(raw, str) else None


def _denied(ctx: Context, doc: PolicyDocument, principals: list[Resource], info: ActionInfo, target: LogTarget) -> bool:
    """An unconditional Deny covering the action on the target, for every principal the policy
    applies to (or, for a policy attached to none in the code, in the policy itself)."""
    level = action_level(info)

    def denies(stmts: list[Statement]) -> bool:
        return any(
            s.denies
            and not s.conditions
            and s.unknown_in("Condition") is None
            and statement_covers_action(s, info.full)
            and target.covered_by(s, level)
            for s in stmts
        )

    if not principals:
        return denies(doc.statements)
    return all(denies([s for s, _ in ctx.permissions(p).statements("Deny")]) for p in principals)
