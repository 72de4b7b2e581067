"""Renderers for the permission review: text table, JSON, Markdown, Mermaid and Graphviz DOT.

They compute nothing: the inventory (and the comparison) are built before. Output is
deterministic: principals by address, rows by service and access level, then by source line.
"""

from __future__ import annotations

import json
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


def render_mermaid(inventory: Inventory, catalog: Catalog, added: set[tuple[str, str, str]] | None = None) -> str:
    """A Mermaid flowchart: principals (users as rectangles, groups as subroutines, roles as
    rounded boxes), membership (dotted), sts:AssumeRole (arrows) and escalation steps (thick),
    administrators in red, principals that can escalate in orange."""
    ids, outside = _graph_nodes(inventory)
    lines = ["flowchart LR"]
    for item in inventory.principals:
        label = f"{_mermaid_text(item.address)}<br/>{item.kind}" + _admin_suffix(item)
        node = ids[item.address]
        if item.kind == "group":
            lines.append(f'  {node}[["{label}"]]')
        elif item.kind == "role":
            lines.append(f'  {node}("{label}")')
        else:
            lines.append(f'  {node}["{label}"]')
    for target, node in outside.items():
        lines.append(f'  {node}{{{{"{_mermaid_text(target)}<br/>outside this code"}}}}')
    link_styles: list[tuple[int, str]] = []
    drawn = 0
    for edge in inventory.edges:
        src = ids.get(edge.source)
        dst = outside.get(edge.target) if edge.outside else ids.get(edge.target)
        if src is None or dst is None:
            continue
        label = _mermaid_text(edge.label + (" (conditional)" if edge.conditional else ""))
        if edge.kind == "member":
            lines.append(f"  {src} -.-> {dst}")
        elif edge.kind == "assume":
            lines.append(f'  {src} -- "{label}" --> {dst}')
        else:
            lines.append(f'  {src} == "{label}" ==> {dst}')
        if added is not None and (edge.source, edge.target, edge.label) in added:
            link_styles.append((drawn, "stroke:#2f9e44,stroke-width:3px"))
        drawn += 1
    lines.append("  classDef admin fill:#ffe3e3,stroke:#c92a2a,stroke-width:2px")
    lines.append("  classDef escalates fill:#fff4e6,stroke:#e8590c,stroke-width:2px")
    lines.append("  classDef outside fill:#f1f3f5,stroke:#868e96,stroke-dasharray:4 3")
    admins = [ids[p.address] for p in inventory.principals if p.admin]
    escalating = [ids[p.address] for p in inventory.principals if p.escalations and not p.admin]
    if admins:
        lines.append(f"  class {','.join(admins)} admin")
    if escalating:
        lines.append(f"  class {','.join(escalating)} escalates")
    if outside:
        lines.append(f"  class {','.join(outside.values())} outside")
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
