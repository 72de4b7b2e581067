"""One policy model for every policy document, whatever wrote it.

Inline role/user/group policies, managed policies, trust policies, permission boundaries and
resource policies (S3 bucket policies, ...) from Terraform and CloudFormation are normalised to
:class:`PolicyDocument` objects made of :class:`Statement` objects. Each statement knows where it
was written (its span, and the span of each field), which resource carries it, and which parts
could not be resolved. Rules reason about statements, never about raw JSON.

``Choice`` values (CloudFormation ``Fn::If``, a Terraform conditional on an unknown value) are
expanded: each branch yields its own statements, tagged with ``when`` ("when IsProd is true"),
so a wildcard in either branch is seen.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iamready.model.span import Span
from iamready.model.value import MISSING, Choice, LDict, LList, LStr, Unknown

if TYPE_CHECKING:
    from iamready.model.graph import Resource

IDENTITY = "identity"
TRUST = "trust"
RESOURCE = "resource"
BOUNDARY = "boundary"

_NEGATED_PREFIXES = ("StringNot", "ArnNot", "NotIpAddress", "NumericNot")


@dataclass(slots=True)
class Condition:
    operator: str  # as written: "BoolIfExists", "ForAnyValue:StringLike", ...
    key: str  # as written: "aws:MultiFactorAuthPresent"
    values: list[Any]
    span: Span | None = None

    @property
    def set_operator(self) -> str | None:
        head, sep, _ = self.operator.partition(":")
        return head if sep and head in ("ForAnyValue", "ForAllValues") else None

    @property
    def base_operator(self) -> str:
        op = self.operator.split(":", 1)[1] if self.set_operator else self.operator
        return op[: -len("IfExists")] if op.endswith("IfExists") else op

    @property
    def if_exists(self) -> bool:
        return self.operator.endswith("IfExists")

    @property
    def negated(self) -> bool:
        return self.base_operator.startswith(_NEGATED_PREFIXES) or self.base_operator == "StringNotEquals"

    @property
    def key_lower(self) -> str:
        return self.key.lower()

    @property
    def string_values(self) -> list[str]:
        return [str(v) for v in self.values if isinstance(v, (str, bool, int, float)) and not isinstance(v, Unknown)]

    def has_unknown(self) -> bool:
        return any(isinstance(v, (Unknown, Choice)) for v in self.values)


@dataclass(slots=True)
class Principal:
    """``Principal`` of a statement: ``{"AWS": [...], "Service": [...], "Federated": [...]}``."""

    entries: dict[str, list[Any]] = field(default_factory=dict)
    wildcard: bool = False  # "*" or {"AWS": "*"}: everyone
    span: Span | None = None
    # entries not known statically, by kind (``!Sub arn:aws:iam::${AccountId}:root``), also in the statement's unknowns
    unknown: dict[str, list[Unknown]] = field(default_factory=dict)

    def values(self, kind: str | None = None) -> list[Any]:
        if kind is None:
            return [v for vals in self.entries.values() for v in vals]
        return list(self.entries.get(kind, ()))

    @property
    def aws(self) -> list[Any]:
        return self.values("AWS")

    @property
    def services(self) -> list[Any]:
        return self.values("Service")

    @property
    def federated(self) -> list[Any]:
        return self.values("Federated")


@dataclass(eq=False)
class Statement:
    document: PolicyDocument
    index: int
    span: Span
    sid: str | None = None
    effect: str | None = None  # "Allow" | "Deny"; None when unknown or invalid
    actions: list[Any] | None = None  # None: field absent
    not_actions: list[Any] | None = None
    resources: list[Any] | None = None
    not_resources: list[Any] | None = None
    principal: Principal | None = None
    not_principal: Principal | None = None
    conditions: list[Condition] = field(default_factory=list)
    field_spans: dict[str, Span] = field(default_factory=dict)
    unknowns: list[tuple[str, Unknown | Choice]] = field(default_factory=list)
    when: str | None = None  # the condition under which this statement exists (Fn::If branch)
    settled: list[Condition] = field(default_factory=list)  # conditions that always hold (dates in the past)

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def denies(self) -> bool:
        return self.effect == "Deny"

    def span_of(self, field_name: str) -> Span:
        return self.field_spans.get(field_name, self.span)

    def known_strings(self, values: list[Any] | None) -> list[str]:
        return [str(v) for v in values or () if isinstance(v, str) and not isinstance(v, Unknown)]

    @functools.cached_property  # a statement is not changed once read
    def action_patterns(self) -> list[str]:
        return self.known_strings(self.actions)

    @functools.cached_property  # a statement is not changed once read
    def not_action_patterns(self) -> list[str]:
        return self.known_strings(self.not_actions)

    @functools.cached_property  # a statement is not changed once read
    def action_matcher(self) -> Callable[[str], bool]:
        """Does ``Action`` match a concrete action (one step, however many patterns)?"""
        from iamready.iam.catalog import pattern_matcher

        return pattern_matcher(tuple(self.action_patterns))

    @functools.cached_property  # a statement is not changed once read
    def not_action_matcher(self) -> Callable[[str], bool]:
        from iamready.iam.catalog import pattern_matcher

        return pattern_matcher(tuple(self.not_action_patterns))

    @functools.cached_property  # a statement is not changed once read
    def action_services(self) -> frozenset[str] | None:
        """The services (lower case) whose actions ``Action`` can match; None when it may match any service
        (``*``, ``*:Get*``, a pattern without a colon) or the statement uses ``NotAction``."""
        if self.actions is None:
            return None
        services = set()
        for pattern in self.action_patterns:
            service, colon, _ = pattern.lower().partition(":")
            if "*" in service or "?" in service:
                return None
            if colon:
                services.add(service)
        return frozenset(services)

    @functools.cached_property  # a statement is not changed once read
    def resource_patterns(self) -> list[str]:
        return self.known_strings(self.resources)

    def unknown_in(self, *fields: str) -> Unknown | Choice | None:
        for name, unknown in self.unknowns:
            if name in fields:
                return unknown
        return None

    @property
    def label(self) -> str:
        """How messages name the statement: its Sid, else its position."""
        return f"statement {self.sid!r}" if self.sid else f"statement {self.index + 1}"


@dataclass(eq=False)
class PolicyDocument:
    holder: Resource  # the resource that carries the document
    attr: str  # attribute path on the holder, e.g. "policy", "Policies[0].PolicyDocument"
    kind: str  # identity | trust | resource | boundary
    span: Span
    statements: list[Statement] = field(default_factory=list)
    unknown: Unknown | Choice | None = None  # the whole document could not be resolved
    name: str | None = None
    aws_managed: str | None = None  # name of an AWS-managed policy this document stands for
    problems: list[tuple[str, Span]] = field(default_factory=list)  # what AWS would reject
    principals: list[Resource] = field(default_factory=list)  # identity/boundary: who it applies to
    targets: list[Resource] = field(default_factory=list)  # resource policies: what it protects
    via: str = "inline"  # inline | managed | aws-managed | external (customer managed, outside the code)
    source: Any = None  # what an AWS managed policy was named by (its ARN as written)
    # statements that can never apply again (a date condition in the past) and the condition that says so
    expired: list[tuple[Statement, Condition]] = field(default_factory=list)
    managed: Any = None  # AWS managed: its snapshot entry (iam.aws_managed.ManagedPolicy); None when unknown to AWS
    managed_arn: str | None = None  # AWS managed: the ARN as the code gives it
    sam_template: str | None = None  # the SAM policy template it expands: SAM's wording, not the author's
    sam_fixed: frozenset[int] = frozenset()  # indexes of its statements that are SAM's text alone (no parameter)

    @property
    def outside_code(self) -> bool:
        """AWS managed, or a customer managed policy the scanned code attaches by ARN but does not define:
        its content is not the code's (notes about it belong to the attachment, once)."""
        return self.aws_managed is not None or self.via == "external"

    @property
    def label(self) -> str:
        if self.aws_managed:
            if self.managed is None:
                return f"AWS managed policy {self.aws_managed}"
            partition = (self.managed_arn or "arn:aws:").split(":", 2)[1]
            if partition in ("aws", "") or partition.startswith("${"):
                return self.managed.label
            # the data holds the aws partition's documents: said, since another partition's may differ
            return f"{self.managed.label} (the aws partition's version, used for {partition})"
        if self.via == "external":
            return f"customer managed policy {self.name}"
        return f"{self.holder.address}.{self.attr}" if self.attr else self.holder.address


