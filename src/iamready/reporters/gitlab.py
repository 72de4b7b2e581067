"""GitLab Code Quality report (the Code Climate issue subset GitLab reads).

One issue per active finding: ``description``, ``check_name`` (the rule id), ``fingerprint``
(iamready's line-independent fingerprint), ``severity`` (``blocker``, ``critical``, ``major``,
``minor``, ``info``) and ``location.path`` / ``location.lines.begin``. Paths are relative to the
repository root (``CI_PROJECT_DIR`` in GitLab CI) so merge-request widgets find the file.
Suppressed findings are left out: GitLab has no notion of a suppressed issue.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iamready.engine import ScanResult

SEVERITY = {"critical": "blocker", "high": "critical", "medium": "major", "low": "minor", "info": "info"}


def to_data(scan: ScanResult) -> list[dict[str, Any]]:
    from iamready.reporters.markdown import _repo_path

    issues = []
    for item in scan.active:
        issues.append(
            {
                "type": "issue",
                "engine_name": "iamready",
                "check_name": item.rule.id,
                "description": f"{item.rule.id} {item.message}",
                "categories": ["Security"],
                "severity": SEVERITY[item.severity.value],
                "fingerprint": item.fingerprint,
                "location": {
                    "path": _repo_path(scan, item.span.path),
                    "lines": {"begin": item.span.start_line, "end": max(item.span.end_line, item.span.start_line)},
                },
            }
        )
    return issues


def render(scan: ScanResult) -> str:
    return json.dumps(to_data(scan), indent=2, ensure_ascii=False) + "\n"
