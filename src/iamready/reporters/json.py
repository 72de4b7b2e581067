"""Plain JSON for scripts: the same findings, notifications and coverage as SARIF."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from iamready import __version__

if TYPE_CHECKING:
    from iamready.results import Result, ScanResult


def render(scan: ScanResult) -> str:
    return json.dumps(to_data(scan), indent=2, ensure_ascii=False) + "\n"


def _span(scan: ScanResult, span: Any) -> dict[str, Any] | None:
    if span is None:
        return None
    return {
        "path": scan.relpath(span.path),
        "start_line": span.start_line,
        "start_column": span.start_col,
        "end_line": span.end_line,
        "end_column": span.end_col,
    }


def _result(scan: ScanResult, item: Result) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule_id": item.rule.id,
        "rule_name": item.rule.name,
        "severity": item.severity.value,
        "checklist": list(item.rule.checklist),
        "message": item.message,
        "resource": item.address,
        "resource_type": item.resource_type,
        "framework": item.framework,
        "location": _span(scan, item.span),
        "fingerprint": item.fingerprint,
    }
    if item.via:  # a finding in a module: which module, called from where
        data["via"] = item.via
    if item.properties.get("instances"):
        data["instances"] = item.properties["instances"]
    if item.related:
        data["related"] = [{"message": m, "location": _span(scan, s)} for s, m in item.related]
    if item.flow:
        data["flow"] = [{"message": m, "location": _span(scan, s)} for s, m in item.flow]
    if item.suppression is not None:
        data["suppressed"] = {
            "kind": item.suppression.kind,
            "source": item.suppression.source,
            "reason": item.suppression.justification,
            "location": _span(scan, item.suppression.location),
        }
    if item.properties:
        data["properties"] = item.properties
    return data


def to_data(scan: ScanResult) -> dict[str, Any]:
    from iamready.reporters.checklist import coverage

    active = scan.active
    counts: dict[str, int] = {}
    for item in active:
        counts[item.severity.value] = counts.get(item.severity.value, 0) + 1
    return {
        "tool": {"name": "iamready", "version": __version__},
        "summary": {
            "findings": len(active),
            "suppressed": len(scan.results) - len(active),
            "by_severity": counts,
            "notifications": len(scan.notifications),
            "files": scan.stats.get("files", 0),  # Terraform files, templates and plans read
            "skipped": scan.stats.get("skipped", {}),  # files not scanned, by kind
        },
        "results": [_result(scan, r) for r in scan.results],
        "notifications": [
            {
                "kind": n.kind,
                "level": n.level,
                "message": n.message,
                "rule_id": n.rule_id,
                "location": _span(scan, n.span),
                **({"related": [_span(scan, span) for span in n.related]} if n.related else {}),
            }
            for n in scan.notifications
        ],
        "checklist": coverage(scan),
        "baseline_missing": scan.baseline_missing,
    }
