"""Graph questions about privilege, answered with networkx: who can reach administrator access,
can one principal reach another and by which steps, and the privilege graph exported for the
tools people load graphs into (GraphML, node-link JSON, DOT).

The privilege graph has one node per user, group and role, and one node for administrator
access. Its edges are the steps of :mod:`iamready.iam.escalation`: assuming a role
(``sts:AssumeRole``, allowed by the caller's policies and the role's trust policy), a method of
the escalation catalogue that lets a principal act as another (pass a role to new compute, take
over compute, create another user's credentials, rewrite a trust policy), and, to administrator
access, being an administrator, a method that writes the caller's own permissions, or a method
whose resource is a wildcard (it reaches principals outside the code too). Conditional steps
(MFA, source network, other conditions) are kept and marked; a path over unconditional steps is
preferred to a conditional one.

networkx is imported here only: ``iamready permissions --admins``, ``--reach`` and ``--export``
load this module; a scan never does.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from iamready.context import Context
    from iamready.iam.escalation import EscalationAnalysis
    from iamready.model.graph import Resource

ADMIN = "administrator access"
ADMIN_WORDS = ("admin", "administrator", ADMIN)  # what --reach accepts as the administrator node
EXPORT_FORMATS = ("graphml", "json", "dot")
KINDS = {
    "aws_iam_user": "user",
    "AWS::IAM::User": "user",
    "aws_iam_group": "group",
    "AWS::IAM::Group": "group",
    "aws_iam_role": "role",
    "AWS::IAM::Role": "role",
}


@dataclass
class Hop:
    """One edge of a path: ``source`` does ``text`` and so becomes (or reaches) ``target``."""

    source: str
    target: str
    step: str  # "sts:AssumeRole", a method id, or "administrator"
    text: str
    conditional: bool
    conditions: list[str] = field(default_factory=list)
    broad: bool = False  # a method on any resource of its kind, outside the code too

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "step": self.step,
            "text": self.text,
            "conditional": self.conditional,
            "conditions": self.conditions,
            "broad": self.broad,
        }


@dataclass
class Reach:
    """A principal's shortest way to a target node (None: it has none)."""

    source: str
    target: str
    hops: list[Hop] | None

    @property
    def reachable(self) -> bool:
        return self.hops is not None

    @property
    def conditional(self) -> bool:
        return any(h.conditional for h in self.hops or ())

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "reachable": self.reachable,
            "conditional": self.conditional,
            "steps": [h.as_dict() for h in self.hops or ()],
        }


def node_names(principals: Iterable[Resource], root: str) -> dict[str, str]:
    """A readable node name per principal: its address, with its file when two share an address
    (two root modules, two templates)."""
    principals = list(principals)
    counts: dict[str, int] = {}
    for p in principals:
        counts[p.address] = counts.get(p.address, 0) + 1
    out = {}
    for p in principals:
        out[p.id] = p.address if counts[p.address] == 1 else f"{p.address} ({_relpath(p.span.path, root)})"
    return out


def privilege_graph(ctx: Context, root: str) -> nx.MultiDiGraph:
    """The privilege graph of every principal in ``ctx.graph`` (see the module docstring)."""
    analysis: EscalationAnalysis = ctx.escalation
    principals = sorted(analysis.principals, key=lambda p: (p.address, p.span.path))
    names = node_names(principals, root)
    graph = nx.MultiDiGraph()
    graph.add_node(ADMIN, kind="administrator", address="", type="", file="", line=0)
    for p in principals:
        graph.add_node(
            names[p.id],
            kind=KINDS.get(p.type, p.type),
            address=p.address,
            type=p.type,
            file=_relpath(p.span.path, root),
            line=p.span.start_line,
        )
    for p in principals:
        source = names[p.id]
        if analysis.is_admin(p, conditional=True):
            conditional = not analysis.is_admin(p)
            guards = [g.summary for grant in analysis.admin_grants(p) for g in grant.guards] if conditional else []
            _edge(graph, source, ADMIN, "administrator", analysis.admin_words(p), conditional, guards, False)
        for step in analysis.steps_from(p):
            to_admin = step.makes_admin or (step.broad and step.method is not None)
            if not to_admin and step.target is None:
                continue
            target = ADMIN if to_admin else names[step.target.id]  # type: ignore[union-attr]
            _edge(graph, source, target, step.label, step.describe(), step.conditional, step.all_guards, step.broad)
    return graph


