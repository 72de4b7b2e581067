"""References found while evaluating become graph edges; those to resources not added yet wait
until every resource exists."""

from __future__ import annotations

from iamready.model.graph import Graph, Resource


def link_refs(graph: Graph, node: Resource, refs: dict[str, str]) -> None:
    for target_id, attr in sorted(refs.items()):
        target = graph.get(target_id)
        if target is not None:
            graph.link(node, target, "ref", attr)
        else:
            graph._pending_refs = getattr(graph, "_pending_refs", [])  # resolved after all nodes exist
            graph._pending_refs.append((node.id, target_id, attr))


def resolve_pending_refs(graph: Graph) -> None:
    for src_id, dst_id, attr in getattr(graph, "_pending_refs", []):
        src, dst = graph.get(src_id), graph.get(dst_id)
        if src is not None and dst is not None:
            graph.link(src, dst, "ref", attr)
    graph._pending_refs = []
