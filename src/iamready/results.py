"""The findings of a scan: results, their suppressions and fingerprints, the notes about values
that could not be resolved (once per root cause), the scan's result and its fatal error. Below the
engine: every stage (suppressions, baselines, reporters, git diffs) and the engine itself use these,
and none of them imports the engine.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from iamready.config import Config
from iamready.model.graph import Graph, Resource
from iamready.model.notes import UNRESOLVED, Notification
from iamready.model.span import Span
from iamready.model.value import Cause, Value, cause_of
from iamready.rule import Finding, RuleMeta, Severity, Unresolved, locate


@dataclass
class Suppression:
    kind: str  # "inSource" | "external"
    justification: str
    source: str  # "comment", "metadata", "config", "baseline"
    location: Span | None = None
    status: str = "accepted"


@dataclass
class Result:
    rule: RuleMeta
    severity: Severity
    message: str
    span: Span
    address: str
    resource_type: str
    framework: str
    key: str
    fingerprint: str = ""
    related: list[tuple[Span, str]] = field(default_factory=list)
    flow: list[tuple[Span, str]] = field(default_factory=list)
    suppression: Suppression | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    # a finding traced out of a module: where it was found inside the module (its identity: fingerprint,
    # baseline entry and inline suppressions stay there), the module calls that instantiate that resource
    # (outermost first), and the root module it comes from
    anchor: Span | None = None
    calls: tuple[Any, ...] = ()
    root: str = ""
    via: str = ""  # "in module.app, called from envs/prod/main.tf:1": shown after the message

    @property
    def text(self) -> str:
        """The message as reports show it: with the module and the call it comes from."""
        return f"{self.message} ({self.via})" if self.via else self.message

    @property
    def home(self) -> Span:
        """Where the finding's identity lives: inside the module when it was traced out of one."""
        return self.anchor or self.span

    def provenance(self) -> Iterator[Span]:
        """Every place the finding comes from: its location, related locations, the module calls."""
        yield self.span
        if self.anchor is not None:
            yield self.anchor
        for span, _ in self.related:
            yield span
        for call in self.calls:
            yield call.span

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    @property
    def sort_key(self) -> tuple:
        return (
            self.span.path,
            self.span.start_line,
            self.span.start_col,
            self.rule.id,
            self.address,
            self.message,
        )


@dataclass
class ScanResult:
    config: Config
    root: str  # paths in output are relative to this directory
    rules: list[RuleMeta]  # the rules that ran
    results: list[Result] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    graph: Graph | None = None
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)  # rule id -> {"targets": n}
    baseline_missing: list[dict[str, Any]] = field(default_factory=list)
    inputs: Any = None  # discovery.Discovered: what was scanned (baseline scope, pre-commit files)
    # root causes of unresolved values that rules needed: cause key -> (cause, [(rule id, address, span)])
    needed: dict[tuple[str, str, int], tuple[Cause, list[tuple[str, str, Span | None]]]] = field(default_factory=dict)

    @property
    def active(self) -> list[Result]:
        return [r for r in self.results if not r.suppressed]

    def failed(self, threshold: Severity) -> bool:
        return any(r.severity.rank >= threshold.rank for r in self.active)

    def relpath(self, path: str) -> str:
        try:
            rel = os.path.relpath(path, self.root)
        except ValueError:
            return path.replace(os.sep, "/")
        if rel.startswith("..") and not self._same_repository(path):
            return os.path.abspath(path).replace(os.sep, "/")
        return rel.replace(os.sep, "/")

    def _same_repository(self, path: str) -> bool:
        """``path`` and the working directory lie in one repository being scanned (``cd envs/prod && iamready
        scan .`` shows ``../../modules/role/main.tf``, the same on every machine)."""
        real, root = os.path.realpath(path), os.path.realpath(self.root)
        for boundary in getattr(self.inputs, "boundaries", None) or ():
            inside = boundary.rstrip(os.sep) + os.sep
            if (real == boundary or real.startswith(inside)) and (root == boundary or root.startswith(inside)):
                return True
        return False


class ScanError(Exception):
    """Nothing could be scanned, or the invocation cannot work (exit status 2)."""


def target_span(target: Any) -> Span | None:
    span = getattr(target, "span", None)
    return span if isinstance(span, Span) else None