def build_document(
    holder: Resource, attr: str, kind: str, value: Any, span: Span, name: str | None = None
) -> PolicyDocument:
    """Normalise a policy value (structure, JSON text, or unknown) into a PolicyDocument."""
    doc = PolicyDocument(holder=holder, attr=attr, kind=kind, span=span, name=name)
    structured = as_document(value, span, doc.problems)
    if isinstance(structured, (Unknown, Choice)) and not isinstance(structured, dict):
        if isinstance(structured, Choice):
            for when, branch in structured.branches():
                if branch is None or branch is MISSING:
                    continue  # no policy in this branch (AWS::NoValue, a null)
                _read_document(doc, as_document(branch, span, doc.problems), when)
            return doc
        doc.unknown = structured
        return doc
    _read_document(doc, structured, None)
    return doc


def as_document(value: Any, fallback: Span, problems: list[tuple[str, Span]] | None = None) -> Any:
    """A policy value as a structured document: dicts pass through, JSON text is parsed with spans.

    Duplicate keys in JSON text are added to ``problems`` (when given): the last value is read.
    """
    from iamready.jsonpos import JsonPosError, loads

    if isinstance(value, dict):
        return value
    doc = getattr(value, "doc", None)
    if doc is not None:
        _duplicate_keys(problems, getattr(value, "duplicates", ()))
        return doc
    template = getattr(value, "template", None)
    if isinstance(value, Unknown) and template is not None:
        decoded = value.decode()  # type: ignore[attr-defined]  # a partly known JSON text (PartialDoc)
        return decoded if decoded is not None else Unknown(value.reason, value.span, value.cause)
    if isinstance(value, (Unknown, Choice)):
        return value
    if isinstance(value, str):
        origin = getattr(value, "origin", None) or getattr(value, "span", None) or fallback
        text = str(value)
        if not text.strip():
            return Unknown("policy is empty", fallback)
        try:
            parsed, duplicates = loads(text, origin.path, origin.start_line, origin.start_col)
        except JsonPosError as exc:
            return _Invalid(f"policy is not valid JSON: {exc.message}", Span(origin.path, exc.line, exc.column))
        _duplicate_keys(problems, duplicates)
        return parsed
    if value is None:
        return Unknown("policy is not set", fallback)
    return _Invalid("policy must be a JSON object", fallback)