def _edge(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    step: str,
    text: str,
    conditional: bool,
    guards: list[str],
    broad: bool,
) -> None:
    key = f"{step}: {text}"
    if graph.has_edge(source, target, key):
        return
    graph.add_edge(
        source,
        target,
        key=key,
        step=step,
        text=text,
        conditional=conditional,
        conditions="; ".join(dict.fromkeys(guards)),
        broad=broad,  # on any resource of its kind: principals outside the code too
    )


def _unconditional(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return nx.subgraph_view(graph, filter_edge=lambda u, v, k: not graph.edges[u, v, k]["conditional"])


def _hops(graph: nx.MultiDiGraph, nodes: list[str], unconditional_only: bool) -> list[Hop]:
    hops = []
    for source, target in itertools.pairwise(nodes):
        edges = sorted(graph[source][target].items(), key=lambda kv: (kv[1]["conditional"], kv[0]))
        if unconditional_only:
            edges = [kv for kv in edges if not kv[1]["conditional"]]
        _, data = edges[0]
        conditions = [c for c in data["conditions"].split("; ") if c] if data["conditions"] else []
        hops.append(Hop(source, target, data["step"], data["text"], data["conditional"], conditions, data["broad"]))
    return hops


def shortest(graph: nx.MultiDiGraph, source: str, target: str) -> Reach:
    """The shortest way from ``source`` to ``target``: over unconditional steps when there is one,
    else over any step."""
    for unconditional_only in (True, False):
        view = _unconditional(graph) if unconditional_only else graph
        try:
            nodes = nx.shortest_path(view, source, target)
        except nx.NetworkXNoPath:
            continue
        return Reach(source, target, _hops(graph, nodes, unconditional_only))
    return Reach(source, target, None)


def who_can_reach(graph: nx.MultiDiGraph, target: str = ADMIN) -> list[Reach]:
    """Every principal that can reach ``target``, each by its shortest way (unconditional first),
    in the order: unconditional before conditional, fewer steps first, then by name."""
    found: dict[str, Reach] = {}
    for unconditional_only in (True, False):
        view = _unconditional(graph) if unconditional_only else graph
        for source, nodes in nx.single_target_shortest_path(view, target).items():
            if source == target or source in found:
                continue
            found[source] = Reach(source, target, _hops(graph, nodes, unconditional_only))
    return sorted(found.values(), key=lambda r: (r.conditional, len(r.hops or ()), r.source))


def resolve(graph: nx.MultiDiGraph, pattern: str) -> list[str]:
    """The nodes a ``--reach`` argument names: ``admin``, a node name, or an address (glob)."""
    import fnmatch

    if pattern.lower() in ADMIN_WORDS:
        return [ADMIN]
    if pattern in graph and pattern != ADMIN:
        return [pattern]
    return [
        n
        for n, data in graph.nodes(data=True)
        if n != ADMIN and (fnmatch.fnmatchcase(data["address"], pattern) or fnmatch.fnmatchcase(n, pattern))
    ]


# -- output -----------------------------------------------------------------------------------
def reach_text(reaches: list[Reach], graph: nx.MultiDiGraph, heading: str) -> str:
    lines = [heading]
    for reach in reaches:
        lines.append(_reach_line(reach, graph))
        if not lines[-1].endswith(":"):
            continue  # an administrator itself, or no way there
        for index, hop in enumerate(reach.hops or (), start=1):
            actor = "" if hop.source == reach.source else f"as {hop.source}, "
            if hop.step == "administrator":
                what = f"{hop.source} is {hop.text}"
            elif hop.target == ADMIN and hop.broad:
                what = f"{actor}{hop.text}: it reaches principals outside the code, counted as administrator access"
            elif hop.target == ADMIN:
                what = f"{actor}{hop.text}, which gives administrator access"
            else:
                what = f"{actor}{hop.text}"
            cond = f" (conditional: {'; '.join(hop.conditions)})" if hop.conditional and hop.conditions else ""
            cond = cond or (" (conditional)" if hop.conditional else "")
            lines.append(f"    {index}. {what}{cond}")
    return "\n".join(lines) + "\n"


def _reach_line(reach: Reach, graph: nx.MultiDiGraph) -> str:
    data = graph.nodes[reach.source]
    where = f" ({data['file']}:{data['line']})" if data.get("file") else ""
    target = "administrator access" if reach.target == ADMIN else reach.target
    if not reach.reachable:
        return (
            f"  {reach.source}{where} cannot reach {target}: no chain of role assumptions and escalation "
            "steps in the code leads there"
        )
    count = len(reach.hops or ())
    if count == 1 and reach.hops and reach.hops[0].step == "administrator" and not reach.conditional:
        return f"  {reach.source}{where} is {reach.hops[0].text}"
    steps = f"{count} step" if count == 1 else f"{count} steps"
    kind = ", only under conditions" if reach.conditional else ""
    return f"  {reach.source}{where} reaches {target} in {steps}{kind}:"


def export(graph: nx.MultiDiGraph, fmt: str) -> str:
    """The privilege graph as GraphML, node-link JSON (networkx's layout) or Graphviz DOT."""
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n"
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="links"), indent=2, sort_keys=True) + "\n"
    if fmt == "dot":
        return _dot(graph)
    raise ValueError(f"unknown export format {fmt!r}")


