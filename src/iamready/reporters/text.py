"""Human output: grouped by file, ``path:line:col`` first so terminals and editors can jump there."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iamready.results import ScanResult

_COLORS = {
    "critical": "\033[1;31m",
    "high": "\033[31m",
    "medium": "\033[33m",
    "low": "\033[36m",
    "info": "\033[37m",
}
_RESET = "\033[0m"
_DIM = "\033[2m"
_BOLD = "\033[1m"


def render(scan: ScanResult) -> str:
    color = bool(scan.config.color)

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines: list[str] = []
    shown = [r for r in scan.results if not r.suppressed or scan.config.show_suppressed]
    current = None
    for item in shown:
        path = scan.relpath(item.span.path)
        if path != current:
            if current is not None:
                lines.append("")
            lines.append(paint(path, _BOLD))
            current = path
        severity = paint(f"{item.severity.value:<8}", _COLORS[item.severity.value])
        location = f"{path}:{item.span.start_line}:{item.span.start_col}"
        text = f"{location}: {severity} {item.rule.id} {item.text}"
        if item.suppressed and item.suppression is not None:
            text += paint(f"  [suppressed: {item.suppression.justification or 'no reason'}]", _DIM)
        lines.append(text)
        for span, message in item.related:
            lines.append(paint(f"    {scan.relpath(span.path)}:{span.start_line}: {message}", _DIM))
        for step, (span, message) in enumerate(item.flow, start=1):
            lines.append(paint(f"    {step}. {scan.relpath(span.path)}:{span.start_line}: {message}", _DIM))
    problems = [n for n in scan.notifications if n.kind != "unresolved"]
    unresolved = [n for n in scan.notifications if n.kind == "unresolved"]
    if problems:
        lines.append("")
        lines.append(paint("Problems while scanning:", _BOLD))
        for note in problems:
            where = f"{scan.relpath(note.span.path)}:{note.span.start_line}: " if note.span else ""
            lines.append(f"{where}{note.level}: {note.message}")
    if unresolved:
        lines.append("")
        lines.append(paint("Could not resolve (findings depending on these are not reported):", _BOLD))
        for note in unresolved:
            where = f"{scan.relpath(note.span.path)}:{note.span.start_line}: " if note.span else ""
            rule = f"[{note.rule_id}] " if note.rule_id else ""
            lines.append(f"{where}{rule}{note.message}")
    if scan.baseline_missing:
        lines.append("")
        lines.append(paint("Baseline entries no longer found (the baseline can shrink):", _BOLD))
        for entry in scan.baseline_missing:
            lines.append(f"{entry['path']}: {entry['rule_id']} {entry['resource']} ({entry['key']})")
    lines.append("")
    lines.append(_summary(scan))
    return "\n".join(lines).lstrip("\n") + "\n"


def _summary(scan: ScanResult) -> str:
    from iamready.reporters.checklist import coverage

    active = scan.active
    counts: dict[str, int] = {}
    for item in active:
        counts[item.severity.value] = counts.get(item.severity.value, 0) + 1
    order = ["critical", "high", "medium", "low", "info"]
    by_severity = ", ".join(f"{counts[s]} {s}" for s in order if s in counts)
    suppressed = len(scan.results) - len(active)
    parts = [f"{len(active)} finding{'s' if len(active) != 1 else ''}" + (f" ({by_severity})" if by_severity else "")]
    if suppressed:
        parts.append(f"{suppressed} suppressed" + ("" if scan.config.show_suppressed else " (--show-suppressed)"))
    if scan.notifications:
        parts.append(f"{len(scan.notifications)} note{'s' if len(scan.notifications) != 1 else ''}")
    parts.append(files_text(scan.stats))
    cov = coverage(scan)
    failed = [item for item, entry in cov.items() if entry["status"] == "failed"]
    passed = [item for item, entry in cov.items() if entry["status"] == "passed"]
    baselined = sum(1 for item in failed if not cov[item]["findings"])  # failing only by baselined findings
    checklist = f"checklist: {len(failed)} item(s) failed" + (f" ({baselined} baselined)" if baselined else "")
    checklist += f" ({', '.join(failed)})" if failed else ""
    checklist += f", {len(passed)} passed"
    return "; ".join(parts) + "\n" + checklist


def files_text(stats: dict) -> str:
    """``3 files scanned, 12 skipped (7 .md, 3 .png, 2 .py)``: what was read, and what was not."""
    count = stats.get("files", 0)
    text = f"{count} file{'s' if count != 1 else ''} scanned"
    skipped = stats.get("skipped") or {}
    if skipped:
        kinds = sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{n} {kind}" for kind, n in kinds[:4]) + (", ..." if len(kinds) > 4 else "")
        text += f", {sum(skipped.values())} skipped ({shown})"
    return text
