"""Baselines: record today's findings, report only new ones tomorrow.

A baseline is readable JSON, sorted and stable when regenerated (no line numbers, no dates)::

    {
      "tool": "iamready",
      "version": 2,
      "findings": [
        {
          "rule_id": "AWS-IAM-001",
          "path": "infra/iam.tf",
          "resource": "aws_iam_policy.admin",
          "key": "policy#Everything",
          "found": "'Everything' *",
          "message": "aws_iam_policy.admin: statement 'Everything' allows every action (*) on every resource (*)"
        }
      ]
    }

A finding is identified by its rule, its file (relative to the baseline file's directory, so the
baseline works from any working directory), the address of its resource, where on it (``key``:
the attribute or policy statement, never a line number) and what was found there (``found``: the
actions, principals, values, names and counts its message names, without locations or prose).
Moving a resource within its file keeps it baselined; the same finding in another file is new, and
so is a widened grant (``iam:PutUserPolicy`` added to a baselined statement). Rewording a message
keeps it baselined; the message itself is there for the reader. Identical entries count: two equal
findings need two entries.

Version 1 baselines (no ``found``) are still read: their entries match by rule, file, resource and
key only, as they did. Regenerate to record what was found:
``iamready scan . --baseline B --write-baseline B``.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iamready.results import Result, ScanResult

TOOL = "iamready"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
_FIELDS = ("rule_id", "path", "resource", "key")

_LOCATION_RE = re.compile(
    r"[\w./\\-]+\.(?:tf|tfvars|json|ya?ml|template)(?::\d+)+|\blines? \d+(?:\s*[-–]\s*\d+)?", re.I
)
_FOUND_RE = re.compile(
    r"'[^']*'|\"[^\"]*\"|`[^`]*`"  # quoted names and values
    r"|[A-Za-z0-9_.${}/\-]*:[A-Za-z0-9_.:/*?${}\[\]\-]+"  # actions, ARNs, condition keys
    r"|\b(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*(?:data\.)?[a-z][a-z0-9_]*\.[\w-]+(?:\[[^\]]*\])?"  # addresses
    r"|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b"  # names such as AdministratorAccess
    r"|\*|\b\d+\b"  # wildcards and counts
)


def found_of(message: str, address: str) -> str:
    """What a finding names: its message's quoted values, actions, ARNs, addresses, wildcards and counts,
    sorted, without the resource's own address or file locations (which move)."""
    text = message[len(address) + 1 :] if address and message.startswith(address + ":") else message
    text = _LOCATION_RE.sub(" ", text)
    return " ".join(sorted(set(_FOUND_RE.findall(text))))


class BaselineError(Exception):
    """A baseline that cannot be read or written (exit status 2)."""


@dataclass(frozen=True)
class Entry:
    rule_id: str
    path: str  # relative to the baseline file's directory, "/"-separated
    resource: str
    key: str
    message: str = ""
    found: str | None = None  # None: a version 1 entry, which matches without it

    @property
    def ident(self) -> tuple[str, str, str, str, str | None]:
        return (self.rule_id, self.path, self.resource, self.key, self.found)

    @property
    def place(self) -> tuple[str, str, str, str]:
        return (self.rule_id, self.path, self.resource, self.key)

    def as_dict(self) -> dict[str, str]:
        return {
            "rule_id": self.rule_id,
            "path": self.path,
            "resource": self.resource,
            "key": self.key,
            "found": self.found if self.found is not None else found_of(self.message, self.resource),
            "message": self.message,
        }


@dataclass
class Baseline:
    path: str
    entries: list[Entry]

    @property
    def directory(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))


def _relative(path: str, directory: str) -> str:
    try:
        rel = os.path.relpath(os.path.realpath(path), os.path.realpath(directory))
    except ValueError:  # another drive on Windows
        rel = os.path.abspath(path)
    return rel.replace(os.sep, "/")


def entry_for(result: Result, directory: str) -> Entry:
    # a finding traced out of a module keeps its entry where it was found (baselines written before stay valid)
    return Entry(
        result.rule.id,
        _relative(result.home.path, directory),
        result.address,
        result.key,
        result.message,
        found_of(result.message, result.address),
    )


