"""One access key is handed to several consumers

The secret of one `aws_iam_access_key` / `AWS::IAM::AccessKey` is referenced by two or more
resources: functions, instances, task definitions, CI secrets, parameters, files. The outputs of
one module count as one consumer: a module that outputs the secret and the SES SMTP password
derived from it hands the key to one reader (whoever reads its outputs or state), not two.

## Why is this bad?
A key shared between consumers is a shared identity: CloudTrail shows the same user for all of
them, so nobody can tell which one acted; one compromised consumer exposes the others; and the
key can never be rotated or revoked without breaking every consumer at once (checklist 2.1,
3.6).

## How to fix
Give each consumer its own role (an execution role, an instance profile, a task role, OIDC
federation for CI). Where keys cannot be avoided, create one user and key per consumer, with
only the permissions that consumer needs.

## References
- https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
- https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios.html
"""

from collections.abc import Iterator

from iamready.aws.secrets import iter_key_usages, owner_of, user_name
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.rule import Finding, Severity, rule


@rule(
    id="AWS-IAM-054",
    name="aws-iam-access-key-shared",
    severity=Severity.MEDIUM,
    checklist=("2.1", "3.6"),
    targets={"terraform": ["aws_iam_access_key"], "cloudformation": ["AWS::IAM::AccessKey"]},
    tags=("credentials", "identity"),
)
def check(key: Resource, ctx: Context) -> Iterator[Finding]:
    usages = [u for u in iter_key_usages(ctx.graph, key) if u.ref.is_secret]
    consumers: dict[str, list[Resource]] = {}
    for usage in usages:
        group = consumers.setdefault(_consumer(usage.consumer), [])
        if usage.consumer not in group:
            group.append(usage.consumer)
    if len(consumers) < 2:
        return
    owner = owner_of(ctx.graph, key)
    whose = f" of user {user_name(owner)}" if owner is not None else ""
    names = "; ".join(_describe(group) for group in consumers.values())
    yield Finding(
        f"the secret{whose} is handed to {len(consumers)} consumers ({names}); each should have its own identity",
        at=key.span,
        related=[(u.ref.span, f"used by {u.consumer.address}") for u in usages],
    )


def _consumer(resource: Resource) -> str:
    """Who receives the secret: each resource, except that all outputs of one module are one reader."""
    if resource.type == "output":
        return f"outputs\0{resource.scope}\0{'.'.join(resource.module_path)}"
    return resource.id


def _describe(group: list[Resource]) -> str:
    if len(group) == 1 or group[0].type != "output":
        return group[0].address
    names = [r.name or r.address for r in group]
    return f"outputs {', '.join(names[:-1])} and {names[-1]}"
