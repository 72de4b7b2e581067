"""SARIF 2.1.0 as plain dictionaries (properties in the object model's order), shaped for GitHub code scanning.

* every rule that ran is in ``tool.driver.rules`` with short and full descriptions, markdown
  help (the rule's docs and samples), ``properties.checklist``, ``tags`` and
  ``security-severity``;
* every result has ``ruleId``/``ruleIndex``, a level from its severity, a message naming the
  resource, a relative ``artifactLocation.uri`` with ``uriBaseId``, a full region,
  ``logicalLocations[].fullyQualifiedName`` = the resource address, and ``partialFingerprints``
  that do not depend on line numbers;
* suppressed results stay, with ``suppressions``;
* parse errors and unresolved values are ``invocations[0].toolExecutionNotifications``;
* output is deterministic: sorted, no timestamps, no absolute paths.

URIs are relative to the repository root (the git top level of the scanned path, or ``--base-dir``),
declared in ``originalUriBaseIds`` as ``%SRCROOT%``; a file outside it gets an absolute ``file://``
URI. GitHub's limits are respected: at most 25,000 results per run and 10 MB per file (the most
severe results are kept, unsuppressed before suppressed, and a notification says how many of each
severity were left out), 10 tags per rule and 100 related locations per result.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from iamready import __version__
from iamready.model.span import Span

if TYPE_CHECKING:
    from iamready.results import Result, ScanResult
    from iamready.rule import RuleMeta


SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/iamready/iamready"
SRCROOT = "%SRCROOT%"
MAX_RESULTS = 25_000
MAX_BYTES = 10_000_000  # GitHub rejects a SARIF file over 10 MB (MB, not MiB: the safe reading)
MAX_TAGS = 10
MAX_RELATED = 100


def render(scan: ScanResult) -> str:
    # compact: SARIF is read by machines, and indenting forces the slow pure-Python encoder
    # (about a second for a few thousand results); pipe it through `python -m json.tool` to read it
    kept = _ranked(scan.results)[:MAX_RESULTS]
    text = _dump(build(scan, kept))
    if len(text.encode("utf-8", "surrogatepass")) <= MAX_BYTES:
        return text
    data = build(scan, [])  # everything but the results: what each result adds is measured
    fixed = len(_dump(data).encode("utf-8", "surrogatepass")) + 2_000  # room for the notification
    rule_index = {r["id"]: i for i, r in enumerate(data["runs"][0]["tool"]["driver"].get("rules", []))}
    room = MAX_BYTES - fixed
    fitting = []
    for item in kept:
        size = len(_dump(_result(scan, item, rule_index.get(item.rule.id, 0))).encode("utf-8", "surrogatepass")) + 1
        if size > room:
            break
        room -= size
        fitting.append(item)
    return _dump(build(scan, fitting, limit="10 MB per file"))


def _dump(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"


def _ranked(results: list[Result]) -> list[Result]:
    """Which results to keep first under GitHub's limits: unsuppressed before suppressed, most severe first."""
    return sorted(results, key=lambda r: (r.suppressed, -r.severity.rank, r.sort_key))


def _obj(**fields: Any) -> dict[str, Any]:
    """A SARIF object: the properties given, in the order given, without the ones that are None."""
    return {name: value for name, value in fields.items() if value is not None}


def _text(text: str) -> dict[str, Any]:
    return {"text": text}


