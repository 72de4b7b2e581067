"""Coverage per checklist item: failed, passed, not applicable, or not checkable from code.

* failed: a rule enforcing the item found something (count of unsuppressed findings, and of
  findings a baseline records: known debt is not a pass; ``failing_rules`` names the rules that did);
* passed: the item's rules ran on relevant resources and found nothing;
* not-applicable: the item's rules ran but the code has nothing they apply to;
* not-checkable: no selected rule enforces the item here (for account-wide items, the
  baseline profile, ``--profile baseline``, makes them checkable).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from iamready.checklist import BASELINE_ONLY, ITEMS, sort_key

if TYPE_CHECKING:
    from iamready.results import ScanResult


def coverage(scan: ScanResult) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in sorted(ITEMS, key=sort_key):
        rules = [r for r in scan.rules if item in r.checklist]
        failed = [r for r in scan.active if item in r.rule.checklist]
        baselined = [
            r
            for r in scan.results
            if r.suppression is not None and r.suppression.source == "baseline" and item in r.rule.checklist
        ]
        targets = sum(scan.coverage.get(r.id, {}).get("targets", 0) for r in rules if r.on not in ("project",))
        project_rules = [r for r in rules if r.on == "project" and r.id in scan.coverage]  # ran on this scan
        entry: dict[str, Any] = {"title": ITEMS[item], "rules": [r.id for r in rules]}
        if failed or baselined:
            entry["status"] = "failed"
            entry["findings"] = len(failed)
            if baselined:
                entry["baselined"] = len(baselined)
            entry["failing_rules"] = sorted({r.rule.id for r in [*failed, *baselined]})
        elif not rules:
            entry["status"] = "not-checkable"
            entry["hint"] = (
                "account-wide control: run with --profile baseline in the repository that manages the account baseline"
                if item in BASELINE_ONLY
                else "no selected rule enforces this item"
            )
        elif targets or project_rules:
            entry["status"] = "passed"
        else:
            entry["status"] = "not-applicable"
        out[item] = entry
    return out


def render(scan: ScanResult) -> str:
    rows = coverage(scan)
    width = max(len(v["title"]) for v in rows.values())
    lines = [f"{'item':<5}  {'status':<15}  {'practice':<{width}}  details", "-" * (width + 40)]
    for item, entry in rows.items():
        status = entry["status"]
        if status == "failed":
            detail = f"{entry['findings']} finding(s)"
            if entry.get("baselined"):
                detail += f" and {entry['baselined']} baselined"
            detail += f": {', '.join(entry['failing_rules'])}"
        elif status == "not-checkable":
            detail = entry["hint"]
        else:
            detail = ", ".join(entry["rules"])
        lines.append(f"{item:<5}  {status:<15}  {entry['title']:<{width}}  {detail}")
    counts: dict[str, int] = {}
    for entry in rows.values():
        counts[entry["status"]] = counts.get(entry["status"], 0) + 1
    lines.append("")
    lines.append(", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    if scan.notifications:
        # an item reads "passed" only as far as the scan could see: say what it could not
        lines.append("")
        lines.append(f"{len(scan.notifications)} notification(s); these parts were not fully checked:")
        for note in scan.notifications:
            where = f"{scan.relpath(note.span.path)}:{note.span.start_line}: " if note.span else ""
            lines.append(f"  {where}{note.level}: {note.message}")
    return "\n".join(lines) + "\n"
