"""Baselines: record today's findings, report only new ones tomorrow."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iamready.engine import ScanResult


class BaselineError(Exception):
    """A baseline that cannot be read or written (exit status 2)."""


def write_baseline(path: str, result: ScanResult) -> int:
    entries = sorted(
        (
            {
                "rule_id": r.rule.id,
                "path": result.relpath(r.span.path),
                "resource": r.address,
                "fingerprint": r.fingerprint,
            }
            for r in result.active
        ),
        key=lambda e: (e["path"], e["rule_id"], e["resource"], e["fingerprint"]),
    )
    data = {"version": 1, "tool": "iamready", "findings": entries}
    try:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return len(entries)
