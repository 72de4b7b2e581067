"""Large inline policy where a managed policy would fit

An inline policy (Terraform `inline_policy` blocks, `aws_iam_role_policy`,
`aws_iam_user_policy`, `aws_iam_group_policy`; CloudFormation `Policies` and `AWS::IAM::Policy`)
is large: more than `max-statements` statements or more than `max-actions` distinct action
patterns. The message suggests what would fit: an AWS managed read-only policy when every action
only reads or lists, the AWS managed policies of the service when all actions belong to one
service, a customer managed policy otherwise. A SAM policy template (`CodeCommitCrudPolicy` lists
some 60 actions) becomes an inline policy of the function's role, but its statements are SAM's,
chosen by name: it is not reported.

## Options
- `max-statements` (default 10): report an inline policy with more statements than this.
- `max-actions` (default 40): report an inline policy with more distinct `Action`/`NotAction`
  patterns than this.

Set them in `pyproject.toml` (`[tool.iamready.rules.AWS-IAM-045] max-statements = 15`) or with
`--rule-option AWS-IAM-045:max-actions=60`.

## Why is this bad?
Inline policies cannot be reused, versioned or reviewed on their own: the same large permission
set gets copied from role to role and drifts, each copy must be reviewed separately, and IAM
Access Analyzer and the console's policy views work on managed policies. AWS managed policies
are maintained by AWS as services change. Checklist item 2.6 prefers managed policies.

## How to fix
Move the statements into a customer managed policy and attach it, or attach the AWS managed
policy that matches the duty.

Terraform: create an `aws_iam_policy` from the same `aws_iam_policy_document` and attach it with
`aws_iam_role_policy_attachment` (or `managed_policy_arns`). CloudFormation: create an
`AWS::IAM::ManagedPolicy` and list it in `ManagedPolicyArns`.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-use-aws-defined-policies
"""

from collections.abc import Iterator

from iamready.context import Context
from iamready.iam.catalog import LIST, READ
from iamready.iam.policy import PolicyDocument
from iamready.rule import Finding, Severity, rule

DEFAULTS = {"max-statements": 10, "max-actions": 40}


@rule(
    id="AWS-IAM-045",
    name="aws-iam-large-inline-policy",
    severity=Severity.LOW,
    checklist=("2.6",),
    on="policy",
    policy_kinds=("identity",),
    tags=("maintainability", "managed-policies"),
)
def check(doc: PolicyDocument, ctx: Context) -> Iterator[Finding]:
    if doc.via != "inline" or doc.aws_managed or doc.sam_template or not doc.statements:
        return
    max_statements = _option(ctx, "max-statements")
    max_actions = _option(ctx, "max-actions")
    patterns = list(
        dict.fromkeys(p.lower() for s in doc.statements for p in [*s.action_patterns, *s.not_action_patterns])
    )
    statements = len(doc.statements)
    if statements <= max_statements and len(patterns) <= max_actions:
        return
    name = f"inline policy {doc.name!r}" if doc.name else "the inline policy"
    yield Finding(
        f"{name} has {statements} statement{'s' if statements != 1 else ''} and {len(patterns)} distinct "
        f"action pattern{'s' if len(patterns) != 1 else ''} (limits: {max_statements} and {max_actions}); "
        f"{_suggestion(doc, patterns, ctx)}",
        at=doc,
    )


def _option(ctx: Context, key: str) -> int:
    raw = ctx.options.get(key, ctx.options.get(key.replace("-", "_"), DEFAULTS[key]))
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValueError(f"option {key} must be a positive integer, got {raw!r}") from None
    if value < 1:
        raise ValueError(f"option {key} must be a positive integer, got {raw!r}")
    return value


def _suggestion(doc: PolicyDocument, patterns: list[str], ctx: Context) -> str:
    infos = [info for pattern in patterns for info in ctx.catalog.expand(pattern)]
    reads = infos and all(info.level in (LIST, READ) for info in infos)
    if reads and not any(s.not_actions is not None for s in doc.statements):
        return (
            "every action reads or lists: an AWS managed read-only policy (ReadOnlyAccess, ViewOnlyAccess or "
            "the service's ...ReadOnlyAccess) may fit"
        )
    services = {p.split(":", 1)[0] for p in patterns if ":" in p}
    if len(services) == 1:
        return (
            f"all actions are {services.pop()} actions: an AWS managed policy of the service, or a customer "
            "managed policy, may fit"
        )
    return "a customer managed policy (aws_iam_policy / AWS::IAM::ManagedPolicy) would be reusable and versioned"
