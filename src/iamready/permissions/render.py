"""Renderers for the permission review: text table, JSON, Markdown, Mermaid and Graphviz DOT.

They compute nothing: the inventory (and the comparison) are built before. Output is
deterministic: principals by address, rows by service and access level, then by source line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from iamready.iam.catalog import ACCESS_LEVELS
from iamready.permissions.compare import grouped
from iamready.permissions.inventory import ALL_SERVICES

if TYPE_CHECKING:
    from iamready.iam.catalog import Catalog
    from iamready.permissions.compare import PrincipalDiff
    from iamready.permissions.inventory import Inventory, PrincipalInventory, Row

FORMATS = ("text", "json", "markdown", "mermaid", "dot")
MAX_ACTIONS = 5  # action names shown in a table cell before "+N more"
SHORT_LEVELS = {
    "List": "List",
    "Read": "Read",
    "Write": "Write",
    "Permissions management": "Permissions mgmt",
    "Tagging": "Tagging",
}


# -- cells ---------------------------------------------------------------------------------
def actions_cell(row: Row, catalog: Catalog, limit: int = MAX_ACTIONS) -> str:
    if row.service == ALL_SERVICES:
        return "* (every action of every service)"
    if row.actions is None:
        return f"all {len(row.action_names(catalog))}"
    names = list(row.actions)
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" +{len(names) - limit} more"


def _names(names: list[str], limit: int = MAX_ACTIONS) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" +{len(names) - limit} more"


def source_cell(row: Row) -> str:
    return f"{row.source.via}, {row.source.statement} ({row.source.location})"


def condition_cell(row: Row) -> str:
    return "; ".join((*row.conditions, *row.notes))


def summary_text(item: PrincipalInventory, catalog: Catalog) -> str:
    counts = item.summary(catalog)
    return " · ".join(f"{level} {counts[level]}" for level in ACCESS_LEVELS)


def _table(headers: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [len(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row[:-1]):
            widths[index] = max(widths[index], len(cell))
    out = []
    for line in [headers, *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(line[:-1])] + [line[-1]]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


# -- text ----------------------------------------------------------------------------------
def render_text(inventory: Inventory, catalog: Catalog) -> str:
    if not inventory.principals:
        return "No IAM users, groups or roles found.\n"
    lines: list[str] = []
    for item in inventory.principals:
        lines.extend(_principal_text(item, catalog))
        lines.append("")
    admins = sum(1 for p in inventory.principals if p.admin == "admin")
    escalating = sum(1 for p in inventory.principals if p.escalations)
    lines.append(
        f"{len(inventory.principals)} principal(s): {admins} administrator(s), "
        f"{escalating} that can escalate to administrator"
    )
    return "\n".join(lines) + "\n"


def _principal_text(item: PrincipalInventory, catalog: Catalog) -> list[str]:
    head = f"{item.address} ({item.kind}, {item.path}:{item.line})"
    if item.admin:
        head += f"  [{item.admin}]"
    lines = [head]
    facts = []
    if item.groups:
        facts.append("groups: " + ", ".join(item.groups))
    if item.members:
        facts.append("members: " + ", ".join(item.members))
    if item.boundaries:
        facts.append("boundary: " + ", ".join(item.boundaries))
    if item.can_assume:
        facts.append("can assume: " + ", ".join(item.can_assume))
    if facts:
        lines.append("  " + " · ".join(facts))
    lines.append("  " + summary_text(item, catalog))
    for escalation in item.escalations:
        lines.append(f"  ! escalation: {escalation['text']}")
    for policy, reason, path, line in item.unknown:
        lines.append(f"  ? {policy} could not be read ({reason}) ({path}:{line})")
    if not item.rows:
        lines.append("  (no permissions)")
        return lines
    table = [
        [
            row.service,
            "all levels" if row.level == "*" else SHORT_LEVELS.get(row.level, row.level),
            actions_cell(row, catalog),
            ", ".join(row.resources),
            condition_cell(row) or "-",
            source_cell(row),
        ]
        for row in item.rows
    ]
    lines.extend(_table(["SERVICE", "ACCESS LEVEL", "ACTIONS", "RESOURCES", "CONDITIONS", "SOURCE"], table))
    return lines


# -- json ----------------------------------------------------------------------------------
def inventory_data(inventory: Inventory, catalog: Catalog) -> dict[str, Any]:
    return {
        "version": 1,
        "catalog": inventory.catalog_version,
        "principals": [_principal_data(item, catalog) for item in inventory.principals],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "kind": e.kind,
                "label": e.label,
                "conditional": e.conditional,
                "outside_code": e.outside,
            }
            for e in inventory.edges
        ],
    }


def _principal_data(item: PrincipalInventory, catalog: Catalog) -> dict[str, Any]:
    return {
        "address": item.address,
        "kind": item.kind,
        "location": {"path": item.path, "line": item.line},
        "groups": item.groups,
        "members": item.members,
        "boundaries": item.boundaries,
        "admin": item.admin,
        "can_assume": item.can_assume,
        "summary": item.summary(catalog),
        "grants": [
            {
                "service": row.service,
                "access_level": row.level,
                "actions": list(row.actions) if row.actions is not None else "*",
                "action_count": len(row.action_names(catalog)) if row.service != ALL_SERVICES else None,
                "resources": list(row.resources),
                "conditional": row.conditional,
                "conditions": list(row.conditions),
                "notes": list(row.notes),
                "source": {
                    "policy": row.source.policy,
                    "via": row.source.via,
                    "statement": row.source.statement,
                    "path": row.source.path,
                    "line": row.source.line,
                },
            }
            for row in item.rows
        ],
        "unreadable_policies": [
            {"policy": policy, "reason": reason, "path": path, "line": line}
            for policy, reason, path, line in item.unknown
        ],
        "escalations": item.escalations,
    }


def render_json(inventory: Inventory, catalog: Catalog) -> str:
    return json.dumps(inventory_data(inventory, catalog), indent=2) + "\n"


# -- markdown ------------------------------------------------------------------------------
def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def render_markdown(inventory: Inventory, catalog: Catalog) -> str:
    lines = ["## iamready: who can do what", ""]
    if not inventory.principals:
        return "\n".join([*lines, "No IAM users, groups or roles found.", ""])
    lines.append("| principal | kind | " + " | ".join(ACCESS_LEVELS) + " | |")
    lines.append("|---|---|" + "---:|" * len(ACCESS_LEVELS) + "---|")
    for item in inventory.principals:
        counts = item.summary(catalog)
        flags = []
        if item.admin:
            flags.append(f"**{item.admin}**")
        if item.escalations:
            flags.append(f"⚠️ can escalate ({len(item.escalations)})")
        lines.append(
            f"| `{_md(item.address)}` | {item.kind} | "
            + " | ".join(str(counts[level]) for level in ACCESS_LEVELS)
            + f" | {', '.join(flags)} |"
        )
    lines.append("")
    for item in inventory.principals:
        where = f"{item.kind}, {item.path}:{item.line}"
        lines.append(f"<details><summary><code>{_md(item.address)}</code> ({where})</summary>")
        lines.append("")
        for escalation in item.escalations:
            lines.append(f"- ⚠️ {_md(escalation['text'])}")
        for policy, reason, path, line in item.unknown:
            lines.append(f"- ❔ `{_md(policy)}` could not be read ({_md(reason)}), {path}:{line}")
        if item.escalations or item.unknown:
            lines.append("")
        if item.rows:
            lines.append("| service | access level | actions | resources | conditions | source |")
            lines.append("|---|---|---|---|---|---|")
            for row in item.rows:
                level = "all" if row.level == "*" else row.level
                lines.append(
                    f"| {_md(row.service)} | {level} | {_md(actions_cell(row, catalog))} | "
                    f"{_md(', '.join(row.resources))} | {_md(condition_cell(row))} | {_md(source_cell(row))} |"
                )
        else:
            lines.append("No permissions.")
        lines.append("")
        lines.append("</details>")
        lines.append("")
    return "\n".join(lines)


# -- pictures ------------------------------------------------------------------------------
def _graph_nodes(inventory: Inventory) -> tuple[dict[str, str], dict[str, str]]:
    """Node ids for principals and for the "outside the code" targets of broad steps."""
    ids = {item.address: f"p{index}" for index, item in enumerate(inventory.principals)}
    outside: dict[str, str] = {}
    for edge in inventory.edges:
        if edge.outside and edge.target not in outside:
            outside[edge.target] = f"x{len(outside)}"
    return ids, outside


def _admin_suffix(item: PrincipalInventory) -> str:
    if not item.admin:
        return ""
    return " · " + item.admin.replace("admin", "administrator", 1)


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


MERMAID_MAX_CHARS = 50_000  # Mermaid's default maxTextSize, which GitHub uses
MERMAID_MAX_EDGES = 500  # Mermaid's default maxEdges
FAN_OUT = 5  # one principal with the same step to this many principals of the code: one arrow to a group


@dataclass
class _Arrow:
    """One drawn edge: parallel edges merged, a fan-out to many principals drawn to one group node."""

    src: str
    dst: str
    kind: str
    labels: list[str]
    conditional: bool
    added: bool
    rank: int  # what to draw first when not everything fits (lower first)
    index: int  # drawing order: the first edge it stands for

    def line(self) -> str:
        if self.kind == "member":
            return f"  {self.src} -.-> {self.dst}"
        labels = list(dict.fromkeys(self.labels))
        text = labels[0] if len(labels) == 1 else f"{len(labels)} ways: " + ", ".join(labels[:3])
        if len(labels) > 3:
            text += f", +{len(labels) - 3} more"
        label = _mermaid_text(text + (" (conditional)" if self.conditional else ""))
        if self.kind == "assume":
            return f'  {self.src} -- "{label}" --> {self.dst}'
        return f'  {self.src} == "{label}" ==> {self.dst}'


def render_mermaid(
    inventory: Inventory,
    catalog: Catalog,
    added: set[tuple[str, str, str]] | None = None,
    max_chars: int | None = None,
    max_edges: int | None = None,
) -> str:
    """A Mermaid flowchart: principals (users as rectangles, groups as subroutines, roles as
    rounded boxes), membership (dotted), sts:AssumeRole (arrows) and escalation steps (thick),
    administrators in red, principals that can escalate in orange.

    Parallel edges are merged into one arrow that names its steps, one "any Lambda function outside
    this code" node stands for every such target, and a principal with the same step to
    ``FAN_OUT`` or more principals gets one arrow to a node that counts them. A picture beyond
    Mermaid's limits (50,000 characters, 500 edges: GitHub renders nothing past them) draws the
    principals that can escalate and their paths first, then as much of the rest as fits, and a
    node that says how many principals and edges are not drawn."""
    max_chars = max_chars or MERMAID_MAX_CHARS
    max_edges = max_edges or MERMAID_MAX_EDGES
    ids, outside = _graph_nodes(inventory)
    by_address = inventory.by_address()
    escalating = {p.address for p in inventory.principals if p.escalations and not p.admin}
    admins = {p.address for p in inventory.principals if p.admin}
    labels: dict[str, str] = {}
    for item in inventory.principals:
        labels[ids[item.address]] = _node(item)
    for target, node in outside.items():
        labels[node] = f'  {node}{{{{"{_mermaid_text(target)}<br/>outside this code"}}}}'
    arrows = _arrows(inventory, ids, outside, labels, by_address, escalating, admins, added)
    everything = _mermaid(labels, list(labels), arrows, inventory, ids, outside, "")
    if len(arrows) <= max_edges and _chars(everything) <= max_chars:
        return everything
    # not everything fits: the principals that can escalate and their paths first
    must = [ids[a] for a in sorted(escalating)]
    nodes: list[str] = list(must)
    drawn: list[_Arrow] = []
    reserve = 400  # the "not drawn" node and its class line
    used = _chars(_mermaid(labels, nodes, [], inventory, ids, outside, "")) + reserve
    for arrow in sorted(arrows, key=lambda a: (a.rank, a.index)):
        if len(drawn) >= max_edges:
            break
        new_nodes = [n for n in dict.fromkeys((arrow.src, arrow.dst)) if n not in nodes]
        # a node's line and its id in a class line; an arrow's line and perhaps its linkStyle line
        cost = sum(_chars(_node_line(labels, inventory, n)) + len(n) + 2 for n in new_nodes)
        cost += _chars(arrow.line()) + 1 + (45 if arrow.added else 0)
        if used + cost > max_chars:
            continue
        used += cost
        nodes.extend(new_nodes)
        drawn.append(arrow)
    principals_left = len(inventory.principals) - sum(1 for n in nodes if n.startswith("p"))
    more = (
        f"{principals_left} more principal(s) and {len(arrows) - len(drawn)} more edge(s) not drawn: "
        f"Mermaid draws at most {max_edges} edges and {max_chars:,} characters; "
        "see iamready permissions --format text (or --format dot)"
    )
    text = _mermaid(labels, nodes, drawn, inventory, ids, outside, more)
    while _chars(text) > max_chars and drawn:  # the estimate of the class lines was short: drop the last
        drawn.pop()
        text = _mermaid(labels, nodes, drawn, inventory, ids, outside, more)
    return text


def _chars(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # JavaScript's string length, which Mermaid measures


def _node(item: PrincipalInventory) -> str:
    return f"{_mermaid_text(item.address)}<br/>{item.kind}" + _admin_suffix(item)


def _arrows(
    inventory: Inventory,
    ids: dict[str, str],
    outside: dict[str, str],
    labels: dict[str, str],
    by_address: dict[str, PrincipalInventory],
    escalating: set[str],
    admins: set[str],
    added: set[tuple[str, str, str]] | None,
) -> list[_Arrow]:
    merged: dict[tuple[str, str, str], _Arrow] = {}
    fan: dict[tuple[str, str, str], list[str]] = {}
    for edge in inventory.edges:
        src = ids.get(edge.source)
        dst = outside.get(edge.target) if edge.outside else ids.get(edge.target)
        if src is None or dst is None:
            continue
        if edge.kind == "escalation" and not edge.outside:
            fan.setdefault((edge.source, edge.label, str(edge.conditional)), []).append(edge.target)
    grouped: dict[tuple[str, str, str], str] = {}  # (source, label, conditional) -> group node
    groups: dict[frozenset[str], str] = {}
    for key, targets in sorted(fan.items()):
        if len(set(targets)) < FAN_OUT:
            continue
        members = frozenset(targets)
        if members not in groups:
            node = f"g{len(groups)}"
            groups[members] = node
            kinds = {by_address[t].kind for t in members if t in by_address}
            what = f"{next(iter(kinds))}s" if len(kinds) == 1 else "principals"
            labels[node] = f'  {node}[/"{len(members)} {what} in this code"/]'
        grouped[key] = groups[members]
    for edge in inventory.edges:
        src = ids.get(edge.source)
        dst = outside.get(edge.target) if edge.outside else ids.get(edge.target)
        if src is None or dst is None:
            continue
        if edge.kind == "escalation" and not edge.outside:
            dst = grouped.get((edge.source, edge.label, str(edge.conditional)), dst)
        key = (src, dst, edge.kind)
        is_added = added is not None and (edge.source, edge.target, edge.label) in added
        arrow = merged.get(key)
        if arrow is None:
            rank = _rank(edge, escalating, admins)
            merged[key] = _Arrow(src, dst, edge.kind, [edge.label], edge.conditional, is_added, rank, len(merged))
        else:
            arrow.labels.append(edge.label)
            arrow.conditional = arrow.conditional and edge.conditional
            arrow.added = arrow.added or is_added
            arrow.rank = min(arrow.rank, _rank(edge, escalating, admins))
    return list(merged.values())


def _rank(edge: Any, escalating: set[str], admins: set[str]) -> int:
    """Drawing order when not everything fits: escalation paths of principals that can escalate,
    the trust and membership that lead to them, other trust, other membership, and last the
    steps of administrators (who can already do everything)."""
    if edge.kind == "escalation" and edge.source in escalating:
        return 0
    if edge.kind in ("assume", "member") and (edge.source in escalating or edge.target in escalating):
        return 1
    if edge.kind == "assume":
        return 2
    if edge.kind == "member":
        return 3
    return 4 if edge.source in admins else 2


def _node_line(labels: dict[str, str], inventory: Inventory, node: str) -> str:
    if not node.startswith("p"):
        return labels[node]
    item = inventory.principals[int(node[1:])]
    label = labels[node]
    if item.kind == "group":
        return f'  {node}[["{label}"]]'
    if item.kind == "role":
        return f'  {node}("{label}")'
    return f'  {node}["{label}"]'


def _mermaid(
    labels: dict[str, str],
    nodes: list[str],
    arrows: list[_Arrow],
    inventory: Inventory,
    ids: dict[str, str],
    outside: dict[str, str],
    more: str,
) -> str:
    shown = set(nodes)
    lines = ["flowchart LR"]
    order = {node: index for index, node in enumerate(labels)}
    for node in sorted(shown, key=lambda n: order.get(n, len(order))):
        lines.append(_node_line(labels, inventory, node))
    if more:
        lines.append(f'  more{{{{"{_mermaid_text(more)}"}}}}')
    drawn = sorted(arrows, key=lambda a: a.index)
    link_styles = [(index, "stroke:#2f9e44,stroke-width:3px") for index, a in enumerate(drawn) if a.added]
    lines.extend(a.line() for a in drawn)
    lines.append("  classDef admin fill:#ffe3e3,stroke:#c92a2a,stroke-width:2px")
    lines.append("  classDef escalates fill:#fff4e6,stroke:#e8590c,stroke-width:2px")
    lines.append("  classDef outside fill:#f1f3f5,stroke:#868e96,stroke-dasharray:4 3")
    admins = [ids[p.address] for p in inventory.principals if p.admin and ids[p.address] in shown]
    escalating = [
        ids[p.address] for p in inventory.principals if p.escalations and not p.admin and ids[p.address] in shown
    ]
    grey = [n for n in [*outside.values(), *(n for n in labels if n.startswith("g"))] if n in shown]
    if more:
        grey.append("more")
    if admins:
        lines.append(f"  class {','.join(admins)} admin")
    if escalating:
        lines.append(f"  class {','.join(escalating)} escalates")
    if grey:
        lines.append(f"  class {','.join(grey)} outside")
    for position, style in link_styles:
        lines.append(f"  linkStyle {position} {style}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def render_dot(inventory: Inventory, catalog: Catalog, added: set[tuple[str, str, str]] | None = None) -> str:
    """The same graph for Graphviz (``dot -Tsvg``)."""
    ids, outside = _graph_nodes(inventory)
    lines = [
        "digraph iamready {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for item in inventory.principals:
        label = f"{_dot_text(item.address)}\\n{item.kind}" + _admin_suffix(item)
        attrs = [f'label="{label}"']
        attrs.append({"group": "shape=folder", "role": "shape=box", "user": "shape=box, style=filled"}[item.kind])
        if item.admin:
            attrs.append('fillcolor="#ffe3e3", color="#c92a2a", penwidth=2')
        elif item.escalations:
            attrs.append('fillcolor="#fff4e6", color="#e8590c", penwidth=2')
        lines.append(f"  {ids[item.address]} [{', '.join(attrs)}];")
    for target, node in outside.items():
        label = f"{_dot_text(target)}\\noutside this code"
        lines.append(f'  {node} [label="{label}", shape=hexagon, style="dashed,filled", fillcolor="#f1f3f5"];')
    for edge in inventory.edges:
        src = ids.get(edge.source)
        dst = outside.get(edge.target) if edge.outside else ids.get(edge.target)
        if src is None or dst is None:
            continue
        label = _dot_text(edge.label + (" (conditional)" if edge.conditional else ""))
        if edge.kind == "member":
            attrs = 'style=dashed, label="member"'
        elif edge.kind == "assume":
            attrs = f'label="{label}"'
        else:
            attrs = f'label="{label}", color="#e8590c", penwidth=2'
        if edge.conditional:
            attrs += ", style=dotted"
        if added is not None and (edge.source, edge.target, edge.label) in added:
            attrs += ', color="#2f9e44", penwidth=3'
        lines.append(f"  {src} -> {dst} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(fmt: str, inventory: Inventory, catalog: Catalog) -> str:
    return {
        "text": render_text,
        "json": render_json,
        "markdown": render_markdown,
        "mermaid": render_mermaid,
        "dot": render_dot,
    }[fmt](inventory, catalog)


# -- comparison ----------------------------------------------------------------------------
def diff_data(diffs: list[PrincipalDiff]) -> dict[str, Any]:
    def atoms(items: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "access_level": level,
                "service": service,
                "resource": resource,
                "conditional": conditional,
                "actions": names,
            }
            for level, service, resource, conditional, names in grouped(items)
        ]

    return {
        "version": 1,
        "principals": [
            {
                "address": d.address,
                "kind": d.kind,
                "status": d.status,
                "location": {"path": d.path, "line": d.line},
                "admin": {"before": d.admin_before, "after": d.admin_after},
                "added": atoms(d.added),
                "removed": atoms(d.removed),
                "escalations_added": d.escalations_added,
                "escalations_removed": d.escalations_removed,
            }
            for d in diffs
        ],
    }


def _diff_items(diff: PrincipalDiff, code: bool) -> list[tuple[str, str]]:
    """(sign, text): "+" added, "-" removed, "!" administrator status changed."""
    out = []
    q = "`" if code else ""
    if diff.admin_before != diff.admin_after:
        out.append(("!", f"administrator: {diff.admin_before or 'no'} → {diff.admin_after or 'no'}"))
    for item in diff.escalations_added:
        out.append(("+", f"escalation: {item['text']}"))
    for item in diff.escalations_removed:
        out.append(("-", f"escalation: {item['text']}"))
    for sign, items in (("+", diff.added), ("-", diff.removed)):
        for level, service, resource, conditional, names in grouped(items):
            what = "every action of every service" if service == "*" else f"{service}: {_names(names, 8)}"
            shown_level = "all levels" if level == "*" else level
            cond = " (conditional)" if conditional else ""
            out.append((sign, f"{shown_level}: {q}{what}{q} on {q}{resource}{q}{cond}"))
    return out


def render_diff(fmt: str, diffs: list[PrincipalDiff], inventory: Inventory, catalog: Catalog, old: Inventory) -> str:
    if fmt == "json":
        return json.dumps(diff_data(diffs), indent=2) + "\n"
    if fmt in ("mermaid", "dot"):
        old_edges = {(e.source, e.target, e.label) for e in old.edges}
        added = {(e.source, e.target, e.label) for e in inventory.edges} - old_edges
        return (render_mermaid if fmt == "mermaid" else render_dot)(inventory, catalog, added)
    if fmt == "markdown":
        lines = ["## iamready: permission changes", ""]
        if not diffs:
            return "\n".join([*lines, "No change to any principal's permissions.", ""])
        for diff in diffs:
            status = {"added": " (new)", "removed": " (removed)", "changed": ""}[diff.status]
            lines.append(f"### `{_md(diff.address)}` ({diff.kind}){status}")
            lines.append("")
            marks = {"+": "➕", "-": "➖", "!": "❗"}
            lines.extend(f"- {marks[sign]} {_md(text)}" for sign, text in _diff_items(diff, True))
            lines.append("")
        return "\n".join(lines)
    if not diffs:
        return "No change to any principal's permissions.\n"
    lines = []
    for diff in diffs:
        status = {"added": "new", "removed": "removed", "changed": "changed"}[diff.status]
        lines.append(f"{diff.address} ({diff.kind}, {status}, {diff.path}:{diff.line})")
        lines.extend(f"  {sign} {text}" for sign, text in _diff_items(diff, False))
        lines.append("")
    return "\n".join(lines)
