"""ECS task definition passes credentials as plain environment variables

A container definition of an ECS task definition has an AWS access key id or secret access
key, the secret of an access key created in the same code, or a literal value under a
secret-looking name (`DB_PASSWORD`) in its `environment` list (or elsewhere in the definition,
such as `command`), instead of in `secrets` with `valueFrom`.

## Why is this bad?
The `environment` of a task definition is stored and returned in plain text: every revision
keeps it, `ecs:DescribeTaskDefinition` shows it, and it is committed with the code. AWS keys
there also mean the task authenticates with a user's long-term keys instead of its task role
(checklist 4.2, 4.1).

## How to fix
Give the task a task role (`task_role_arn` / `TaskRoleArn`) with the permissions the
application needs; the SDKs use its temporary credentials automatically. Put other secrets
in Secrets Manager or SSM Parameter Store and reference them in the container's `secrets`
list (`{ name = "DB_PASSWORD", valueFrom = "<secret or parameter ARN>" }`); the execution role
needs permission to read them.

## References
- https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html
- https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
"""

import re
from collections.abc import Iterator
from typing import Any

from iamready.aws.secrets import SECRET, find_key_refs, find_secrets
from iamready.context import Context
from iamready.model.graph import Resource
from iamready.model.span import Span
from iamready.model.value import LStr, Value
from iamready.rule import Finding, Severity, Unresolved, rule


@rule(
    id="AWS-ECS-001",
    name="aws-ecs-task-environment-credentials",
    severity=Severity.HIGH,
    checklist=("4.2", "4.1"),
    targets={"terraform": ["aws_ecs_task_definition"], "cloudformation": ["AWS::ECS::TaskDefinition"]},
    tags=("credentials", "secrets"),
)
def check(task: Resource, ctx: Context) -> Iterator[Finding | Unresolved]:
    cfn = task.framework == "cloudformation"
    attr = task.attr("ContainerDefinitions" if cfn else "container_definitions")
    if attr.is_unknown:
        yield Unresolved(f"the container definitions are not known ({attr.why_unknown})", at=attr)
        return
    containers = _containers(attr)
    if containers is None:
        return
    env_key, name_key = ("Environment", "Name") if cfn else ("environment", "name")
    for index, container in enumerate(containers.items()):
        label = container.get(name_key).raw
        label = str(label) if isinstance(label, str) else f"#{index + 1}"
        for key, part in container.entries():
            names = key == env_key  # secret-looking names count only in the environment list
            for hit in find_secrets(part.raw, str(key), part.span, str(key), task.span, names=names):
                where = f"environment variable {hit.name}" if names and hit.name else str(key)
                yield Finding(
                    f"container {label}: {where} holds {hit.describe()}",
                    at=hit.span,
                    key=f"{label}.{hit.path}",
                    severity=Severity.MEDIUM if hit.kind == SECRET else None,
                )
            for ref in find_key_refs(part.raw, ctx.graph, task.scope, part.span, task.span):
                where = _variable(part, ref.path, name_key) if key == env_key else None
                where = f"environment variable {where}" if where else str(key)
                yield Finding(
                    f"container {label}: {where} holds {ref.describe()}: the task should use its task role",
                    at=ref.span,
                    key=f"{label}.{key}{ref.path}",
                )


def _variable(environment: Value, path: str, name_key: str) -> str | None:
    """The name of the environment entry at ``path`` (``"[1].value"``)."""
    match = re.match(r"\[(\d+)\]", path)
    if match is None:
        return None
    name = environment.get(int(match.group(1))).get(name_key).raw
    return str(name) if isinstance(name, str) else None


def _containers(attr: Value) -> Value | None:
    """The list of container definitions, with spans (a JSON string is parsed in place)."""
    raw = attr.raw
    if isinstance(raw, list):
        return attr
    if not isinstance(raw, str):
        return None
    doc = getattr(raw, "doc", None)
    if doc is not None:
        return Value(doc, attr.span, attr.path)
    from iamready.jsonpos import JsonPosError, loads

    origin: Any = getattr(raw, "origin", None) or getattr(raw, "span", None) or attr.span
    try:
        parsed, _ = loads(str(raw), origin.path, origin.start_line, origin.start_col)
    except (JsonPosError, RecursionError):
        return None
    if isinstance(raw, LStr) and raw.origin is None:  # a one-line string: every entry is on its line
        _flatten_spans(parsed, origin)
    return Value(parsed, attr.span, attr.path) if isinstance(parsed, list) else None


def _flatten_spans(value: Any, span: Span) -> None:
    if isinstance(value, dict):
        for key in list(value.key_spans) if hasattr(value, "key_spans") else []:
            value.key_spans[key] = span
        for item in value.values():
            _flatten_spans(item, span)
    elif isinstance(value, list):
        if hasattr(value, "item_spans"):
            value.item_spans = [span for _ in value.item_spans]
        for item in value:
            _flatten_spans(item, span)
