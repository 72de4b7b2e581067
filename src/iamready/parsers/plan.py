"""Terraform plan JSON (``terraform show -json`` of a saved plan, format 1.x) into the resource graph.

Resources and data sources come from ``planned_values`` (the root module and every child module),
with their addresses as Terraform writes them (``module.app.aws_iam_role.this[0]``,
``aws_iam_user.dev["alice"]``). Values are fully known, except those the plan lists in
``after_unknown``: they become ``Unknown("known after apply")`` -- or, when the configuration says
the value is a reference to another resource of the plan (``role = aws_iam_role.app.id``), a
symbolic value naming that resource, so links between resources still work.

Locations: when the configuration sits beside the plan (the plan's directory, and the local
module directories named in the plan's ``configuration`` section), each resource points at its
block in the ``.tf`` file and each attribute at its line there; otherwise at the line of the plan
file where the resource's ``"address"`` is written, and each attribute at its own line in the plan.
The configuration directories a plan covers are not scanned as Terraform modules as well (see
:func:`configuration_dirs`): the plan's values are the authoritative ones.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from iamready.model.graph import TERRAFORM, Graph, Resource
from iamready.model.notes import PARSE_ERROR, Notification
from iamready.model.span import Span
from iamready.model.value import LDict, LList, LStr, Unknown

KNOWN_AFTER_APPLY = "known after apply"
_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+|\*)\]')
MAX_RESOURCES = 200_000
# `terraform show -json` of a large estate runs to tens of MB (it repeats every value in planned_values,
# resource_changes and prior_state); reading costs about 0.25 s and 7 MB of memory per MB
MAX_PLAN_BYTES = 64 * 1024 * 1024


@dataclass
class Plan:
    path: str
    data: LDict
    # module path ("" for the root, "module.a", "module.a.module.b") -> directory holding its .tf files
    config_dirs: dict[str, str] = field(default_factory=dict)


def load_plan(path: str, notes: list[Notification]) -> Plan | None:
    """Read a plan file; None (with a located notification) when it is not valid plan JSON."""
    from iamready.jsonpos import JsonPosError, loads
    from iamready.parsers.terraform.files import read_text

    text = read_text(path, notes, MAX_PLAN_BYTES)
    if text is None:
        return None
    try:
        data, _duplicates = loads(text, path)
    except JsonPosError as exc:
        notes.append(
            Notification(PARSE_ERROR, f"invalid JSON: {exc.message}", Span(path, exc.line, exc.column), "error")
        )
        return None
    if not isinstance(data, LDict) or not isinstance(data.get("planned_values"), dict):
        notes.append(
            Notification(
                PARSE_ERROR,
                "not a Terraform plan: no planned_values (expected `terraform show -json` of a saved plan)",
                Span(path, 1),
                "error",
            )
        )
        return None
    version = data.get("format_version")
    if not (isinstance(version, str) and version.split(".")[0] == "1"):
        notes.append(
            Notification(
                PARSE_ERROR,
                f"unsupported plan format_version {version!r}; iamready reads format 1.x",
                data.key_spans.get("format_version") or Span(path, 1),
                "error",
            )
        )
        return None
    return Plan(path, data, _find_config_dirs(path, data))


def _find_config_dirs(path: str, data: LDict) -> dict[str, str]:
    from iamready.parsers.terraform.files import module_files

    root = os.path.dirname(os.path.realpath(path))
    found: dict[str, str] = {}
    if module_files(root):
        found[""] = root
    configuration = data.get("configuration")
    root_module = configuration.get("root_module") if isinstance(configuration, dict) else None
    stack: list[tuple[str, str, Any]] = [("", root, root_module)]
    while stack:
        prefix, directory, module = stack.pop()
        calls = module.get("module_calls") if isinstance(module, dict) else None
        if not isinstance(calls, dict):
            continue
        for name, call in calls.items():
            if not isinstance(call, dict):
                continue
            source = call.get("source")
            child_prefix = f"{prefix}.module.{name}" if prefix else f"module.{name}"
            if not isinstance(source, str) or not source.startswith(("./", "../")):
                continue
            child_dir = os.path.realpath(os.path.join(directory, source))
            if os.path.isdir(child_dir) and module_files(child_dir):
                found[child_prefix] = child_dir
            stack.append((child_prefix, child_dir, call.get("module")))
    return found


def configuration_dirs(plan: Plan, scan_roots: list[str] | None = None) -> dict[str, str]:
    """The configuration directories of ``plan`` that may be read (inside the scanned paths)."""
    if scan_roots is None:
        return dict(plan.config_dirs)
    roots = [os.path.realpath(r) for r in scan_roots]
    return {
        prefix: directory
        for prefix, directory in plan.config_dirs.items()
        if any(directory == r or directory.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
    }


# ---------------------------------------------------------------------------------------------
def build(plan: Plan, graph: Graph, cache: Any, scan_roots: list[str] | None = None) -> None:
    """Add the plan's resources to ``graph``."""
    blocks = _config_blocks(configuration_dirs(plan, scan_roots), graph, cache)
    references = _config_references(plan.data)
    changes = _resource_changes(plan.data)
    planned = plan.data.get("planned_values")
    root_module = planned.get("root_module") if isinstance(planned, dict) else None
    built: list[tuple[Resource, LDict, str, str]] = []
    by_address: dict[str, Resource] = {}
    for module_address, item in _walk_resources(root_module):
        attrs_set = references.get((_module_path(module_address), _config_address(item)))
        configured = set(attrs_set) if attrs_set is not None else None
        resource = _resource(plan, item, module_address, blocks, changes, configured)
        if resource is None or resource.address in by_address:
            continue
        graph.add(resource)
        by_address[resource.address] = resource
        built.append((resource, item, module_address, _config_address(item)))
        if len(built) >= MAX_RESOURCES:
            graph.notifications.append(
                Notification(
                    "limit",
                    f"more than {MAX_RESOURCES} resources in the plan; the rest are not scanned",
                    Span(plan.path, 1),
                )
            )
            break
    sources = {os.path.realpath(r.span.path) for r, _, _, _ in built if r.span.path != plan.path}
    plan_sources = getattr(graph, "plan_sources", None)
    if plan_sources is None:
        plan_sources = {}
        graph.plan_sources = plan_sources  # type: ignore[attr-defined]
    plan_sources.setdefault(os.path.realpath(plan.path), set()).update(sources)
    for resource, _item, module_address, config_address in built:
        refs = references.get((_module_path(module_address), config_address), {})
        _resolve_references(graph, resource, refs, module_address, by_address)