def _dot(graph: nx.MultiDiGraph) -> str:
    lines = ["digraph privileges {", "  rankdir=LR;", "  node [shape=box];"]
    for node, data in graph.nodes(data=True):
        shape = (
            "doubleoctagon"
            if node == ADMIN
            else {"user": "box", "group": "folder", "role": "ellipse"}.get(data["kind"], "box")
        )
        lines.append(f"  {_q(node)} [shape={shape}, label={_q(node)}];")
    for source, target, data in graph.edges(data=True):
        style = ", style=dashed" if data["conditional"] else ""
        lines.append(f"  {_q(source)} -> {_q(target)} [label={_q(data['step'])}, tooltip={_q(data['text'])}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _q(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _relpath(path: str, root: str) -> str:
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return path.replace(os.sep, "/")
    return (path if rel.startswith("..") else rel).replace(os.sep, "/")


def query(
    config: Any,
    fmt: str,
    admins: bool = False,
    reach: tuple[str, str] | None = None,
    export_format: str | None = None,
) -> Any:
    """``iamready permissions --admins | --reach FROM TO | --export FORMAT``: an Outcome."""
    import time

    from iamready.permissions.run import Outcome, PermissionsError, load

    ctx, notes, timings = load(config)
    outcome = Outcome("", list(notes), dict(timings))
    t0 = time.perf_counter()
    if ctx is None:
        graph = nx.MultiDiGraph()
        graph.add_node(ADMIN, kind="administrator", address="", type="", file="", line=0)
    else:
        graph = privilege_graph(ctx, config.cwd)
    outcome.principals = graph.number_of_nodes() - 1
    outcome.timings["graph"] = time.perf_counter() - t0
    if export_format is not None:
        outcome.text = export(graph, export_format)
        return outcome
    if reach is not None:
        sources, targets = resolve(graph, reach[0]), resolve(graph, reach[1])
        for arg, nodes in ((reach[0], sources), (reach[1], targets)):
            if not nodes:
                raise PermissionsError(f"--reach: no user, group or role matches {arg!r}")
        answers = [shortest(graph, s, t) for s in sources for t in targets if s != t]
        heading = f"Can {reach[0]} reach {reach[1]}?"
    else:
        answers = who_can_reach(graph)
        heading = f"Who can reach administrator access ({len(answers)} of {outcome.principals} principals):"
    if fmt == "json":
        outcome.text = json.dumps({"paths": [a.as_dict() for a in answers]}, indent=2) + "\n"
    else:
        outcome.text = reach_text(answers, graph, heading)
    return outcome
