"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Counts by severity and by checklist item, then a table of findings whose locations link to the
file and line. Links point at the repository at the scanned commit when the CLI knows it
(``--link-base``, or ``GITHUB_SERVER_URL``/``GITHUB_REPOSITORY``/``GITHUB_SHA`` in GitHub Actions,
``CI_PROJECT_URL``/``CI_COMMIT_SHA`` in GitLab CI), with paths relative to the repository root;
otherwise they are relative paths (right for a file rendered in the repository itself).

A pull-request comment holds at most 65,536 characters: the table stops at ``MAX_ROWS`` findings
(most severe first) and says how many were left out.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from urllib.parse import quote

from iamready.checklist import ITEMS, sort_key

if TYPE_CHECKING:
    from iamready.engine import Result, ScanResult
    from iamready.model.span import Span

MAX_ROWS = 200
_ORDER = ("critical", "high", "medium", "low", "info")
_ICONS = {"critical": "🔴", "high": "🟠", "medium": "🟡", "low": "🔵", "info": "⚪"}


def _cell(text: str) -> str:
    """Text safe inside a table cell: no pipes, no line breaks, no HTML."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def _code(text: str) -> str:
    if not text:
        return ""
    text = text.replace("|", "\\|").replace("\n", " ")
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"


def _repo_path(scan: ScanResult, path: str) -> str:
    root = scan.config.link_root if scan.config.link_base else None
    if root:
        try:
            rel = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
        except ValueError:
            rel = ""
        if rel and not rel.startswith(".."):
            return rel.replace(os.sep, "/")
    return scan.relpath(path)


def link(scan: ScanResult, span: Span) -> tuple[str, str]:
    """(label, URL) for a location: ``path:line`` and ``<base>path#Lstart-Lend``."""
    path = _repo_path(scan, span.path)
    anchor = f"#L{span.start_line}"
    if span.end_line > span.start_line:
        anchor += f"-L{span.end_line}"
    base = scan.config.link_base or ""
    return f"{scan.relpath(span.path)}:{span.start_line}", f"{base}{quote(path, errors='surrogateescape')}{anchor}"


def _row(scan: ScanResult, item: Result) -> str:
    label, url = link(scan, item.span)
    icon = _ICONS[item.severity.value]
    return (
        f"| {icon} {item.severity.value} | {item.rule.id} | {_code(item.address)} | "
        f"[{_cell(label)}]({url}) | {_cell(item.text)} |"
    )


def render(scan: ScanResult) -> str:
    active = scan.active
    suppressed = [r for r in scan.results if r.suppressed]
    lines = ["## iamready", ""]
    counts: dict[str, int] = {}
    for item in active:
        counts[item.severity.value] = counts.get(item.severity.value, 0) + 1
    if active:
        total = f"**{len(active)} finding{'s' if len(active) != 1 else ''}**"
        by_sev = ", ".join(f"{counts[s]} {s}" for s in _ORDER if s in counts)
        lines.append(f"{total} ({by_sev})" + (f", {len(suppressed)} suppressed" if suppressed else "") + ".")
    else:
        lines.append("No findings." + (f" {len(suppressed)} suppressed." if suppressed else ""))
    lines.append("")
    if active:
        lines.append("| severity | findings |")
        lines.append("|---|---:|")
        for sev in _ORDER:
            if sev in counts:
                lines.append(f"| {_ICONS[sev]} {sev} | {counts[sev]} |")
        lines.append("")
        by_item: dict[str, int] = {}
        for item in active:
            for c in item.rule.checklist:
                by_item[c] = by_item.get(c, 0) + 1
        if by_item:
            lines.append("| checklist item | findings |")
            lines.append("|---|---:|")
            for c in sorted(by_item, key=sort_key):
                lines.append(f"| {c} {_cell(ITEMS.get(c, ''))} | {by_item[c]} |")
            lines.append("")
        shown = sorted(active, key=lambda r: (-r.severity.rank, r.sort_key))[:MAX_ROWS]
        lines.append("| severity | rule | resource | location | message |")
        lines.append("|---|---|---|---|---|")
        lines.extend(_row(scan, item) for item in shown)
        if len(active) > len(shown):
            lines.append("")
            lines.append(
                f"{len(active) - len(shown)} less severe finding(s) not shown; "
                "see the full report (SARIF / code scanning, or `--format text`)."
            )
        lines.append("")
    if suppressed:
        lines.append(f"<details><summary>{len(suppressed)} suppressed finding(s)</summary>")
        lines.append("")
        lines.append("| rule | location | suppressed by | justification |")
        lines.append("|---|---|---|---|")
        for item in suppressed[:MAX_ROWS]:
            label, url = link(scan, item.span)
            sup = item.suppression
            kind = f"{sup.source} ({sup.kind})" if sup is not None else ""
            reason = sup.justification if sup is not None else ""
            lines.append(f"| {item.rule.id} | [{_cell(label)}]({url}) | {kind} | {_cell(reason)} |")
        lines.append("")
        lines.append("</details>")
        lines.append("")
    if scan.baseline_missing:
        lines.append(
            f"<details><summary>{len(scan.baseline_missing)} baseline entr"
            f"{'y' if len(scan.baseline_missing) == 1 else 'ies'} no longer found (the baseline can shrink)"
            "</summary>"
        )
        lines.append("")
        for entry in scan.baseline_missing[:MAX_ROWS]:
            lines.append(f"- {entry['rule_id']} {_code(entry['resource'])} in `{_cell(entry['path'])}`")
        lines.append("")
        lines.append("</details>")
        lines.append("")
    if scan.notifications:
        lines.append(f"<details><summary>{len(scan.notifications)} note(s) from the scan</summary>")
        lines.append("")
        for note in scan.notifications[:MAX_ROWS]:
            where = ""
            if note.span is not None:
                label, url = link(scan, note.span)
                where = f"[{_cell(label)}]({url}) "
            lines.append(f"- {note.level}: {where}{_cell(note.message)}")
        lines.append("")
        lines.append("</details>")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