def _duplicate_keys(problems: list[tuple[str, Span]] | None, duplicates: Any) -> None:
    for key, key_span in duplicates if problems is not None else ():
        problems.append(  # type: ignore[union-attr]
            (
                f"duplicate key {key!r} in the policy JSON (line {key_span.start_line} repeats a key of the same "
                "object); the last value is used",
                key_span,
            )
        )


class _Invalid(Unknown):
    """A policy AWS would reject (bad JSON, wrong shape): reported, not treated as unresolved."""

    __slots__ = ()


def _read_document(doc: PolicyDocument, structured: Any, when: str | None) -> None:
    if isinstance(structured, _Invalid):
        doc.problems.append((structured.reason, structured.span or doc.span))
        return
    if isinstance(structured, (Unknown, Choice)):
        if doc.unknown is None and not doc.statements:
            doc.unknown = structured
        return
    if not isinstance(structured, dict):
        doc.problems.append(("policy must be a JSON object", doc.span))
        return
    raw = structured.get("Statement")
    statement_span = structured.key_spans.get("Statement") if isinstance(structured, LDict) else None
    if raw is None:
        doc.problems.append(("policy has no Statement", getattr(structured, "span", None) or doc.span))
        return
    _read_statements(doc, raw, statement_span or doc.span, when)


def _read_statements(doc: PolicyDocument, raw: Any, span: Span, when: str | None) -> None:
    if isinstance(raw, Choice):
        for branch_when, branch in raw.branches():
            _read_statements(doc, branch, span, _join_when(when, branch_when))
        return
    if isinstance(raw, Unknown):
        doc.unknown = doc.unknown or raw
        return
    items = raw if isinstance(raw, list) else [raw]
    for index, item in enumerate(items):
        item_span = (raw.span_of(index) if isinstance(raw, LList) else None) or getattr(item, "span", None) or span
        if isinstance(item, Choice):
            for branch_when, branch in item.branches():
                _read_statements(
                    doc,
                    [branch] if not isinstance(branch, list) else branch,
                    item_span,
                    _join_when(when, branch_when),
                )
            continue
        if isinstance(item, Unknown):
            stmt = Statement(doc, len(doc.statements), item_span, when=when)
            stmt.unknowns.append(("Statement", item))
            doc.statements.append(stmt)
            continue
        if not isinstance(item, dict):
            doc.problems.append(("each statement must be a JSON object", item_span))
            continue
        doc.statements.append(_read_statement(doc, item, item_span, when))


def _join_when(outer: str | None, inner: str) -> str:
    return f"{outer} and {inner}" if outer else inner