def to_result(meta: RuleMeta, target: Any, item: Any, result: ScanResult) -> Result | None:
    """What a rule yielded on ``target`` as a located, fingerprinted result; an Unresolved becomes a
    notification on ``result`` (or joins its root cause's), and None."""
    if isinstance(item, Unresolved):
        span = locate(item.at) or target_span(target)
        address = _address(item.resource or _resource_of(target, item.at))
        cause = unresolved_cause(item.at)
        if cause is not None:  # said once for the cause, with every check that needed it
            entry = result.needed.setdefault(cause.key, (cause, []))
            entry[1].append((meta.id, address, span))
            return None
        result.notifications.append(
            Notification(UNRESOLVED, f"{address}: {item.message}" if address else item.message, span, "note", meta.id)
        )
        return None
    if not isinstance(item, Finding):
        raise TypeError(f"rule {meta.id} yielded {type(item).__name__}, not Finding or Unresolved")
    resource = item.resource or _resource_of(target, item.at)
    span = locate(item.at) or target_span(target) or (resource.span if isinstance(resource, Resource) else None)
    if span is None:
        raise ValueError(f"rule {meta.id} produced a finding without a location")
    address = _address(resource)
    key = item.key if item.key is not None else _key_of(item.at)
    rel = result.relpath(span.path)
    calls: tuple[Any, ...] = ()
    anchor = None
    if isinstance(resource, Resource) and resource.meta:
        from iamready.provenance import module_calls, trace

        calls = module_calls(resource)
        if calls:
            traced = trace(item.at, calls, resource.span, span, item.message)
            if traced.moved:
                anchor, span = span, traced.primary
    identity = "\0".join((meta.id, rel, address, key)).encode("utf-8", "surrogatepass")  # lone surrogates: "\ud800"
    fingerprint = hashlib.sha256(identity).hexdigest()[:32]
    message = item.message if item.message.startswith(address + ":") or not address else f"{address}: {item.message}"
    related = [(s, m) for s, m in ((locate(at), msg) for at, msg in item.related) if s is not None]
    flow = [(s, m) for s, m in ((locate(at), msg) for at, msg in item.flow) if s is not None]
    if getattr(resource, "framework", "") == "terraform":  # never CloudFormation syntax in a Terraform finding
        from iamready.model.pseudo import for_terraform

        message = for_terraform(message)
        related = [(s, for_terraform(m)) for s, m in related]
        flow = [(s, for_terraform(m)) for s, m in flow]
    return Result(
        rule=meta,
        severity=item.severity or meta.severity,
        message=message,
        span=span,
        address=address,
        resource_type=getattr(resource, "type", ""),
        framework=getattr(resource, "framework", ""),
        key=key,
        fingerprint=fingerprint,
        related=related,
        flow=flow,
        properties=dict(item.properties),
        anchor=anchor,
        calls=calls,
        root=getattr(resource, "scope", "") if calls else "",
    )


def unresolved_cause(at: Any) -> Cause | None:
    """The root cause of what an ``Unresolved`` points at: a value, a statement, a document."""
    found = cause_of(at)
    if found is not None:
        return found
    for _field, unknown in getattr(at, "unknowns", None) or ():  # a Statement
        found = cause_of(unknown)
        if found is not None:
            return found
    unknown = getattr(at, "unknown", None)  # a PolicyDocument, or a rule's own record
    return cause_of(unknown) if unknown is not None else None


MAX_DEPENDENTS_LISTED = 5