def build(scan: ScanResult, kept: list[Result] | None = None, limit: str | None = None) -> dict[str, Any]:
    """The log; ``kept`` is the results to write (default: all, up to GitHub's 25,000 per run)."""
    from iamready.docs import rule_help_markdown

    rules = sorted(scan.rules, key=lambda r: r.id)
    index = {meta.id: i for i, meta in enumerate(rules)}
    descriptors = [_descriptor(meta, rule_help_markdown(meta)) for meta in rules]
    if kept is None:
        kept = _ranked(scan.results)[:MAX_RESULTS]
    if len(kept) < len(scan.results) and limit is None:
        limit = f"{MAX_RESULTS:,} results per run"
    results = sorted(kept, key=lambda r: r.sort_key)
    notifications = [_notification(scan, n) for n in scan.notifications]
    if limit is not None and len(kept) < len(scan.results):
        notifications.append(_left_out(scan, kept, limit))
    driver = _obj(
        name="iamready",
        contents=["localizedData", "nonLocalizedData"],
        informationUri=INFORMATION_URI,
        rules=descriptors,
        semanticVersion=__version__,
        version=__version__,
    )
    invocation = _obj(
        executionSuccessful=not any(n.kind == "internal-error" for n in scan.notifications),
        toolExecutionNotifications=notifications or None,
    )
    root = {"description": _text("The root of the repository scanned (the git top level, or --base-dir).")}
    run = _obj(
        tool={"driver": driver},
        columnKind="unicodeCodePoints",
        invocations=[invocation],
        newlineSequences=["\r\n", "\n"],
        originalUriBaseIds={SRCROOT: root},
        properties=_bag({"checklistCoverage": _coverage(scan)}) if scan.coverage else None,
        results=[_result(scan, r, index[r.rule.id]) for r in results if r.rule.id in index],
    )
    return {"runs": [run], "version": "2.1.0", "$schema": SCHEMA_URI}


def _left_out(scan: ScanResult, kept: list[Result], limit: str) -> dict[str, Any]:
    shown = {id(r) for r in kept}
    dropped = [r for r in scan.results if id(r) not in shown]
    by_severity: dict[str, int] = {}
    for item in dropped:
        by_severity[item.severity.value] = by_severity.get(item.severity.value, 0) + 1
    order = ("critical", "high", "medium", "low", "info")
    counts = ", ".join(f"{by_severity[s]:,} {s}" for s in order if s in by_severity)
    suppressed = sum(1 for r in dropped if r.suppressed)
    extra = f", {suppressed:,} of them suppressed" if suppressed else ""
    return _obj(
        message=_text(
            f"{len(dropped):,} of {len(scan.results):,} results were left out ({counts}{extra}): GitHub code "
            f"scanning accepts at most {limit}; the most severe were kept. Every result is in "
            "`iamready scan --format json` (or text)."
        ),
        descriptor={"id": "limit"},
        level="warning",
    )


def _descriptor(meta: RuleMeta, help_markdown: str) -> dict[str, Any]:
    tags = ["security", *meta.tags, *(f"checklist-{c}" for c in meta.checklist)]
    unique_tags = list(dict.fromkeys(tags))[:MAX_TAGS]
    return _obj(
        id=meta.id,
        defaultConfiguration={"level": meta.severity.sarif_level},
        fullDescription=_text(meta.summary or meta.title),
        help=_obj(text=_plain_help(meta), markdown=help_markdown),
        helpUri=f"{INFORMATION_URI}/blob/main/docs/rules.md#{meta.id.lower()}",
        name=_pascal(meta.name),
        properties=_bag(
            {
                "checklist": list(meta.checklist),
                "tags": unique_tags,
                "precision": meta.precision,
                "problem.severity": _problem_severity(meta),
                "security-severity": meta.severity.security_severity,
                "severity": meta.severity.value,
            }
        ),
        shortDescription=_text(meta.title),
    )


def _problem_severity(meta: RuleMeta) -> str:
    return {"error": "error", "warning": "warning", "note": "recommendation"}[meta.severity.sarif_level]


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _plain_help(meta: RuleMeta) -> str:
    parts = [meta.title]
    if meta.summary:
        parts.append(meta.summary)
    fix = meta.section("## How to fix")
    if fix:
        parts.append("How to fix: " + fix)
    return "\n\n".join(parts)