# -- configuration beside the plan ------------------------------------------------------------
def _config_blocks(dirs: dict[str, str], graph: Graph, cache: Any) -> dict[tuple[str, str], tuple[str, Any]]:
    """``(module path, "aws_x.y" | "data.aws_x.y")`` -> (file, block node) for the configuration's blocks."""
    from iamready.parsers.terraform.files import load_tf_file, module_files

    out: dict[tuple[str, str], tuple[str, Any]] = {}
    parsed: dict[str, list[Any]] = {}
    for prefix, directory in sorted(dirs.items()):
        if directory not in parsed:
            files = []
            for path in module_files(directory):
                tf = load_tf_file(path, cache, graph.notifications)
                if tf is not None:
                    files.append(tf)
                    if tf.comments:
                        graph.comments[tf.path] = list(tf.comments)
            parsed[directory] = files
        for tf in parsed[directory]:
            for node in tf.body:
                if node[0] != "B" or len(node[3]) != 2 or node[2] not in ("resource", "data"):
                    continue
                address = f"{node[3][0]}.{node[3][1]}" if node[2] == "resource" else f"data.{node[3][0]}.{node[3][1]}"
                out.setdefault((prefix, address), (tf.path, node))
    return out


def _config_references(data: LDict) -> dict[tuple[str, str], dict[str, list[str]]]:
    """What each configured attribute refers to: ``(module path, address) -> {attribute: [references]}``."""
    out: dict[tuple[str, str], dict[str, list[str]]] = {}
    configuration = data.get("configuration")
    root_module = configuration.get("root_module") if isinstance(configuration, dict) else None
    stack: list[tuple[str, Any]] = [("", root_module)]
    while stack:
        prefix, module = stack.pop()
        if not isinstance(module, dict):
            continue
        for item in module.get("resources") or ():
            if not isinstance(item, dict) or not isinstance(item.get("address"), str):
                continue
            expressions = item.get("expressions")
            attrs: dict[str, list[str]] = {}
            if isinstance(expressions, dict):
                for name, expression in expressions.items():
                    refs = expression.get("references") if isinstance(expression, dict) else None
                    if isinstance(refs, list):
                        attrs[str(name)] = [str(r) for r in refs if isinstance(r, str)]
            out[(prefix, str(item["address"]))] = attrs
        calls = module.get("module_calls")
        if isinstance(calls, dict):
            for name, call in calls.items():
                if isinstance(call, dict):
                    stack.append((f"{prefix}.module.{name}" if prefix else f"module.{name}", call.get("module")))
    return out


def _resource_changes(data: LDict) -> dict[str, Any]:
    out = {}
    for change in data.get("resource_changes") or ():
        if isinstance(change, dict) and isinstance(change.get("address"), str):
            out[str(change["address"])] = change
    return out


def _walk_resources(module: Any) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    stack = [module]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict):
            continue
        address = current.get("address") if isinstance(current.get("address"), str) else ""
        for item in current.get("resources") or ():
            if isinstance(item, dict) and isinstance(item.get("address"), str):
                out.append((str(address), item))
        children = current.get("child_modules")
        if isinstance(children, list):
            stack.extend(reversed(children))
    return out