def _read_statement(doc: PolicyDocument, item: dict[str, Any], span: Span, when: str | None) -> Statement:
    spans = item.key_spans if isinstance(item, LDict) else {}
    stmt = Statement(doc, len(doc.statements), span, when=when)
    stmt.field_spans = {k: v for k, v in spans.items() if isinstance(k, str)}
    sid = item.get("Sid")
    if isinstance(sid, str):
        stmt.sid = str(sid)
    effect = item.get("Effect")
    if isinstance(effect, (Unknown, Choice)):
        stmt.unknowns.append(("Effect", effect))
    elif effect in ("Allow", "Deny"):
        stmt.effect = str(effect)
    elif effect is None:
        doc.problems.append((f"{stmt.label} has no Effect", span))
    else:
        doc.problems.append(
            (f'{stmt.label} has Effect {effect!r}; it must be "Allow" or "Deny"', spans.get("Effect", span))
        )
    for key, attr in (
        ("Action", "actions"),
        ("NotAction", "not_actions"),
        ("Resource", "resources"),
        ("NotResource", "not_resources"),
    ):
        if key in item:
            setattr(stmt, attr, _string_list(doc, stmt, key, item[key], spans.get(key, span)))
    if "Action" in item and "NotAction" in item:
        doc.problems.append((f"{stmt.label} has both Action and NotAction", span))
    if "Action" not in item and "NotAction" not in item and not any(n == "Statement" for n, _ in stmt.unknowns):
        doc.problems.append((f"{stmt.label} has neither Action nor NotAction", span))
    for key, attr in (("Principal", "principal"), ("NotPrincipal", "not_principal")):
        if key in item:
            setattr(stmt, attr, _principal(doc, stmt, key, item[key], spans.get(key, span)))
    if "Condition" in item:
        stmt.conditions = _conditions(doc, stmt, item["Condition"], spans.get("Condition", span))
    return stmt


def _string_list(doc: PolicyDocument, stmt: Statement, key: str, value: Any, span: Span) -> list[Any]:
    if isinstance(value, (Unknown, Choice)):
        if isinstance(value, Choice):
            # either branch may be deployed: consider the union
            out: list[Any] = []
            for _, branch in value.branches():
                out.extend(_string_list(doc, stmt, key, branch, span))
            stmt.unknowns.append((key, value))
            return out
        stmt.unknowns.append((key, value))
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, Choice):
            for _, branch in item.branches():
                out.extend(_string_list(doc, stmt, key, branch, span))
            stmt.unknowns.append((key, item))
        elif isinstance(item, Unknown):
            stmt.unknowns.append((key, item))
        elif isinstance(item, str):
            out.append(item)
        elif isinstance(item, list):
            out.extend(_string_list(doc, stmt, key, item, span))
        else:
            doc.problems.append((f"{stmt.label}: {key} must be a string or a list of strings, not {_type(item)}", span))
    return out


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    return type(value).__name__


def _principal(doc: PolicyDocument, stmt: Statement, key: str, value: Any, span: Span) -> Principal:
    principal = Principal(span=span)
    if isinstance(value, (Unknown, Choice)):
        stmt.unknowns.append((key, value))
        if isinstance(value, Choice):
            for _, branch in value.branches():
                other = _principal(doc, stmt, key, branch, span)
                principal.wildcard |= other.wildcard
                for k, vals in other.entries.items():
                    principal.entries.setdefault(k, []).extend(vals)
        return principal
    if isinstance(value, str):
        if value == "*":
            principal.wildcard = True
            principal.entries["AWS"] = ["*"]
        else:
            doc.problems.append((f'{stmt.label}: {key} must be "*" or an object', span))
        return principal
    if not isinstance(value, dict):
        doc.problems.append((f'{stmt.label}: {key} must be "*" or an object, not {_type(value)}', span))
        return principal
    for kind, entries in value.items():
        values = _string_list(doc, stmt, key, entries, span)
        principal.entries[str(kind)] = values
        unknown = [e for e in (entries if isinstance(entries, list) else [entries]) if isinstance(e, Unknown)]
        if unknown:
            principal.unknown[str(kind)] = unknown
        if str(kind) == "AWS" and "*" in values:
            principal.wildcard = True
    return principal


def _conditions(doc: PolicyDocument, stmt: Statement, value: Any, span: Span) -> list[Condition]:
    if isinstance(value, (Unknown, Choice)):
        stmt.unknowns.append(("Condition", value))
        return []
    if not isinstance(value, dict):
        doc.problems.append((f"{stmt.label}: Condition must be an object", span))
        return []
    out = []
    for operator, block in value.items():
        op_span = value.key_spans.get(operator, span) if isinstance(value, LDict) else span
        if isinstance(block, (Unknown, Choice)) or str(operator).startswith("\x00unknown"):
            stmt.unknowns.append(("Condition", block if isinstance(block, (Unknown, Choice)) else Unknown("condition")))
            continue
        if not isinstance(block, dict):
            doc.problems.append((f"{stmt.label}: condition {operator} must be an object", op_span))
            continue
        for key, values in block.items():
            key_span = block.key_spans.get(key, op_span) if isinstance(block, LDict) else op_span
            if isinstance(values, (Unknown, Choice)):
                stmt.unknowns.append(("Condition", values))
                vals: list[Any] = [values]
            elif isinstance(values, list):
                vals = list(values)
            else:
                vals = [values]
            out.append(Condition(str(operator), str(key), vals, key_span))
    return out


def symbolic_ref(value: Any) -> tuple[str, str] | None:
    """(resource id, attribute) when a string stands for an attribute of a resource in the code."""
    return value.ref if isinstance(value, LStr) else None
