"""Policy allows iam:PassRole on every role without iam:PassedToService

An identity policy statement allows `iam:PassRole` (written as `iam:PassRole` or a pattern such
as `iam:Pass*`) on `*` or on every role of an account (`arn:aws:iam::123456789012:role/*`), and
no `iam:PassedToService` condition limits the services the roles may be passed to. Statements
that allow `*` or `iam:*` are reported by AWS-IAM-001 / AWS-IAM-010 instead, and `NotAction`
statements by AWS-IAM-011. Resource patterns are matched against the ARN format of the role
resource type from the IAM action catalogue: `arn:aws:s3:::*` next to `iam:PassRole` names no role
and passes nothing.

AWS managed policies, and the statements of SAM policy templates in which no parameter the author
gives appears (`CloudWatchPutMetricPolicy`, `VPCAccessPolicy`), are AWS's wording, chosen by name: not
reported here (what they grant still counts for escalation and the permission review). A template
statement that a parameter widens (`S3WritePolicy` with `BucketName: "*"`) is the author's: reported.

## Why is this bad?
Passing a role to a service is how a principal lends that role's permissions to compute it
controls: whoever can pass *any* role can launch an EC2 instance, a Lambda function or a
CloudFormation stack with the most privileged role in the account and act as it. `iam:PassRole`
on `*` is one of the most common privilege-escalation paths, and conditions are the tool to
contain it (checklist 2.11).

## How to fix
Limit `Resource` to the roles the principal is meant to pass (by ARN or by path, such as
`arn:aws:iam::123456789012:role/app/*`) and add a condition naming the service:
`StringEquals iam:PassedToService ecs-tasks.amazonaws.com`.

Terraform: in the `aws_iam_policy_document` statement, set `resources` to the role ARNs
(`aws_iam_role.task.arn`) and add a `condition { test = "StringEquals", variable =
"iam:PassedToService", values = [...] }`. CloudFormation: set `Resource` to `!GetAtt TaskRole.Arn`
and add `Condition: {StringEquals: {iam:PassedToService: ...}}`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.catalog import action_matches
from iamready.iam.conditions import restricts_passed_to_service
from iamready.iam.policy import PolicyDocument, Statement
from iamready.iam.principals import arn_resource
from iamready.iam.statements import (
    SHOWN_UNKNOWN,
    aws_wording,
    covers_every_resource,
    decided,
    document_unreadable,
    effect_unknown,
    is_full_admin_pattern,
    label,
    resource_applies,
    summarise,
    undecided,
    when_suffix,
    why,
)
from iamready.rule import Finding, Severity, Unresolved, rule

PASS_ROLE = "iam:PassRole"


@rule(
    id="AWS-IAM-030",
    name="aws-iam-policy-allows-pass-any-role",
    severity=Severity.HIGH,
    checklist=("2.11",),
    on="policy",
    policy_kinds=("identity",),
    tags=("privilege-escalation", "conditions"),
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
            continue
        yield from _statement(stmt, ctx)


def _any_role(pattern: str) -> bool:
    """``*``, or every role of an account: ``arn:aws:iam::123456789012:role/*``."""
    if covers_every_resource(pattern):
        return True
    resource = arn_resource(pattern)
    return pattern.startswith("arn:") and resource in ("role/*", "role*", "*")


def _statement(stmt: Statement, ctx: Context) -> Iterator[Finding | Unresolved]:
    patterns = stmt.action_patterns
    if any(is_full_admin_pattern(p) or p.strip().lower() == "iam:*" for p in patterns):
        return  # AWS-IAM-001 / AWS-IAM-010
    granting = [p for p in patterns if action_matches(p, PASS_ROLE)]
    pass_role = ctx.catalog.info(PASS_ROLE)

    def names_any_role(pattern: str) -> bool:  # a pattern for another service's resources names no role
        return _any_role(pattern) and (pass_role is None or resource_applies(pattern, pass_role, ctx.catalog))

    resources = [p for p in stmt.resource_patterns if names_any_role(p)]
    resources += [
        u.fill(SHOWN_UNKNOWN) or "" for n, u in stmt.unknowns if n == "Resource" and decided(u, names_any_role)
    ]
    if not granting or not resources:
        unknown = stmt.unknown_in("Action") or undecided(stmt, "Resource", names_any_role)
        if unknown is not None and (granting or resources):
            yield Unresolved(
                f"{label(stmt)}: whether it allows iam:PassRole on every role depends on a value that is not known "
                f"({why(unknown)})",
                at=stmt,
            )
        return
    reading = restricts_passed_to_service(stmt)
    if reading.yes:
        return
    if reading.unknown:
        yield Unresolved(
            f"{label(stmt)} allows iam:PassRole on {summarise(resources)}; whether a condition limits the services "
            f"is not known ({reading.why})",
            at=stmt,
        )
        return
    via = "" if granting == [PASS_ROLE] else f" (through {summarise(granting)})"
    detail = "with no iam:PassedToService condition"
    if reading.by:
        detail = f"and its iam:PassedToService condition does not limit the services ({reading.why})"
    yield Finding(
        f"{label(stmt)} allows iam:PassRole{via} on {summarise(resources)} {detail}: any role, "
        f"administrator roles included, can be handed to a service the holder controls{when_suffix(stmt)}",
        at=stmt,
    )
