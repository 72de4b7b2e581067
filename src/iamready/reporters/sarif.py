"""SARIF 2.1.0, built with sarif-om, shaped for GitHub code scanning.

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

import functools
import json
import os
from typing import TYPE_CHECKING, Any

import attr
import sarif_om as om

from iamready import __version__
from iamready.model.span import Span

if TYPE_CHECKING:
    from iamready.results import Result, ScanResult
    from iamready.rule import RuleMeta


@attr.s
class _Suppression(om.Suppression):  # type: ignore[misc]
    """sarif-om 1.0.4 predates the ``status`` property of SARIF 2.1.0's suppression object."""

    status = attr.ib(default=None, metadata={"schema_property_name": "status"})


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
    text = _dump(to_dict(build(scan, kept)))
    if len(text.encode("utf-8", "surrogatepass")) <= MAX_BYTES:
        return text
    data = to_dict(build(scan, []))  # everything but the results: what each result adds is measured
    fixed = len(_dump(data).encode("utf-8", "surrogatepass")) + 2_000  # room for the notification
    rule_index = {r["id"]: i for i, r in enumerate(data["runs"][0]["tool"]["driver"].get("rules", []))}
    room = MAX_BYTES - fixed
    fitting = []
    for item in kept:
        size = (
            len(_dump(to_dict(_result(scan, item, rule_index.get(item.rule.id, 0)))).encode("utf-8", "surrogatepass"))
            + 1
        )
        if size > room:
            break
        room -= size
        fitting.append(item)
    return _dump(to_dict(build(scan, fitting, limit="10 MB per file")))


def _dump(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"


def _ranked(results: list[Result]) -> list[Result]:
    """Which results to keep first under GitHub's limits: unsuppressed before suppressed, most severe first."""
    return sorted(results, key=lambda r: (r.suppressed, -r.severity.rank, r.sort_key))


def build(scan: ScanResult, kept: list[Result] | None = None, limit: str | None = None) -> om.SarifLog:
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
    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="iamready",
                version=__version__,
                semantic_version=__version__,
                information_uri=INFORMATION_URI,
                rules=descriptors,
            )
        ),
        results=[_result(scan, r, index[r.rule.id]) for r in results if r.rule.id in index],
        invocations=[
            om.Invocation(
                execution_successful=not any(n.kind == "internal-error" for n in scan.notifications),
                tool_execution_notifications=notifications or None,
            )
        ],
        original_uri_base_ids={
            SRCROOT: om.ArtifactLocation(
                description=om.Message(text="The root of the repository scanned (the git top level, or --base-dir).")
            )
        },
        column_kind="unicodeCodePoints",
        properties=_bag({"checklistCoverage": _coverage(scan)}) if scan.coverage else None,
    )
    return om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])


def _left_out(scan: ScanResult, kept: list[Result], limit: str) -> om.Notification:
    shown = {id(r) for r in kept}
    dropped = [r for r in scan.results if id(r) not in shown]
    by_severity: dict[str, int] = {}
    for item in dropped:
        by_severity[item.severity.value] = by_severity.get(item.severity.value, 0) + 1
    order = ("critical", "high", "medium", "low", "info")
    counts = ", ".join(f"{by_severity[s]:,} {s}" for s in order if s in by_severity)
    suppressed = sum(1 for r in dropped if r.suppressed)
    extra = f", {suppressed:,} of them suppressed" if suppressed else ""
    return om.Notification(
        message=om.Message(
            text=f"{len(dropped):,} of {len(scan.results):,} results were left out ({counts}{extra}): GitHub code "
            f"scanning accepts at most {limit}; the most severe were kept. Every result is in "
            "`iamready scan --format json` (or text)."
        ),
        level="warning",
        descriptor=om.ReportingDescriptorReference(id="limit"),
    )


def _descriptor(meta: RuleMeta, help_markdown: str) -> om.ReportingDescriptor:
    tags = ["security", *meta.tags, *(f"checklist-{c}" for c in meta.checklist)]
    unique_tags = list(dict.fromkeys(tags))[:MAX_TAGS]
    return om.ReportingDescriptor(
        id=meta.id,
        name=_pascal(meta.name),
        short_description=om.MultiformatMessageString(text=meta.title),
        full_description=om.MultiformatMessageString(text=meta.summary or meta.title),
        help=om.MultiformatMessageString(text=_plain_help(meta), markdown=help_markdown),
        help_uri=f"{INFORMATION_URI}/blob/main/docs/rules.md#{meta.id.lower()}",
        default_configuration=om.ReportingConfiguration(level=meta.severity.sarif_level),
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
) -> om.Location:
    region = om.Region(start_line=max(span.start_line, 1))
    if span.start_col and span.start_col >= 1:
        region.start_column = span.start_col
    if span.end_line and span.end_line >= span.start_line:
        region.end_line = span.end_line
        if span.end_col and span.end_col >= 1 and (span.end_line > span.start_line or span.end_col > span.start_col):
            region.end_column = span.end_col
    location = om.Location(
        physical_location=om.PhysicalLocation(
            artifact_location=_artifact(scan, span.path),
            region=region,
        ),
    )
    if message:
        location.message = om.Message(text=message)
    if address:
        location.logical_locations = [
            om.LogicalLocation(
                fully_qualified_name=address,
                name=address.rsplit(".", 1)[-1] if "." in address else address,
                kind="resource" if resource_type else None,
            )
        ]
    return location