def _module_path(module_address: str) -> str:
    """``module.a[0].module.b["x"]`` -> ``module.a.module.b`` (the configuration's module path)."""
    return _INSTANCE_KEY.sub("", module_address)


def _config_address(item: Any) -> str:
    name = f"{item.get('type')}.{item.get('name')}"
    return f"data.{name}" if item.get("mode") == "data" else name


# -- one resource -----------------------------------------------------------------------------
def _is_identifier(name: str) -> bool:
    from iamready.parsers.terraform.attributes import _IDENTIFIERS

    return name in _IDENTIFIERS or name.endswith(("_arn", "_id", "_name"))


def _resource(
    plan: Plan,
    item: LDict,
    module_address: str,
    blocks: dict[tuple[str, str], tuple[str, Any]],
    changes: dict,
    configured: set[str] | None,
) -> Resource | None:
    address = str(item["address"])
    rtype = item.get("type")
    name = item.get("name")
    if not isinstance(rtype, str) or not isinstance(name, str):
        return None
    kind = "data" if item.get("mode") == "data" else "resource"
    address_span = item.key_spans.get("address") or item.span or Span(plan.path, 1)
    block = blocks.get((_module_path(module_address), _config_address(item)))
    values = item.get("values")
    values = values if isinstance(values, dict) else LDict()
    if block is not None:
        path, node = block
        span = Span(path, *node[1])
        attrs = _from_config(values, node, path, span)
    else:
        span = Span(
            plan.path, address_span.start_line, address_span.start_col, address_span.end_line, address_span.end_col
        )
        attrs = _from_plan(values, span)
    change = changes.get(address)
    after_unknown = None
    if isinstance(change, dict) and isinstance(change.get("change"), dict):
        after_unknown = change["change"].get("after_unknown")
    if isinstance(after_unknown, dict):
        if configured is not None:
            # computed attributes the configuration does not set: identifiers stay symbolic, the rest
            # is the provider's business (an unconfigured inline_policy is not a policy anyone wrote)
            computed = {k: v for k, v in after_unknown.items() if k not in configured and v is True}
            after_unknown = {k: v for k, v in after_unknown.items() if k not in computed}
            for key in computed:
                if _is_identifier(key):
                    here = attrs.key_spans.get(key, span)
                    attrs.set(key, LStr(f"${{{address}.{key}}}", here, ref=(f"{plan.path}::{address}", key)), here)
                else:
                    attrs.pop(key, None)
        _mark_unknown(attrs, after_unknown, span, 0)
    module_path = tuple(part for part in _module_path(module_address).split(".")[1::2] if part)
    index = item.get("index")
    meta: dict[str, Any] = {"tf_type": rtype, "source": "plan", "plan": plan.path}
    if index is not None:
        meta["instance_key"] = index
    return Resource(
        id=f"{plan.path}::{address}",
        address=address,
        type=rtype if kind == "resource" else f"data.{rtype}",
        framework=TERRAFORM,
        span=span,
        attrs=attrs,
        kind=kind,
        scope=plan.path,
        name=name,
        module_path=module_path,
        meta=meta,
    )


def _from_config(values: LDict, node: Any, path: str, block_span: Span) -> LDict:
    """Plan values, each located at its attribute (or nested block) in the configuration."""
    spans: dict[str, Span] = {}
    for entry in node[4]:
        name = entry[2] if entry[0] == "A" else (entry[3][0] if entry[2] == "dynamic" and entry[3] else entry[2])
        spans.setdefault(name, Span(path, *entry[1]))
    attrs = LDict(span=block_span)
    for key, value in values.items():
        span = spans.get(key, block_span)
        attrs.set(key, _restamp(value, span, 0), span)
    return attrs


def _from_plan(values: LDict, resource_span: Span) -> LDict:
    """Plan values located in the plan file: every attribute on its own line there."""
    attrs = LDict(span=resource_span)
    for key, value in values.items():
        span = values.key_spans.get(key) or resource_span
        attrs.set(key, _with_documents(value, span, 0), span)
    return attrs


def _restamp(value: Any, span: Span, depth: int) -> Any:
    """A copy of ``value`` located entirely at ``span``; JSON documents in strings are read too."""
    if depth > 100:
        return value
    if isinstance(value, dict):
        out = LDict(span=span)
        for key, item in value.items():
            out.set(key, _restamp(item, span, depth + 1), span)
        return out
    if isinstance(value, list):
        return LList([_restamp(item, span, depth + 1) for item in value], span, [span] * len(value))
    if isinstance(value, str):
        return _string(value, span)
    return value


