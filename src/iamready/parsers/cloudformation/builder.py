"""Add one template's parameters, resources and outputs to the graph (see the package docstring)."""

from __future__ import annotations

from typing import Any

from iamready.model.graph import CLOUDFORMATION, Graph, Resource
from iamready.model.notes import PARSE_ERROR, UNRESOLVED, Notification
from iamready.model.span import Span
from iamready.model.value import Choice, LDict, Unknown, plain
from iamready.parsers.cloudformation import sam as sam_transform
from iamready.parsers.cloudformation.intrinsics import NOVALUE, Resolver
from iamready.parsers.cloudformation.loader import ConditionState, Template

_POLICY_ATTRIBUTES = ("DeletionPolicy", "UpdateReplacePolicy", "CreationPolicy")  # kept in meta when written


def build_template(template: Template, graph: Graph, params: dict[str, Any]) -> None:
    path = template.path
    body = template.body
    notes = graph.notifications
    if template.comments:
        graph.comments[path] = list(template.comments)
    resources = body.get("Resources")
    if not isinstance(resources, LDict):
        notes.append(
            Notification(
                PARSE_ERROR,
                "template has no Resources section (CloudFormation requires one)",
                body.key_spans.get("Resources") or body.span or Span(path, 1),
                "warning",
            )
        )
        resources = LDict(span=body.span)
    transforms = body.get("Transform")
    macros = [
        str(t)
        for t in (transforms if isinstance(transforms, list) else [transforms])
        if isinstance(t, str) and t not in ("AWS::Serverless-2016-10-31", "AWS::LanguageExtensions")
    ]
    if macros:
        graph.macro_transforms[path] = macros
    origin: dict[str, str] = {}
    templates: dict[str, dict[int, tuple[str, tuple[int, ...]]]] = {}
    if sam_transform.is_sam(body) or _sam_without_transform(body, resources, path, notes):
        expanded = sam_transform.expand(body, resources, path, notes)
        resources, origin, templates = expanded.resources, expanded.origin, expanded.templates
    decls: dict[str, LDict] = {}
    for logical_id, decl in resources.items():
        span = resources.key_spans.get(logical_id) or Span(path, 1)
        if str(logical_id).startswith("Fn::ForEach::"):
            notes.append(
                Notification(
                    UNRESOLVED,
                    f"{logical_id}: Fn::ForEach (AWS::LanguageExtensions) is not expanded by iamready; "
                    "the resources it creates are not scanned",
                    span,
                    "warning",
                )
            )
            continue
        if not isinstance(decl, LDict) or not isinstance(decl.get("Type"), str):
            notes.append(
                Notification(
                    PARSE_ERROR, f"resource {logical_id} has no Type; CloudFormation rejects it", span, "error"
                )
            )
            continue
        decls[str(logical_id)] = decl
    ids = {logical_id: f"{path}::{logical_id}" for logical_id in decls}
    resolver = Resolver(path, body, decls, ids, params, notes)
    _record_conditions(graph, path, resolver)

    _parameter_nodes(graph, path, resolver)
    nodes: dict[str, Resource] = {}
    for logical_id, decl in decls.items():
        condition = decl.get("Condition")
        condition_value = resolver.condition(str(condition), decl.key_spans.get("Condition")) if condition else None
        if condition and condition_value is False:
            continue  # not created with these parameter values
        meta: dict[str, Any] = {key: decl.get(key) for key in ("Condition", "Metadata", "DependsOn")}
        for key in _POLICY_ATTRIBUTES:
            if key in decl:
                meta[key] = decl[key]
        if condition:
            meta["ConditionValue"] = condition_value
        if logical_id in origin:
            meta["SamSource"] = origin[logical_id]
        if logical_id in templates:
            meta["SamPolicyTemplates"] = templates[logical_id]  # Policies position -> SAM template, fixed statements
        nodes[logical_id] = graph.add(
            Resource(
                id=ids[logical_id],
                address=logical_id,
                type=str(decl["Type"]),
                framework=CLOUDFORMATION,
                span=resources.key_spans.get(logical_id) or Span(path, 1),
                attrs=LDict(span=decl.span),
                kind="resource",
                scope=path,
                name=logical_id,
                meta=meta,
            )
        )
    edges: list[tuple[Resource, str, str]] = []
    for logical_id, node in nodes.items():
        decl = decls[logical_id]
        refs: dict[str, list[str]] = {}
        resolver.refs = refs
        props = decl.get("Properties")
        props_span = decl.key_spans.get("Properties") or node.span
        if props is not None:
            value = resolver.resolve(props, props_span)
            node.attrs = _as_attrs(value, props_span, logical_id, notes)
        depends = decl.get("DependsOn")
        for target in depends if isinstance(depends, list) else [depends]:
            if isinstance(target, str) and target in ids:
                refs.setdefault(ids[target], []).append("DependsOn")
        resolver.refs = None
        edges.extend((node, target, attr) for target, attrs in refs.items() for attr in attrs)
    edges.extend(_output_nodes(graph, path, body.get("Outputs"), resolver))
    for source, target_id, attr in edges:
        target = graph.get(target_id)
        if target is not None:
            graph.link(source, target, "ref", attr or None)