def recordable(result: Result) -> bool:
    """Findings a baseline records: the active ones and those an earlier baseline covered."""
    return result.suppression is None or result.suppression.source == "baseline"


def render_baseline(results: list[Result], path: str, kept: list[Entry] | None = None) -> str:
    """The baseline for these results; ``kept`` entries (outside what was scanned) are carried over."""
    directory = os.path.dirname(os.path.abspath(path))
    entries = sorted(
        [*(entry_for(r, directory) for r in results if recordable(r)), *(kept or ())],
        key=lambda e: (e.path, e.rule_id, e.resource, e.key, e.found or "", e.message),
    )
    data = {"tool": TOOL, "version": FORMAT_VERSION, "findings": [e.as_dict() for e in entries]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str, result: ScanResult) -> int:
    """Write the baseline. Updating the baseline this scan read keeps its entries for files and rules
    the scan did not cover (a scan of some paths, of named files or with --diff-base updates only those)."""
    kept: list[Entry] = []
    read = result.config.baseline
    if read and os.path.abspath(read) == os.path.abspath(path) and os.path.exists(path):
        baseline = load_baseline(path)
        _, kept = _partition(_unmatched(baseline, result.results), _Scope(result), baseline.directory)
    text = render_baseline(result.results, path, kept)
    try:
        # a lone surrogate ("\ud800" in a policy, a file name that is not UTF-8) is written as its JSON escape
        with open(path, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
    except OSError as exc:
        raise BaselineError(f"{_shown(path)}: cannot write baseline: {exc.strerror or exc}") from None
    return sum(1 for r in result.results if recordable(r)) + len(kept)


_OTHER_TOOLS = (
    ("failed_checks", "a Checkov baseline"),
    ("plugins_used", "a detect-secrets baseline"),
    ("runs", "a SARIF log"),
    ("generated_at", "a bandit report"),
)


def _shown(path: str) -> str:
    """A path as the user wrote it, or relative to the working directory when that is shorter."""
    if not os.path.isabs(path):
        return path
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def load_baseline(path: str) -> Baseline:
    """Read and check a baseline; every problem is a BaselineError naming the file (and line)."""
    from iamready.jsonpos import JsonPosError, loads

    file, path = path, _shown(path)
    try:
        with open(file, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{path}: not a baseline: not UTF-8 text ({exc.reason})") from None
    if not text.strip():
        raise BaselineError(f"{path}: the baseline file is empty; write one with --write-baseline {path}")
    try:
        data, _ = loads(text, path)
    except JsonPosError as exc:
        raise BaselineError(f"{path}:{exc.line}:{exc.column}: not a baseline: invalid JSON: {exc.message}") from None
    except RecursionError:  # pragma: no cover - jsonpos is iterative
        raise BaselineError(f"{path}: not a baseline: JSON nested too deeply") from None
    regenerate = f"write a new one with --write-baseline {path}"
    if not isinstance(data, dict):
        raise BaselineError(f'{path}:1: not an iamready baseline (expected a JSON object with "tool": "iamready")')
    if data.get("tool") != TOOL:
        other = next((what for key, what in _OTHER_TOOLS if key in data), None)
        what = f"it looks like {other}" if other else 'it has no "tool": "iamready"'
        raise BaselineError(f"{_line(path, data)}: not an iamready baseline ({what}); {regenerate}")
    version = data.get("version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            why = f"format version {version} was written by a newer iamready; this one reads version {FORMAT_VERSION}"
        else:
            why = f"format version {version!r} is not supported (this iamready reads version {FORMAT_VERSION})"
        raise BaselineError(f"{_line(path, data, 'version')}: {why}; {regenerate}")
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise BaselineError(f'{_line(path, data, "findings")}: "findings" must be a list of entries')
    entries = []
    for index, item in enumerate(findings):
        spans = getattr(findings, "item_spans", [])
        span = spans[index] if index < len(spans) else None
        where = f"{path}:{span.start_line}" if span is not None else path
        if not isinstance(item, dict):
            raise BaselineError(f"{where}: finding {index + 1} must be an object")
        for name in _FIELDS:
            if not isinstance(item.get(name), str):
                raise BaselineError(f"{where}: finding {index + 1} has no {name!r} text")
        message = item.get("message", "")
        found = item.get("found") if version >= 2 else None
        if version >= 2 and not isinstance(found, str):
            raise BaselineError(f"{where}: finding {index + 1} has no 'found' text")
        entries.append(Entry(*(str(item[n]) for n in _FIELDS), str(message) if isinstance(message, str) else "", found))
    return Baseline(file, entries)


def _line(path: str, data: Any, key: str | None = None) -> str:
    spans = getattr(data, "key_spans", {})
    span = spans.get(key) if key else getattr(data, "span", None)
    return f"{path}:{span.start_line}" if span is not None else path


def apply_baseline(baseline: Baseline, results: list[Result], scan: ScanResult) -> None:
    """Mark findings recorded in the baseline as suppressed; list entries that no longer occur."""
    from iamready.results import Suppression

    justification = f"baseline {scan.relpath(baseline.path)}"
    for result in _matched(baseline, results):
        if result.suppression is None:
            result.suppression = Suppression(kind="external", justification=justification, source="baseline")
    missing, _ = _partition(_unmatched(baseline, results), _Scope(scan), baseline.directory)
    scan.baseline_missing = [e.as_dict() for e in missing]


def _pairing(baseline: Baseline, results: list[Result]) -> tuple[list[Result], list[Entry]]:
    """(the results the baseline records, the entries no result used). Each entry is used once (equal
    findings need equal entries); a version 1 entry (no ``found``) matches by place alone."""
    exact = Counter(e.ident for e in baseline.entries if e.found is not None)
    legacy = Counter(e.place for e in baseline.entries if e.found is None)
    matched = []
    for result in sorted(results, key=lambda r: r.sort_key):
        entry = entry_for(result, baseline.directory)
        if exact[entry.ident] > 0:
            exact[entry.ident] -= 1
            matched.append(result)
        elif legacy[entry.place] > 0:
            legacy[entry.place] -= 1
            matched.append(result)
    unmatched = []
    for entry in sorted(baseline.entries, key=lambda e: (e.path, e.rule_id, e.resource, e.key, e.message)):
        left = exact if entry.found is not None else legacy
        ident = entry.ident if entry.found is not None else entry.place
        if left[ident] > 0:
            left[ident] -= 1
            unmatched.append(entry)
    return matched, unmatched


def _matched(baseline: Baseline, results: list[Result]) -> list[Result]:
    return _pairing(baseline, results)[0]


def _unmatched(baseline: Baseline, results: list[Result]) -> list[Entry]:
    return _pairing(baseline, results)[1]


def _partition(entries: list[Entry], scope: _Scope, directory: str) -> tuple[list[Entry], list[Entry]]:
    """(entries this scan could have seen again, entries outside it)."""
    inside = [e for e in entries if scope.contains(e, directory)]
    return inside, [e for e in entries if not scope.contains(e, directory)]


class _Scope:
    """Which baseline entries this scan could have seen again: rule ran, file scanned (or deleted)."""

    def __init__(self, scan: ScanResult) -> None:
        self.rules = {r.id for r in scan.rules}
        inputs = scan.inputs
        self.report_only = getattr(inputs, "report_only", None)
        self.roots = [os.path.realpath(r) for r in getattr(inputs, "scan_roots", [])]
        files: set[str] = set()
        for names in getattr(inputs, "terraform_dirs", {}).values():
            files.update(os.path.realpath(n) for n in names)
        for name in [*getattr(inputs, "cloudformation", []), *getattr(inputs, "plans", [])]:
            files.add(os.path.realpath(name))
        if scan.graph is not None:
            files.update(os.path.realpath(r.span.path) for r in scan.graph.resources())
            files.update(os.path.realpath(p) for p in scan.graph.comments)
        self.files = files

    def contains(self, entry: Entry, directory: str) -> bool:
        if entry.rule_id not in self.rules:
            return False
        path = os.path.realpath(os.path.join(directory, entry.path))
        if self.report_only is not None:
            return path in self.report_only
        if not any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots):
            return False
        return path in self.files or not os.path.exists(path)
