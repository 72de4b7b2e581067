"""Policy allows write or permissions-management actions on every resource

An identity policy statement allows *Write* or *Permissions management* actions (access levels
from the IAM action catalogue) on `*` although those actions accept resource ARNs: they could
be limited to the resources the principal works on, and are not. One finding per statement
lists the offending actions by access level (long lists are summarised).

AWS managed policies, and the statements of SAM policy templates in which no parameter the author
gives appears (`CloudWatchPutMetricPolicy`, `VPCAccessPolicy`), are AWS's wording, chosen by name: not
reported here (what they grant still counts for escalation and the permission review). A template
statement that a parameter widens (`S3WritePolicy` with `BucketName: "*"`) is the author's: reported.

Not reported: actions that only accept `*` (`sts:GetCallerIdentity`, `ec2:DescribeInstances`,
`s3:ListAllMyBuckets`, `xray:PutTraceSegments`), List/Read/Tagging actions, actions limited by a
condition on the resource (`aws:ResourceTag/...`, `aws:ResourceAccount`, or a key the catalogue
lists for the action such as `iam:PermissionsBoundary` or `iam:PolicyARN`), Deny statements,
and what other rules already report for the same statement: `*` (AWS-IAM-001), whole services
such as `s3:*` (AWS-IAM-010), `NotAction` (AWS-IAM-011) and `iam:PassRole` (AWS-IAM-030).

Severity follows the access level: high for permissions management (changing policies, trust,
ACLs, key policies), medium for write.

## Why is this bad?
A write or permissions-management action on `*` reaches every resource of its type in the
account, including the ones other teams own and the ones created tomorrow: `s3:PutBucketPolicy`
on `*` can open any bucket, `iam:AttachRolePolicy` on `*` can make any role an administrator,
`kms:ScheduleKeyDeletion` on `*` can destroy every key. Reviewing permissions by access level
(checklist 2.10) starts with these.

## How to fix
Scope `Resource` to the ARNs the principal works on (a bucket, a key, roles under a path such
as `arn:aws:iam::123456789012:role/app/*`), or add a condition that limits the resources
(`aws:ResourceTag/team`, `iam:PermissionsBoundary` for role creation).

Terraform: list ARNs in `resources` of the `aws_iam_policy_document` statement, built from the
resources' `arn` attributes. CloudFormation: list ARNs in `Resource`, with `!GetAtt X.Arn` or
`!Sub`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html
- https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.catalog import PERMISSIONS, WRITE, ActionInfo
from iamready.iam.conditions import scoping_condition
from iamready.iam.policy import PolicyDocument, Statement
from iamready.iam.statements import (
    aws_wording,
    broad_resources,
    covers_every_resource,
    document_unreadable,
    effect_unknown,
    is_full_admin_pattern,
    is_service_wildcard,
    label,
    summarise,
    undecided,
    when_suffix,
    why,
)
from iamready.rule import Finding, Severity, Unresolved, rule

REPORTED_ELSEWHERE = frozenset({"iam:passrole"})  # AWS-IAM-030


@rule(
    id="AWS-IAM-020",
    name="aws-iam-policy-allows-unscoped-write",
    severity=Severity.MEDIUM,
    checklist=("2.10", "2.5"),
    on="policy",
    policy_kinds=("identity",),
    tags=("least-privilege", "access-level"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding | Unresolved]:
    if doc.aws_managed:
        return
    unreadable = document_unreadable(doc)
    if unreadable:
        yield Unresolved(unreadable, at=doc)
        return
    for stmt in doc.statements:
        if aws_wording(stmt):  # a SAM policy template's own text: the author chose it, cannot change it
            continue
        unknown = effect_unknown(stmt)
        if unknown is not None:
            yield Unresolved(f"{label(stmt)} could not be read ({why(unknown)})", at=stmt)
            continue
        if not stmt.allows or stmt.actions is None:
            continue  # NotAction: AWS-IAM-011
        yield from _statement(stmt, ctx)


def _statement(stmt: Statement, ctx: Context) -> Iterator[Finding | Unresolved]:
    patterns = stmt.action_patterns
    resources = broad_resources(stmt)
    if resources and any(is_full_admin_pattern(p) for p in patterns):
        return  # AWS-IAM-001
    offending = _offending(stmt, [p for p in patterns if not is_service_wildcard(p)], ctx)
    if resources and offending:
        unknown = stmt.unknown_in("Condition")
        if unknown is not None:
            yield Unresolved(
                f"{label(stmt)} allows write actions on * and has a condition that is not known ({why(unknown)}); "
                "it may limit the resources",
                at=stmt,
            )
            return
        yield Finding(_message(stmt, offending, resources), at=stmt, severity=_severity(offending))
        return
    unknown = stmt.unknown_in("Action") or undecided(stmt, "Resource", covers_every_resource)
    if unknown is not None and (offending or resources):
        yield Unresolved(
            f"{label(stmt)}: whether it allows write actions on every resource depends on a value that is not "
            f"known ({why(unknown)})",
            at=stmt,
        )


def _offending(stmt: Statement, patterns: list[str], ctx: Context) -> list[ActionInfo]:
    out: dict[str, ActionInfo] = {}
    for pattern in patterns:
        for info in ctx.catalog.expand(pattern):
            if info.full.lower() in REPORTED_ELSEWHERE or not info.resource_level:
                continue
            if info.level not in (PERMISSIONS, WRITE):
                continue
            if scoping_condition(stmt, info) is not None:
                continue
            out.setdefault(info.full, info)
    return list(out.values())


def _severity(actions: list[ActionInfo]) -> Severity:
    return Severity.HIGH if any(a.level == PERMISSIONS for a in actions) else Severity.MEDIUM


def _message(stmt: Statement, actions: list[ActionInfo], resources: list[str]) -> str:
    parts = []
    for level, words in ((PERMISSIONS, "permissions-management"), (WRITE, "write")):
        names = sorted(a.full for a in actions if a.level == level)
        if names:
            parts.append(f"{words} action{'s' if len(names) > 1 else ''} {summarise(names)}")
    shown = " and ".join(dict.fromkeys(resources))
    accept = "they accept" if len(actions) > 1 else "it accepts"
    return f"{label(stmt)} allows {' and '.join(parts)} on {shown}, though {accept} resource ARNs{when_suffix(stmt)}"