def _artifact(scan: ScanResult, path: str) -> om.ArtifactLocation:
    """A URI relative to the repository root under %SRCROOT%, or an absolute file URI for a file outside it."""

    base = scan.config.base_dir or scan.root
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    except ValueError:  # another drive on Windows
        rel = ""
    if rel and rel != ".." and not rel.startswith(".." + os.sep):
        return om.ArtifactLocation(uri=_uri(rel.replace(os.sep, "/")), uri_base_id=SRCROOT)
    absolute = os.path.abspath(path).replace(os.sep, "/")
    return om.ArtifactLocation(uri="file://" + ("" if absolute.startswith("/") else "/") + _uri(absolute))


def _uri(relpath: str) -> str:
    from urllib.parse import quote

    return quote(relpath, safe="/:@!$&'()*+,;=-._~", errors="surrogateescape")  # a name's bytes, not UTF-8


def _result(scan: ScanResult, item: Result, rule_index: int) -> om.Result:
    result = om.Result(
        message=om.Message(text=item.text),
        rule_id=item.rule.id,
        rule_index=rule_index,
        level=item.severity.sarif_level,
        locations=[_location(scan, item.span, None, item.address, item.resource_type)],
        partial_fingerprints={"iamready/v1": item.fingerprint},
        properties=_bag(
            {
                "severity": item.severity.value,
                "checklist": list(item.rule.checklist),
                "resourceType": item.resource_type or None,
                "framework": item.framework or None,
                **{k: v for k, v in item.properties.items() if v is not None},
            }
        ),
    )
    related = [_location(scan, span, msg) for span, msg in item.related[:MAX_RELATED]]
    for number, location in enumerate(related, start=1):
        location.id = number
    if related:
        result.related_locations = related
    if item.flow:
        steps = [om.ThreadFlowLocation(location=_location(scan, span, msg)) for span, msg in item.flow]
        result.code_flows = [om.CodeFlow(thread_flows=[om.ThreadFlow(locations=steps)])]
    if item.suppression is not None:
        sup = _Suppression(
            kind=item.suppression.kind,
            justification=item.suppression.justification or None,
            status=item.suppression.status,
        )
        if item.suppression.location is not None:
            sup.location = _location(scan, item.suppression.location)
        result.suppressions = [sup]
    return result


def _notification(scan: ScanResult, note: Any) -> om.Notification:
    notification = om.Notification(
        message=om.Message(text=note.message),
        level=note.level,
        descriptor=om.ReportingDescriptorReference(id=note.kind),
    )
    if note.rule_id:
        notification.associated_rule = om.ReportingDescriptorReference(id=note.rule_id)
    if note.span is not None:
        notification.locations = [_location(scan, note.span)]
    return notification


def _coverage(scan: ScanResult) -> dict[str, Any]:
    from iamready.reporters.checklist import coverage

    return {item: status for item, status in coverage(scan).items()}


def _bag(values: dict[str, Any]) -> om.PropertyBag:
    bag = om.PropertyBag()
    bag.additional = {k: v for k, v in values.items() if v is not None}  # type: ignore[attr-defined]
    return bag


_NO_DEFAULT = object()


_SCALARS = frozenset({str, int, float, bool, type(None)})


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, str, Any], ...] | None:
    """(attribute, schema property name, default that is left out) of a sarif-om class, None for
    anything else; worked out once per class (a large report serialises hundreds of thousands of
    objects)."""
    if not attr.has(cls):
        return None
    out = []
    for field in attr.fields(cls):
        default = field.default
        if default is attr.NOTHING or isinstance(default, attr.Factory) or field.name in ("level", "kind"):
            default = _NO_DEFAULT  # "level" and "kind" are always written
        if field.name == "kind" and cls is om.Result:
            continue
        out.append((field.name, field.metadata.get("schema_property_name", field.name), default))
    return tuple(out)


def to_dict(obj: Any) -> Any:
    """Serialise sarif-om objects through their schema property names, leaving out defaults."""
    cls = type(obj)
    if cls in _SCALARS:
        return obj
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, om.PropertyBag):
        out = dict(getattr(obj, "additional", {}) or {})
        if obj.tags:
            out["tags"] = obj.tags
        return {k: to_dict(v) for k, v in out.items()}
    fields = _fields(cls)
    if fields is None:
        return obj
    found: dict[str, Any] = {}
    for name, prop, default in fields:
        value = getattr(obj, name)
        if value is None or (default is not _NO_DEFAULT and value == default):
            continue
        found[prop] = value if type(value) in _SCALARS else to_dict(value)
    return found