def _with_documents(value: Any, span: Span, depth: int) -> Any:
    """``value`` with its own plan spans; strings holding JSON documents become structured too."""
    if depth > 100:
        return value
    if isinstance(value, LDict):
        for key in list(value):
            value[key] = _with_documents(value[key], value.key_spans.get(key) or span, depth + 1)
        return value
    if isinstance(value, LList):
        for index, item in enumerate(value):
            value[index] = _with_documents(item, value.span_of(index) or span, depth + 1)
        return value
    if isinstance(value, str):
        return _string(value, span)
    return value


def _string(text: str, span: Span) -> LStr:
    """A string value; a JSON policy in it is read, every part located at ``span``."""
    doc = None
    stripped = text.lstrip()
    if stripped.startswith("{") and '"' in stripped:
        from iamready.jsonpos import JsonPosError, loads

        try:
            parsed, _ = loads(text, span.path, 1, 1)
        except JsonPosError:
            parsed = None
        if isinstance(parsed, dict):
            doc = _restamp_structure(parsed, span, 0)
    return LStr(text, span, doc=doc)


def _restamp_structure(value: Any, span: Span, depth: int) -> Any:
    if depth > 100:
        return value
    if isinstance(value, LDict):
        out = LDict(span=span)
        for key, item in value.items():
            out.set(key, _restamp_structure(item, span, depth + 1), span)
        return out
    if isinstance(value, list):
        return LList([_restamp_structure(item, span, depth + 1) for item in value], span, [span] * len(value))
    return value


def _mark_unknown(attrs: Any, after_unknown: Any, span: Span, depth: int) -> None:
    """Values the plan marks ``true`` in ``after_unknown`` are only known after apply."""
    if depth > 100:
        return
    if isinstance(after_unknown, dict) and isinstance(attrs, dict):
        for key, flag in after_unknown.items():
            here = attrs.key_spans.get(key, span) if isinstance(attrs, LDict) else span
            if flag is True:
                unknown = Unknown(KNOWN_AFTER_APPLY, here)
                if isinstance(attrs, LDict):
                    attrs.set(key, unknown, here)
                else:
                    attrs[key] = unknown
            elif isinstance(flag, (dict, list)):
                inner = attrs.get(key)
                if inner is None:
                    inner = LDict(span=here) if isinstance(flag, dict) else LList(span=here)
                    if isinstance(attrs, LDict):
                        attrs.set(key, inner, here)
                    else:
                        attrs[key] = inner
                _mark_unknown(inner, flag, here, depth + 1)
    elif isinstance(after_unknown, list) and isinstance(attrs, list):
        for index, flag in enumerate(after_unknown):
            here = attrs.span_of(index) if isinstance(attrs, LList) else span
            here = here or span
            if flag is True:
                if index < len(attrs):
                    attrs[index] = Unknown(KNOWN_AFTER_APPLY, here)
                elif isinstance(attrs, LList):
                    attrs.add(Unknown(KNOWN_AFTER_APPLY, here), here)
            elif isinstance(flag, (dict, list)) and index < len(attrs):
                _mark_unknown(attrs[index], flag, here, depth + 1)


# -- references between resources of the plan ------------------------------------------------
def _resolve_references(
    graph: Graph, resource: Resource, refs: dict[str, list[str]], module_address: str, by_address: dict[str, Resource]
) -> None:
    """Edges for what the configuration refers to; unknown values that are a plain reference become symbolic."""
    prefix = f"{module_address}." if module_address else ""
    for attr, targets in refs.items():
        found: list[tuple[Resource, str]] = []
        for reference in targets:
            target, target_attr = _reference_target(reference, prefix, by_address)
            if target is not None and target is not resource:
                found.append((target, target_attr))
                graph.link(resource, target, "ref", attr)
        value = resource.attrs.get(attr)
        with_attr = [(t, a) for t, a in found if a]
        if isinstance(value, Unknown) and len({t.id for t, _ in with_attr}) == 1:
            target, target_attr = with_attr[0]
            span = resource.attrs.key_spans.get(attr) or resource.span
            resource.attrs.set(
                attr, LStr(f"${{{target.address}.{target_attr}}}", span, ref=(target.id, target_attr)), span
            )


def _reference_target(reference: str, prefix: str, by_address: dict[str, Resource]) -> tuple[Resource | None, str]:
    """``aws_iam_role.app.arn`` -> (the plan's ``aws_iam_role.app``, "arn"), when it is one resource."""
    parts = reference.split(".")
    if not parts or parts[0] in ("var", "local", "each", "count", "path", "terraform", "self", "module"):
        return None, ""
    width = 3 if parts[0] == "data" else 2
    if len(parts) < width:
        return None, ""
    address = prefix + ".".join(parts[:width])
    attr = parts[width] if len(parts) > width else ""
    target = by_address.get(address)
    return target, _INSTANCE_KEY.sub("", attr)