def cause_notes(result: ScanResult) -> list[Notification]:
    """One notification per root cause that rules needed: what is missing, which checks it
    decides (rule, resource, place), and the fix. Causes one fix removes together (``Cause.group``: the
    module calls of a directory one ``terraform init`` installs) are one notification, at the first of them,
    naming each and listing the others as related locations. Causes no rule needed are not said at all."""
    groups: dict[Any, list[tuple[Cause, list[tuple[str, str, Span | None]]]]] = {}
    for cause, dependents in result.needed.values():
        groups.setdefault(cause.group or cause.key, []).append((cause, dependents))
    out = []
    for members in groups.values():
        members.sort(key=lambda m: _member_order(m[0]))
        cause = members[0][0]
        unique = sorted(
            {(rule_id, address, span) for _, dependents in members for rule_id, address, span in dependents},
            key=lambda d: (d[2].path if d[2] else "", d[2].start_line if d[2] else 0, d[1], d[0]),
        )
        places: dict[tuple[str, str, int], list[str]] = {}  # (address, file, line) -> rule ids
        for rule_id, address, span in unique:
            where = (address, result.relpath(span.path) if span else "", span.start_line if span else 0)
            places.setdefault(where, []).append(rule_id)
        needs: dict[tuple[str, int], list[str]] = {}  # in a group: (address, line) -> the members it needed
        if len(members) > 1:
            for member, dependents in members:
                for _, address, span in dependents:
                    labels = needs.setdefault((address, span.start_line if span else 0), [])
                    name = member.label.split(" (", 1)[0]  # module.eks
                    if name not in labels:
                        labels.append(name)
        listed = []
        for (address, path, line), rule_ids in list(places.items())[:MAX_DEPENDENTS_LISTED]:
            at = f" at {path}:{line}" if path else ""
            why = needs.get((address, line))
            using = f", needs {' and '.join(why)}" if why else ""
            listed.append(f"{address or 'the template'}{at} ({', '.join(rule_ids)}{using})")
        more = len(places) - len(listed)
        needed = "; ".join(listed) + (f"; and {more} more" if more > 0 else "")
        fix = f". To fix: {cause.fix}" if cause.fix else ""
        if cause.group and cause.span is not None and not _in_group_directory(cause):
            # every call is in a module the root module calls: the note says which directory the fix is made in
            fix = fix.replace(
                "the root module's directory", f"the root module's directory {result.relpath(cause.group)}"
            )
        rules = {rule_id for rule_id, _, _ in unique}
        what = _together(members, result) if len(members) > 1 else cause.message
        text = f"{what}, so these checks could not be made: {needed}" if unique else what
        out.append(
            Notification(
                UNRESOLVED,
                f"{text}{fix}",
                cause.span or next((span for _, _, span in unique if span is not None), None),
                cause.level,
                next(iter(rules)) if len(rules) == 1 else None,
                tuple((rule_id, span) for rule_id, _, span in unique if span is not None),
                tuple(other.span for other, _ in members[1:] if other.span is not None),
            )
        )
    return out


def _member_order(cause: Cause) -> tuple[bool, str, int]:
    """Calls written in the group's own directory first (where the fix is made), then by place."""
    span = cause.span
    if span is None:
        return (True, "", 0)
    return (not _in_group_directory(cause), span.path, span.start_line)


def _in_group_directory(cause: Cause) -> bool:
    """The cause is written in the directory of its group (a symbolic link in the path does not matter)."""
    if cause.span is None or not cause.group:
        return False
    directory = os.path.dirname(cause.span.path)
    return directory == cause.group or os.path.realpath(directory) == os.path.realpath(cause.group)


def _together(members: list[tuple[Cause, Any]], result: ScanResult) -> str:
    """The causes of one group named in one sentence: the first where the notification is, the others with
    their place."""
    first = members[0][0].span
    named = []
    for cause, _ in members:
        span = cause.span
        at = ""
        if span is not None and span is not first:  # a file beside the first by its name
            same = first is not None and os.path.dirname(span.path) == os.path.dirname(first.path)
            at = f" at {os.path.basename(span.path) if same else result.relpath(span.path)}:{span.start_line}"
        named.append(f"{cause.label or cause.message}{at}")
    return (
        f"{len(members)} module calls of this configuration are not installed, so their outputs and resources are "
        f"not checked: {'; '.join(named)}"
    )


def _resource_of(target: Any, at: Any) -> Any:
    if isinstance(target, Resource):
        return target
    holder = getattr(target, "holder", None)
    if isinstance(holder, Resource):
        return holder
    document = getattr(at, "document", None)
    if document is not None:
        return document.holder
    holder = getattr(at, "holder", None)
    return holder if isinstance(holder, Resource) else None


def _address(resource: Any) -> str:
    return getattr(resource, "address", "") or ""


def _key_of(at: Any) -> str:
    if isinstance(at, Value):
        return at.path
    document = getattr(at, "document", None)
    if document is not None:  # a Statement
        return f"{document.attr}#{at.sid or at.index}"
    if hasattr(at, "statements") and hasattr(at, "attr"):
        return str(at.attr)
    return ""


def unique_fingerprints(results: list[Result]) -> None:
    """Two results with one fingerprint get distinct ones, in output order."""
    counts: dict[str, int] = {}
    for result in sorted(results, key=lambda r: r.sort_key):
        n = counts.get(result.fingerprint, 0)
        counts[result.fingerprint] = n + 1
        if n:
            result.fingerprint = hashlib.sha256(f"{result.fingerprint}\0{n}".encode()).hexdigest()[:32]
