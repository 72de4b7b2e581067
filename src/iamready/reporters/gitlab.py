"""GitLab Code Quality report (the Code Climate issue subset GitLab reads).

One issue per active finding: ``description``, ``check_name`` (the rule id), ``fingerprint``
(iamready's line-independent fingerprint), ``severity`` (``blocker``, ``critical``, ``major``,
``minor``, ``info``) and ``location.path`` / ``location.lines.begin``. Paths are relative to the
repository root (``CI_PROJECT_DIR`` in GitLab CI) so merge-request widgets find the file.
Suppressed findings are left out: GitLab has no notion of a suppressed issue. Located
notifications (a file that cannot be parsed, a value that cannot be resolved) are issues too, with
``check_name`` ``iamready/<kind>``, so a merge request shows what the scan could not see.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iamready.results import ScanResult

SEVERITY = {"critical": "blocker", "high": "critical", "medium": "major", "low": "minor", "info": "info"}
NOTE_SEVERITY = {"error": "major", "warning": "minor", "note": "info"}


def to_data(scan: ScanResult) -> list[dict[str, Any]]:
    from iamready.reporters.markdown import _repo_path

    issues = []
    for item in scan.active:
        issues.append(
            {
                "type": "issue",
                "engine_name": "iamready",
                "check_name": item.rule.id,
                "description": f"{item.rule.id} {item.text}",
                "categories": ["Security"],
                "severity": SEVERITY[item.severity.value],
                "fingerprint": item.fingerprint,
                "location": {
                    "path": _repo_path(scan, item.span.path),
                    "lines": {"begin": item.span.start_line, "end": max(item.span.end_line, item.span.start_line)},
                },
            }
        )
    for note in scan.notifications:
        if note.span is None:
            continue
        path = _repo_path(scan, note.span.path)
        identity = "\0".join((note.kind, path, str(note.span.start_line), note.message))
        issues.append(
            {
                "type": "issue",
                "engine_name": "iamready",
                "check_name": f"iamready/{note.kind}",
                "description": f"{note.level}: {note.message}",
                "categories": ["Bug Risk"],
                "severity": NOTE_SEVERITY.get(note.level, "info"),
                "fingerprint": hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:32],
                "location": {"path": path, "lines": {"begin": note.span.start_line}},
            }
        )
    return issues


def render(scan: ScanResult) -> str:
    return json.dumps(to_data(scan), indent=2, ensure_ascii=False) + "\n"
