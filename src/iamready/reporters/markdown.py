"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from iamready.checklist import ITEMS, sort_key

if TYPE_CHECKING:
    from iamready.engine import ScanResult


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(scan: ScanResult) -> str:
    active = scan.active
    base = os.environ.get("IAMREADY_LINK_BASE", "")
    lines = ["## iamready", ""]
    if not active:
        lines.append("No findings.")
    counts: dict[str, int] = {}
    for item in active:
        counts[item.severity.value] = counts.get(item.severity.value, 0) + 1
    if active:
        lines.append("| severity | findings |")
        lines.append("|---|---|")
        for sev in ("critical", "high", "medium", "low", "info"):
            if sev in counts:
                lines.append(f"| {sev} | {counts[sev]} |")
        lines.append("")
        by_item: dict[str, int] = {}
        for item in active:
            for c in item.rule.checklist:
                by_item[c] = by_item.get(c, 0) + 1
        lines.append("| checklist item | findings |")
        lines.append("|---|---|")
        for c in sorted(by_item, key=sort_key):
            lines.append(f"| {c} {_cell(ITEMS.get(c, ''))} | {by_item[c]} |")
        lines.append("")
        lines.append("| severity | rule | resource | location | message |")
        lines.append("|---|---|---|---|---|")
        for item in active:
            path = scan.relpath(item.span.path)
            link = f"{base}{path}#L{item.span.start_line}"
            lines.append(
                f"| {item.severity.value} | {item.rule.id} | `{_cell(item.address)}` | "
                f"[{_cell(path)}:{item.span.start_line}]({link}) | {_cell(item.message)} |"
            )
    suppressed = len(scan.results) - len(active)
    if suppressed:
        lines.append("")
        lines.append(f"{suppressed} finding(s) suppressed.")
    if scan.notifications:
        lines.append("")
        lines.append(f"<details><summary>{len(scan.notifications)} note(s)</summary>")
        lines.append("")
        for note in scan.notifications:
            where = f"`{scan.relpath(note.span.path)}:{note.span.start_line}` " if note.span else ""
            lines.append(f"- {where}{_cell(note.message)}")
        lines.append("")
        lines.append("</details>")
    return "\n".join(lines) + "\n"
