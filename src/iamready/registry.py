"""Rule selection: by id or id prefix, by checklist item, by severity and by profile."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from iamready.rule import RuleMeta, Severity


class SelectionError(ValueError):
    pass


def matches(rule_id: str, selector: str) -> bool:
    """``AWS-IAM`` selects ``AWS-IAM-001``; a full id selects itself. Case-insensitive."""
    sel = selector.strip().upper()
    rid = rule_id.upper()
    return rid == sel or rid.startswith(sel + "-") or (sel.endswith("-") and rid.startswith(sel))


def suggest(rule_id: str, valid: list[str]) -> str | None:
    """The valid id nearest to a mistyped one: a missing zero (AWS-IAM-1), else the closest spelling."""
    match = re.match(r"^([A-Z]+-[A-Z0-9]+?)-?(\d{1,3})$", rule_id.strip().upper())
    if match:
        padded = f"{match.group(1)}-{int(match.group(2)):03d}"
        if padded in valid:
            return padded
    close = difflib.get_close_matches(rule_id.strip().upper(), valid, n=1, cutoff=0.5)
    return close[0] if close else None


def check_selectors(selectors: Iterable[str], rules: list[RuleMeta], what: str) -> None:
    ids = [r.id for r in rules]
    for selector in selectors:
        if not any(matches(rid, selector) for rid in ids):
            close = suggest(selector, ids)
            hint = f"; did you mean {close}?" if close else ""
            raise SelectionError(f"{what}: no rule matches {selector!r}{hint}")


def select(
    rules: list[RuleMeta],
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    checklist: Iterable[str] = (),
    min_severity: Severity | None = None,
    profile: str = "default",
) -> list[RuleMeta]:
    select, ignore, checklist = list(select), list(ignore), [str(c) for c in checklist]
    check_selectors(select, rules, "--select")
    check_selectors(ignore, rules, "--ignore")
    known_items = {item for r in rules for item in r.checklist}
    for item in checklist:
        if item not in known_items:
            raise SelectionError(f"--checklist: no rule enforces checklist item {item!r}")
    out = []
    for meta in rules:
        if profile != "all" and meta.profile != "default" and meta.profile != profile:
            continue
        explicitly = any(matches(meta.id, s) for s in select)
        if select and not explicitly:
            continue
        if any(matches(meta.id, s) for s in ignore):
            continue
        if checklist and not set(meta.checklist) & set(checklist):
            continue
        if min_severity is not None and meta.severity.rank < min_severity.rank:
            continue
        out.append(meta)
    return out


def find(rules: list[RuleMeta], rule_id: str) -> RuleMeta:
    for meta in rules:
        if meta.id.upper() == rule_id.strip().upper() or meta.name == rule_id.strip().lower():
            return meta
    close = suggest(rule_id, [r.id for r in rules])  # the same suggestion as everywhere else
    hint = f"; did you mean {close}?" if close else ""
    raise SelectionError(f"no rule {rule_id!r}{hint}")
