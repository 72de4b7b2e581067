"""Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Counts by severity and by checklist item, then a table of findings whose locations link to the
file and line. Links point at the repository at the scanned commit when the CLI knows it
(``--link-base``, or ``GITHUB_SERVER_URL``/``GITHUB_REPOSITORY``/``GITHUB_SHA`` in GitHub Actions,
``CI_PROJECT_URL``/``CI_COMMIT_SHA`` in GitLab CI), with paths relative to the repository root;
otherwise they are relative paths (right for a file rendered in the repository itself).

A pull-request comment holds at most 65,536 characters and a job summary (``$GITHUB_STEP_SUMMARY``)
1 MiB per step: the report stays within ``--max-chars`` (default 65,536). The summary and the checklist
table are always there; the findings follow most severe first, then suppressed findings, stale baseline
entries and notes, as many as fit; the last line counts what was left out and says where to see it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from urllib.parse import quote

from iamready.checklist import ITEMS, sort_key

if TYPE_CHECKING:
    from iamready.model.span import Span
    from iamready.results import Result, ScanResult

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


MAX_MESSAGE = 600  # characters of a message in a table cell; the whole message is in SARIF and text


def _short(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1].rstrip() + "…"


def _row(scan: ScanResult, item: Result) -> str:
    label, url = link(scan, item.span)
    icon = _ICONS[item.severity.value]
    return (
        f"| {icon} {item.severity.value} | {item.rule.id} | {_code(item.address)} | "
        f"[{_cell(label)}]({url}) | {_cell(_short(item.text))} |"
    )


def render(scan: ScanResult) -> str:
    """The report within ``config.max_chars`` (counted in UTF-8 bytes, so it also holds in characters):
    the summary and the checklist table always, then as many findings as fit (most severe first), then
    suppressed findings, stale baseline entries and notes. What did not fit is counted at the end, with
    where to see it."""
    budget = scan.config.max_chars
    active = sorted(scan.active, key=lambda r: (-r.severity.rank, r.sort_key))
    suppressed = [r for r in scan.results if r.suppressed]
    head = _head(scan, active, suppressed)
    sections = [_findings(scan, active), _suppressed(scan, suppressed), _baseline_missing(scan), _notes(scan)]
    counts = [len(s.rows) for s in sections]
    if _size(_assemble(head, sections, counts, budget)) > budget:
        fitted = [0] * len(sections)
        for index, section in enumerate(sections):  # in order of importance: fill one, then the next
            low, high = 0, len(section.rows)
            while low < high:
                mid = (low + high + 1) // 2
                trial = [*fitted[:index], mid, *fitted[index + 1 :]]
                if _size(_assemble(head, sections, trial, budget)) <= budget:
                    low = mid
                else:
                    high = mid - 1
            fitted[index] = low
        counts = fitted
    return _assemble(head, sections, counts, budget)


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


class _Section:
    """A table or list whose rows can be cut; ``what`` names its rows in the "left out" line."""

    def __init__(self, what: str, rows: list[str], intro: list[str], outro: list[str] | None = None) -> None:
        self.what = what
        self.rows = rows
        self.intro = intro
        self.outro = outro or [""]
        self.severities: list[str] = []  # of each row, when rows are findings

    def left_out(self, shown: int) -> str:
        text = f"{len(self.rows) - shown:,} {self.what}"
        if self.severities:
            counts: dict[str, int] = {}
            for severity in self.severities[shown:]:
                counts[severity] = counts.get(severity, 0) + 1
            text += " (" + ", ".join(f"{counts[s]:,} {s}" for s in _ORDER if s in counts) + ")"
        return text


def _assemble(head: list[str], sections: list[_Section], counts: list[int], budget: int) -> str:
    lines = list(head)
    left_out = []
    for section, count in zip(sections, counts):
        if count:
            lines.extend(section.intro)
            lines.extend(section.rows[:count])
            lines.extend(section.outro)
        if count < len(section.rows):
            left_out.append(section.left_out(count))
    if left_out:
        lines.append(
            f"**Left out to stay within {budget:,} characters:** {', '.join(left_out)}. "
            "See every one in the SARIF report (the repository's code scanning alerts) or with "
            "`iamready scan --format text`"
            + ("; a job summary holds more (`--max-chars 1000000`)." if budget < 1_000_000 else ".")
        )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _head(scan: ScanResult, active: list[Result], suppressed: list[Result]) -> list[str]:
    lines = ["## iamready", ""]
    counts: dict[str, int] = {}
    for item in active:
        counts[item.severity.value] = counts.get(item.severity.value, 0) + 1
    baselined = sum(1 for r in suppressed if r.suppression is not None and r.suppression.source == "baseline")
    if active:
        total = f"**{len(active)} finding{'s' if len(active) != 1 else ''}**"
        by_sev = ", ".join(f"{counts[s]} {s}" for s in _ORDER if s in counts)
        lines.append(f"{total} ({by_sev})" + _suppressed_text(suppressed, baselined) + ".")
    else:
        lines.append("No findings." + (f" {_suppressed_text(suppressed, baselined)[2:]}." if suppressed else ""))
    lines.append("")
    if not active:
        return lines
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
    return lines


def _suppressed_text(suppressed: list[Result], baselined: int) -> str:
    if not suppressed:
        return ""
    return f", {len(suppressed)} suppressed" + (f" ({baselined} by the baseline)" if baselined else "")


def _findings(scan: ScanResult, active: list[Result]) -> _Section:
    intro = ["| severity | rule | resource | location | message |", "|---|---|---|---|---|"]
    section = _Section("finding(s)", [_row(scan, item) for item in active], intro)
    section.severities = [item.severity.value for item in active]
    return section


def _suppressed(scan: ScanResult, suppressed: list[Result]) -> _Section:
    rows = []
    for item in suppressed:
        label, url = link(scan, item.span)
        sup = item.suppression
        kind = f"{sup.source} ({sup.kind})" if sup is not None else ""
        reason = sup.justification if sup is not None else ""
        rows.append(f"| {item.rule.id} | [{_cell(label)}]({url}) | {kind} | {_cell(reason)} |")
    intro = [
        f"<details><summary>{len(suppressed)} suppressed finding(s)</summary>",
        "",
        "| rule | location | suppressed by | justification |",
        "|---|---|---|---|",
    ]
    return _Section("suppressed finding(s)", rows, intro, ["", "</details>", ""])


def _baseline_missing(scan: ScanResult) -> _Section:
    missing = scan.baseline_missing
    rows = [f"- {e['rule_id']} {_code(e['resource'])} in `{_cell(e['path'])}`" for e in missing]
    intro = [
        f"<details><summary>{len(missing)} baseline entr{'y' if len(missing) == 1 else 'ies'} no longer found "
        "(the baseline can shrink)</summary>",
        "",
    ]
    return _Section("stale baseline entr(y/ies)", rows, intro, ["", "</details>", ""])


def _notes(scan: ScanResult) -> _Section:
    rows = []
    for note in scan.notifications:
        where = ""
        if note.span is not None:
            label, url = link(scan, note.span)
            where = f"[{_cell(label)}]({url}) "
        rows.append(f"- {note.level}: {where}{_cell(note.message)}")
    intro = [f"<details><summary>{len(scan.notifications)} note(s) from the scan</summary>", ""]
    return _Section("note(s) from the scan", rows, intro, ["", "</details>", ""])