def _location(
    scan: ScanResult,
    span: Span,
    message: str | None = None,
    address: str | None = None,
    resource_type: str | None = None,
    number: int | None = None,
) -> dict[str, Any]:
    end_line = end_column = None
    if span.end_line and span.end_line >= span.start_line:
        end_line = span.end_line
        if span.end_col and span.end_col >= 1 and (span.end_line > span.start_line or span.end_col > span.start_col):
            end_column = span.end_col
    region = _obj(
        endColumn=end_column,
        endLine=end_line,
        startColumn=span.start_col if span.start_col and span.start_col >= 1 else None,
        startLine=max(span.start_line, 1),
    )
    logical = None
    if address:
        name = address.rsplit(".", 1)[-1] if "." in address else address
        logical = [_obj(fullyQualifiedName=address, kind="resource" if resource_type else None, name=name)]
    return _obj(
        id=number,
        logicalLocations=logical,
        message=_text(message) if message else None,
        physicalLocation={"artifactLocation": _artifact(scan, span.path), "region": region},
    )


def _artifact(scan: ScanResult, path: str) -> dict[str, Any]:
    """A URI relative to the repository root under %SRCROOT%, or an absolute file URI for a file outside it."""

    base = scan.config.base_dir or scan.root
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    except ValueError:  # another drive on Windows
        rel = ""
    if rel and rel != ".." and not rel.startswith(".." + os.sep):
        return {"uri": _uri(rel.replace(os.sep, "/")), "uriBaseId": SRCROOT}
    absolute = os.path.abspath(path).replace(os.sep, "/")
    return {"uri": "file://" + ("" if absolute.startswith("/") else "/") + _uri(absolute)}


def _uri(relpath: str) -> str:
    from urllib.parse import quote

    return quote(relpath, safe="/:@!$&'()*+,;=-._~", errors="surrogateescape")  # a name's bytes, not UTF-8


def _result(scan: ScanResult, item: Result, rule_index: int) -> dict[str, Any]:
    related = [
        _location(scan, span, msg, number=number)
        for number, (span, msg) in enumerate(item.related[:MAX_RELATED], start=1)
    ]
    flows = None
    if item.flow:
        steps = [{"location": _location(scan, span, msg)} for span, msg in item.flow]
        flows = [{"threadFlows": [{"locations": steps}]}]
    suppressions = None
    if item.suppression is not None:
        where = item.suppression.location
        suppressions = [
            _obj(
                kind=item.suppression.kind,
                justification=item.suppression.justification or None,
                location=_location(scan, where) if where is not None else None,
                status=item.suppression.status,
            )
        ]
    return _obj(
        message=_text(item.text),
        codeFlows=flows,
        level=item.severity.sarif_level,
        locations=[_location(scan, item.span, None, item.address, item.resource_type)],
        partialFingerprints={"iamready/v1": item.fingerprint},
        properties=_bag(
            {
                "severity": item.severity.value,
                "checklist": list(item.rule.checklist),
                "resourceType": item.resource_type or None,
                "framework": item.framework or None,
                **{k: v for k, v in item.properties.items() if v is not None},
            }
        ),
        relatedLocations=related or None,
        ruleId=item.rule.id,
        ruleIndex=rule_index,
        suppressions=suppressions,
    )


def _notification(scan: ScanResult, note: Any) -> dict[str, Any]:
    return _obj(
        message=_text(note.message),
        associatedRule={"id": note.rule_id} if note.rule_id else None,
        descriptor={"id": note.kind},
        level=note.level,
        locations=[_location(scan, span) for span in (note.span, *note.related)] if note.span is not None else None,
    )


def _coverage(scan: ScanResult) -> dict[str, Any]:
    from iamready.reporters.checklist import coverage

    return {item: status for item, status in coverage(scan).items()}


def _bag(values: dict[str, Any]) -> dict[str, Any]:
    """A property bag: the values that are not None (its names, such as ``security-severity``, are not
    Python names)."""
    return _obj(**values)
