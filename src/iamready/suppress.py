"""Suppressions: inline comments, CloudFormation metadata, per-path ignores and baselines.

Applied in this order, after every rule ran:

1. Inline suppressions, written by the people who own the code (SARIF kind ``inSource``):

   * a comment ``iamready:ignore[RULE-ID, RULE-ID] reason until=2027-03-31`` (``#`` or ``//`` in
     Terraform, ``#`` in CloudFormation YAML). On a line of its own it covers the block that
     starts on the next code line (a resource, a nested block, a policy statement: found through
     the graph's spans), and findings about the resource declared there; at the end of a line it
     covers findings whose span (the flagged statement, block or attribute) holds that line, so
     ``Principal = { AWS = "*" } # iamready:ignore[AWS-IAM-031] ...`` covers the statement's finding;
   * ``Metadata: {iamready: {ignore: {RULE-ID: "reason"}}}`` on a CloudFormation resource covers
     the findings about that resource.

   With ``--no-inline-suppressions`` they are read, checked and reported but not honoured.
2. The suppression meta rules (``on="suppressions"``: IAC-SUPPRESS-*) look at every inline
   suppression: unused, missing reason, expired. Their findings cannot be suppressed inline.
3. ``per-path-ignores`` from the configuration (kind ``external``, the config file named).
4. The baseline (kind ``external``, justification ``baseline FILE``).

Suppressed findings stay in the results, with their :class:`~iamready.results.Suppression`.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from iamready.model.notes import SUPPRESSION, Notification
from iamready.model.span import Span

if TYPE_CHECKING:
    from iamready.config import Config
    from iamready.model.graph import Graph, Resource
    from iamready.results import Result, ScanResult
    from iamready.rule import RuleMeta

DIRECTIVE = "ignore"
SYNTAX = "iamready:ignore[RULE-ID, ...] reason"

_DIRECTIVE_RE = re.compile(r"\biamready\s*:\s*(?P<word>[A-Za-z][\w-]*)?", re.I)
_NO_COLON_RE = re.compile(r"\biamready[ \t_-]+(?P<word>ign\w*|skip|disable|noqa|suppress\w*)\b", re.I)
_UNTIL_RE = re.compile(r"(?<![\w-])until\s*[=:]\s*(?P<date>[^\s,;]*)", re.I)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMMENT_STARTS = ("#", "//", "/*")


def today() -> date:
    """The day suppression expiry is judged against (tests replace this function)."""
    return date.today()


# -- the suppression objects the meta rules look at ---------------------------------------------
@dataclass(eq=False)
class InlineSuppression:
    """One inline suppression: a comment or a CloudFormation ``Metadata.iamready.ignore`` entry."""

    source: str  # "comment" | "metadata"
    span: Span  # where it is written
    text: str  # as written (the comment, or "Metadata.iamready.ignore.RULE-ID")
    ids: tuple[str, ...]  # known rule ids it names
    reason: str
    until: date | None = None
    expired: bool = False
    honoured: bool = True  # False with --no-inline-suppressions
    resource: Resource | None = None  # the resource it sits on (meta findings name it)
    regions: list[tuple[str, int, int]] = field(default_factory=list)  # (path, first line, last line)
    scopes: list[tuple[str, str, bool]] = field(default_factory=list)  # (scope, address, is module call)
    matched: dict[str, int] = field(default_factory=dict)  # rule id -> findings it covered
    checked: frozenset[str] = frozenset()  # ids whose rule ran in this scan
    trailing: bool = False  # at the end of a code line: covers findings whose span holds that line

    @property
    def active(self) -> bool:
        return self.honoured and not self.expired

    @property
    def unused(self) -> list[str]:
        """Rule ids whose rule ran and found nothing here."""
        return [i for i in self.ids if i in self.checked and not self.matched.get(i)]

    @property
    def label(self) -> str:
        if self.source == "metadata":
            return f"Metadata.iamready.ignore.{self.ids[0]}" if len(self.ids) == 1 else self.text
        return f"iamready:ignore[{', '.join(self.ids)}]"

    @property
    def justification(self) -> str:
        text = self.reason or "no reason given"
        return f"{text} (until {self.until.isoformat()})" if self.until else text


@dataclass
class _Parsed:
    ids: list[str]
    reason: str
    until: str | None


class _DirectiveError(ValueError):
    pass


def parse_comment(text: str) -> _Parsed | None:
    """Read one comment. None when it is not an iamready directive; _DirectiveError when it is a broken one."""
    match = _DIRECTIVE_RE.search(text)
    if match is None:
        loose = _NO_COLON_RE.search(text)
        if loose is not None:
            raise _DirectiveError(f"{loose.group(0).strip()!r} is not a directive; write {SYNTAX}")
        return None
    word = match.group("word") or ""
    rest = text[match.end() :]
    if word.lower() != DIRECTIVE:
        looks_like = rest.lstrip().startswith("[") or difflib.get_close_matches(word.lower(), [DIRECTIVE], cutoff=0.6)
        if not looks_like:
            return None  # "iamready: this module ..." is prose, not a directive
        raise _DirectiveError(
            f"unknown directive 'iamready:{word}' (did you mean 'iamready:{DIRECTIVE}'?); write {SYNTAX}"
        )
    rest = rest.lstrip()
    if not rest.startswith("["):
        raise _DirectiveError(f"iamready:ignore needs the rule ids in brackets; write {SYNTAX}")
    close = rest.find("]")
    if close < 0:
        raise _DirectiveError(f"iamready:ignore[ is not closed with ']'; write {SYNTAX}")
    ids = [t.strip() for t in re.split(r"[,\s]+", rest[1:close]) if t.strip()]
    if not ids:
        raise _DirectiveError(f"iamready:ignore[] names no rule; a rule id is required: {SYNTAX}")
    reason, until = _reason_and_until(rest[close + 1 :])
    return _Parsed(ids, reason, until)


def _reason_and_until(text: str) -> tuple[str, str | None]:
    text = text.strip()
    if text.endswith("*/"):
        text = text[:-2].rstrip()
    until = None
    match = _UNTIL_RE.search(text)
    if match:
        until = match.group("date")
        text = (text[: match.start()] + " " + text[match.end() :]).strip()
    text = re.sub(r"\s{2,}", " ", text).strip(" \t-:—,;")
    return text, until


def _parse_until(value: str) -> date:
    if not _DATE_RE.match(value):
        raise _DirectiveError(f"expiry {value!r} is not a date; write until=YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _DirectiveError(f"expiry {value!r} is not a valid date; write until=YYYY-MM-DD") from None


# -- collecting -------------------------------------------------------------------------------
class _Collector:
    def __init__(self, graph: Graph, catalogue: dict[str, RuleMeta], honoured: bool, notes: list[Notification]):
        self.graph = graph
        self.catalogue = catalogue
        self.honoured = honoured
        self.notes = notes
        self.day = today()
        self.out: list[InlineSuppression] = []
        self._ends: dict[str, dict[int, int]] = {}
        self._starts: dict[str, dict[int, list[Resource]]] = {}
        self._lines: dict[str, list[str]] = {}
        self._by_path: dict[str, list[Resource]] | None = None

    def lines(self, path: str) -> list[str]:
        if path not in self._lines:
            self._lines[path] = _read_lines(path)
        return self._lines[path]

    def error(self, message: str, span: Span) -> None:
        self.notes.append(Notification(SUPPRESSION, message, span, "error"))

    def known_ids(self, ids: list[str], span: Span, what: str) -> tuple[str, ...]:
        out: list[str] = []
        valid = sorted(self.catalogue)
        for raw in ids:
            rule_id = raw.upper()
            meta = self.catalogue.get(rule_id)
            if meta is None:
                from iamready.registry import suggest

                close = suggest(rule_id, valid)
                hint = f" (did you mean {close}?)" if close else ""
                self.error(f"{what} names unknown rule id {raw!r}{hint}; it suppresses nothing", span)
                continue
            if meta.on == "suppressions":
                self.error(
                    f"{what} names {rule_id}: findings about suppressions cannot be suppressed inline "
                    "(deselect the rule with --ignore or the 'ignore' config key, or use a baseline)",
                    span,
                )
                continue
            if rule_id not in out:
                out.append(rule_id)
        return tuple(out)

    def make(
        self, source: str, span: Span, text: str, parsed: _Parsed, what: str, resource: Resource | None
    ) -> InlineSuppression | None:
        until = None
        if parsed.until is not None:
            try:
                until = _parse_until(parsed.until)
            except _DirectiveError as exc:
                self.error(f"{what}: {exc}; the suppression is not applied", span)
                return None
        ids = self.known_ids(parsed.ids, span, what)
        if not ids:
            return None
        item = InlineSuppression(
            source=source,
            span=span,
            text=text,
            ids=ids,
            reason=parsed.reason,
            until=until,
            expired=until is not None and self.day > until,
            honoured=self.honoured,
            resource=resource,
        )
        self.out.append(item)
        return item

    # comments ---------------------------------------------------------------------------
    def comments(self) -> None:
        pending: list[tuple[str, int, str, int, bool]] = []
        for path in sorted(self.graph.comments):
            lines = self.lines(path)
            for line, text in self.graph.comments[path]:
                line_text = lines[line - 1] if 0 < line <= len(lines) else text
                col, standalone = _comment_position(line_text, text)
                pending.append((path, line, text, col, standalone))
        self._index({p for p, _, _, _, s in pending if s})
        for path, line, text, col, standalone in pending:
            span = Span(path, line, col, line, col + len(text))
            try:
                parsed = parse_comment(text)
            except _DirectiveError as exc:
                self.error(f"malformed suppression comment: {exc}", span)
                continue
            if parsed is None:
                continue
            if standalone:
                target = _next_code_line(self.lines(path), line)
                starting = self._starts.get(path, {}).get(target, []) if target else []
                resource = min(starting, key=_size) if starting else self._innermost(path, line)
                item = self.make("comment", span, text, parsed, "suppression comment", resource)
                if item is None or target is None:
                    continue
                end = max(self._ends.get(path, {}).get(target, target), target)
                item.regions.append((path, target, end))
                for res in starting:
                    item.scopes.append((res.scope, res.address, res.kind == "module"))
            else:
                item = self.make("comment", span, text, parsed, "suppression comment", self._innermost(path, line))
                if item is not None:
                    item.trailing = True
                    item.regions.append((path, line, line))

    def _index(self, paths: set[str]) -> None:
        """Where blocks start and end in these files: resources, nested blocks, statements, values."""
        if not paths:
            return
        ends: dict[str, dict[int, int]] = {p: {} for p in paths}
        starts: dict[str, dict[int, list[Resource]]] = {p: {} for p in paths}

        def add(span: Any) -> None:
            if isinstance(span, Span) and span.path in ends:
                table = ends[span.path]
                if span.end_line > table.get(span.start_line, 0):
                    table[span.start_line] = span.end_line

        for resource in self.graph.resources():
            if resource.span.path in starts:
                add(resource.span)
                starts[resource.span.path].setdefault(resource.span.start_line, []).append(resource)
                _walk_spans(resource.attrs, add)
        for doc in self.graph.policies:  # statements may sit in another file (locals, a data source)
            add(doc.span)
            for stmt in doc.statements:
                add(stmt.span)
        self._ends.update(ends)
        self._starts.update(starts)

    def _innermost(self, path: str, line: int) -> Resource | None:
        if self._by_path is None:
            self._by_path = {}
            for resource in self.graph.resources():
                self._by_path.setdefault(resource.span.path, []).append(resource)
        best = None
        for resource in self._by_path.get(path, ()):
            span = resource.span
            inside = span.start_line <= line <= span.end_line
            if inside and (best is None or (_size(resource), resource.address) < (_size(best), best.address)):
                best = resource
        return best

    # CloudFormation metadata -------------------------------------------------------------
    def metadata(self) -> None:
        seen: dict[tuple[Span, str], InlineSuppression] = {}
        for resource in sorted(self.graph.resources(framework="cloudformation"), key=lambda r: (r.span, r.address)):
            metadata = resource.meta.get("Metadata")
            if not isinstance(metadata, dict) or "iamready" not in metadata:
                continue
            where = _key_span(metadata, "iamready") or resource.span
            block = metadata["iamready"]
            if not isinstance(block, dict):
                self.error(f"{resource.address}: Metadata.iamready must be a mapping with an 'ignore' key", where)
                continue
            for key in block:
                if key != DIRECTIVE:
                    close = difflib.get_close_matches(str(key), [DIRECTIVE], n=1, cutoff=0.5)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    self.error(
                        f"{resource.address}: unknown key {key!r} in Metadata.iamready{hint}; "
                        "only 'ignore' is read, so nothing is suppressed by it",
                        _key_span(block, key) or where,
                    )
            if DIRECTIVE not in block:
                continue
            ignore = block[DIRECTIVE]
            ignore_span = _key_span(block, DIRECTIVE) or where
            for rule_id, reason, span in self._metadata_entries(resource, ignore, ignore_span):
                if reason is None:
                    continue
                text = f"Metadata.iamready.ignore.{rule_id}"
                item = seen.get((span, text))  # one entry can sit on several resources (SAM's generated role)
                if item is None:
                    parsed = _Parsed([rule_id], *_reason_and_until(reason))
                    what = f"{resource.address}: Metadata.iamready.ignore"
                    item = self.make("metadata", span, text, parsed, what, resource)
                    if item is None:
                        continue
                    seen[(span, text)] = item
                item.regions.append((resource.span.path, resource.span.start_line, resource.span.end_line))
                item.scopes.append((resource.scope, resource.address, False))

    def _metadata_entries(self, resource: Resource, ignore: Any, span: Span) -> Iterator[tuple[str, str | None, Span]]:
        if isinstance(ignore, dict):
            for rule_id, value in ignore.items():
                entry_span = _key_span(ignore, rule_id) or span
                if isinstance(value, str):
                    yield str(rule_id), value, entry_span
                elif value is None:
                    yield str(rule_id), "", entry_span
                elif isinstance(value, dict) and set(value) <= {"reason", "until"}:
                    reason = value.get("reason") or ""
                    until = value.get("until")
                    if not isinstance(reason, str) or not isinstance(until, (str, date, type(None))):
                        self.error(f"{resource.address}: Metadata.iamready.ignore.{rule_id}: reason must be text", span)
                        continue
                    text = reason + (
                        f" until={until.isoformat() if isinstance(until, date) else until}" if until else ""
                    )
                    yield str(rule_id), text, entry_span
                else:
                    self.error(
                        f"{resource.address}: Metadata.iamready.ignore.{rule_id} must be the reason as text "
                        f'(RULE-ID: "reason"), not {_kind(value)}',
                        entry_span,
                    )
        elif isinstance(ignore, list):  # [RULE-ID, ...]: ids without reasons
            spans = getattr(ignore, "item_spans", [])
            for index, rule_id in enumerate(ignore):
                entry_span = spans[index] if index < len(spans) and spans[index] is not None else span
                if isinstance(rule_id, str):
                    yield rule_id, "", entry_span
                else:
                    self.error(
                        f"{resource.address}: Metadata.iamready.ignore lists {rule_id!r}, not a rule id", entry_span
                    )
        else:
            self.error(
                f'{resource.address}: Metadata.iamready.ignore must map rule ids to reasons ({{RULE-ID: "reason"}})',
                span,
            )


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return "a number" if isinstance(value, (int, float)) else type(value).__name__


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().splitlines()
    except OSError:
        return []


def _comment_position(line_text: str, comment: str) -> tuple[int, bool]:
    """(1-based column of the comment, True when nothing but the comment is on the line)."""
    index = line_text.find(comment) if comment else -1
    if index < 0:
        mark = line_text.lower().find("iamready")
        index = max(line_text.rfind(start, 0, max(mark, 0)) for start in _COMMENT_STARTS) if mark >= 0 else -1
        if index < 0:
            stripped = line_text.lstrip()
            return len(line_text) - len(stripped) + 1, stripped.startswith(_COMMENT_STARTS)
    return index + 1, not line_text[:index].strip()


def _next_code_line(lines: list[str], line: int) -> int | None:
    in_block = False
    for number in range(line + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if in_block:
            if "*/" in stripped:
                in_block = False
            continue
        if not stripped or stripped.startswith(("#", "//")):
            continue
        if stripped.startswith("/*"):
            in_block = "*/" not in stripped
            continue
        return number
    return None


def _size(resource: Resource) -> int:
    return resource.span.end_line - resource.span.start_line


def _key_span(mapping: Any, key: Any) -> Span | None:
    spans = getattr(mapping, "key_spans", None)
    span = spans.get(key) if isinstance(spans, dict) else None
    return span if isinstance(span, Span) else getattr(mapping, "span", None)


def _walk_spans(value: Any, add: Any) -> None:
    stack: list[tuple[Any, int]] = [(value, 0)]
    seen: set[int] = set()
    while stack:
        current, depth = stack.pop()
        if depth > 100 or id(current) in seen:
            continue
        if isinstance(current, (dict, list)):
            seen.add(id(current))
        add(getattr(current, "span", None))
        if isinstance(current, dict):
            for span in getattr(current, "key_spans", {}).values():
                add(span)
            stack.extend((v, depth + 1) for v in current.values())
        elif isinstance(current, list):
            for span in getattr(current, "item_spans", ()):
                add(span)
            stack.extend((v, depth + 1) for v in current)
        elif isinstance(current, str):
            doc = getattr(current, "doc", None)
            if doc is not None:
                stack.append((doc, depth + 1))


# -- matching ---------------------------------------------------------------------------------
class _Matcher:
    """Which inline suppressions cover a finding."""

    def __init__(self, suppressions: list[InlineSuppression], graph: Graph) -> None:
        self.by_path: dict[str, list[InlineSuppression]] = {}
        self.by_address: list[InlineSuppression] = []
        self._real: dict[str, str] = {}  # realpath of each path met (a system call per directory level)
        for item in suppressions:
            for path, _, _ in item.regions:
                self.by_path.setdefault(self.realpath(path), []).append(item)
            if item.scopes:
                self.by_address.append(item)
        self.scopes_of: dict[str, set[str]] = {}
        if self.by_address:
            for resource in graph.resources():
                self.scopes_of.setdefault(resource.address, set()).add(resource.scope)

    def realpath(self, path: str) -> str:
        real = self._real.get(path)
        if real is None:
            real = self._real[path] = os.path.realpath(path)
        return real

    def covering(self, result: Result) -> list[InlineSuppression]:
        rule_id = result.rule.id
        out: list[InlineSuppression] = []
        # a finding traced out of a module is also covered where it was found, inside the module
        for span in (result.span, result.anchor) if result.anchor is not None else (result.span,):
            path = self.realpath(span.path)
            line = span.start_line
            end = max(span.end_line, line)
            for item in self.by_path.get(path, ()):
                if rule_id not in item.ids or item in out:
                    continue
                for p, first, last in item.regions:
                    if self.realpath(p) != path:
                        continue
                    # a comment above a block covers findings starting in it; a trailing comment, findings
                    # whose statement, block or attribute holds its line
                    if (line <= last and first <= end) if item.trailing else (first <= line <= last):
                        out.append(item)
                        break
        scopes = self.scopes_of.get(result.address, set())
        for item in self.by_address:
            if rule_id not in item.ids or item in out:
                continue
            for scope, address, is_module in item.scopes:
                if is_module:
                    named = result.address.startswith((address + ".", address + "["))
                else:
                    named = result.address == address
                if named and scope in scopes:
                    out.append(item)
                    break
        return out


# -- the entry point --------------------------------------------------------------------------
def apply_suppressions(
    results: list[Result],
    graph: Graph,
    config: Config,
    rules: list[RuleMeta],
    scan: ScanResult,
    known_rules: list[RuleMeta] | None = None,
) -> list[Result]:
    from iamready.results import Suppression, to_result, unique_fingerprints

    catalogue = _catalogue(config, rules, known_rules)
    ran = frozenset(r.id for r in rules)
    collector = _Collector(graph, catalogue, not config.no_inline_suppressions, scan.notifications)
    collector.comments()
    collector.metadata()
    suppressions = collector.out
    for item in suppressions:
        item.checked = frozenset(i for i in item.ids if i in ran)
        if not item.honoured:
            scan.notifications.append(
                Notification(
                    SUPPRESSION,
                    f"inline suppression not honoured (--no-inline-suppressions): {item.label} {item.justification}",
                    item.span,
                    "note",
                )
            )
    matcher = _Matcher(suppressions, graph)
    for result in sorted(results, key=lambda r: r.sort_key):
        covering = matcher.covering(result)
        for item in covering:
            item.matched[result.rule.id] = item.matched.get(result.rule.id, 0) + 1
        active = [i for i in covering if i.active]
        if active and result.suppression is None:
            chosen = active[0]
            result.suppression = Suppression(
                kind="inSource", justification=chosen.justification, source=chosen.source, location=chosen.span
            )
        elif covering:
            item = covering[0]
            status = f"expired on {item.until.isoformat()}" if item.expired and item.until else "not honoured"
            result.properties["inlineSuppression"] = {
                "status": status,
                "justification": item.justification,
                "location": f"{scan.relpath(item.span.path)}:{item.span.start_line}",
            }
    meta_results: list[Result] = []
    meta_rules = [r for r in rules if r.on == "suppressions"]
    if meta_rules:
        from iamready.context import Context
        from iamready.model.notes import INTERNAL_ERROR

        ctx = Context(graph, config)
        for meta in meta_rules:
            scan.coverage[meta.id] = {"targets": len(suppressions)}
            for item in suppressions:
                try:
                    for finding in meta.check(item, ctx):
                        converted = to_result(meta, item, finding, scan)
                        if converted is not None:
                            meta_results.append(converted)
                except Exception as exc:
                    message = f"rule {meta.id} failed: {type(exc).__name__}: {exc}"
                    scan.notifications.append(Notification(INTERNAL_ERROR, message, item.span, "error", meta.id))
        unique_fingerprints(meta_results)
    out = list(results) + meta_results
    _apply_per_path_ignores(out, config, scan)
    if config.baseline:
        from iamready.baseline import apply_baseline, load_baseline

        apply_baseline(load_baseline(config.baseline), out, scan)
    return out


def _catalogue(config: Config, rules: list[RuleMeta], known_rules: list[RuleMeta] | None) -> dict[str, RuleMeta]:
    """Every rule iamready knows (not only the selected ones): an id of a deselected rule is not a typo."""
    from iamready.loader import load_rules
    from iamready.rule import RuleDefinitionError

    known = {r.id: r for r in rules}
    try:
        for meta in known_rules if known_rules is not None else load_rules(tuple(config.extra_rules)):
            known.setdefault(meta.id, meta)
    except RuleDefinitionError:
        pass  # the CLI reports broken rule packs before scanning
    return known


# -- per-path ignores -------------------------------------------------------------------------
def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """``**`` spans directories, ``*`` and ``?`` stay within one; a directory covers what is below it."""
    pattern = pattern.replace(os.sep, "/").rstrip("/")
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end > i + 1:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                i = end + 1
                continue
            out.append(re.escape(ch))
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("^" + "".join(out) + "(?:/.*)?$")


def _apply_per_path_ignores(results: list[Result], config: Config, scan: ScanResult) -> None:
    if not config.per_path_ignores:
        return
    from iamready.registry import matches
    from iamready.results import Suppression

    source = (
        scan.relpath(config.config_file)
        if config.config_file and "per_path_ignores" in config.file_keys
        else "the command line"
    )
    root = os.path.realpath(config.per_path_root or config.cwd)
    compiled = [(glob_to_regex(pattern), ids, pattern) for pattern, ids in sorted(config.per_path_ignores.items())]
    real = functools.lru_cache(maxsize=None)(os.path.realpath)  # a system call per directory level
    for result in results:
        if result.suppression is not None:
            continue
        try:
            path = os.path.relpath(real(result.span.path), root).replace(os.sep, "/")
        except ValueError:  # another drive
            continue
        for regex, ids, pattern in compiled:
            if regex.match(path) and any(matches(result.rule.id, s) for s in ids):
                result.suppression = Suppression(
                    kind="external",
                    justification=f"per-path-ignores {pattern!r} = [{', '.join(ids)}] in {source}",
                    source="config",
                )
                break