def _sam_without_transform(body: LDict, resources: LDict, path: str, notes: list[Notification]) -> bool:
    """SAM resources in a template without ``Transform: AWS::Serverless-2016-10-31``: CloudFormation rejects
    the template (it knows no ``AWS::Serverless::`` type), so this is said once, at the first of them, with
    the fix. True when there are some: they are then expanded as SAM would, and checked like the rest."""
    sam = [
        (str(logical_id), decl)
        for logical_id, decl in resources.items()
        if isinstance(decl, LDict) and str(decl.get("Type") or "").startswith("AWS::Serverless::")
    ]
    if not sam:
        return False
    logical_id, decl = sam[0]
    rtype = decl["Type"]
    span = getattr(rtype, "span", None) or decl.key_spans.get("Type") or resources.key_spans.get(logical_id)
    others = f" (and {len(sam) - 1} more SAM resource(s))" if len(sam) > 1 else ""
    transform = body.get("Transform")
    written = f"declares Transform {plain(transform)!r}" if transform is not None else "declares no Transform"
    notes.append(
        Notification(
            PARSE_ERROR,
            f"{logical_id}: {rtype} is a SAM type{others}, but the template {written}, so CloudFormation "
            f"rejects it; add `Transform: {sam_transform.SAM_TRANSFORM}` at the top level "
            "(iamready checked the SAM resources as that transform expands them)",
            span or Span(path, 1),
            "error",
        )
    )
    return True


def _as_attrs(value: Any, span: Span, logical_id: str, notes: list[Notification]) -> LDict:
    if isinstance(value, LDict):
        return value
    attrs = LDict(span=span)
    if value is NOVALUE:
        return attrs
    if isinstance(value, (Unknown, Choice)):
        reason = value.reason if isinstance(value, Unknown) else f"they depend on condition {value.condition}"
        notes.append(
            Notification(UNRESOLVED, f"{logical_id}: the Properties could not be resolved ({reason})", span, "note")
        )
        return attrs
    notes.append(Notification(PARSE_ERROR, f"{logical_id}: Properties must be a mapping", span, "error"))
    return attrs


def _record_conditions(graph: Graph, path: str, resolver: Resolver) -> None:
    states: dict[str, ConditionState] = {}
    for name in resolver.conditions:
        span = resolver.conditions.key_spans.get(name)
        states[str(name)] = ConditionState(
            str(name), resolver.condition(str(name), span), resolver.condition(str(name), span, "defaults")
        )
    if not hasattr(graph, "cfn_conditions"):
        graph.cfn_conditions = {}  # type: ignore[attr-defined]
    graph.cfn_conditions[path] = states  # type: ignore[attr-defined]


def _parameter_nodes(graph: Graph, path: str, resolver: Resolver) -> None:
    for name, decl in resolver.parameters.items():
        span = resolver.parameters.key_spans.get(name) or Span(path, 1)
        attrs = decl if isinstance(decl, LDict) else LDict(span=span)
        graph.add(
            Resource(
                id=f"{path}::Parameters.{name}",
                address=f"Parameters.{name}",
                type="parameter",
                framework=CLOUDFORMATION,
                span=span,
                attrs=attrs,
                kind="parameter",
                scope=path,
                name=str(name),
                meta={"Supplied": name in resolver.supplied},
            )
        )


def _output_nodes(graph: Graph, path: str, outputs: Any, resolver: Resolver) -> list[tuple[Resource, str, str]]:
    if not isinstance(outputs, LDict):
        return []
    body_outputs = outputs
    edges: list[tuple[Resource, str, str]] = []
    for name, decl in body_outputs.items():
        span = body_outputs.key_spans.get(name) or Span(path, 1)
        refs: dict[str, list[str]] = {}
        resolver.refs = refs
        value = resolver.resolve(decl, span)
        resolver.refs = None
        attrs = value if isinstance(value, LDict) else LDict(span=span)
        node = graph.add(
            Resource(
                id=f"{path}::Outputs.{name}",
                address=f"Outputs.{name}",
                type="output",
                framework=CLOUDFORMATION,
                span=span,
                attrs=attrs,
                kind="output",
                scope=path,
                name=str(name),
                meta={"Condition": decl.get("Condition") if isinstance(decl, dict) else None},
            )
        )
        edges.extend((node, target, attr) for target, attrs_ in refs.items() for attr in attrs_)
    return edges
