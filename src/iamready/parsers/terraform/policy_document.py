"""``data "aws_iam_policy_document"`` rendered the way the AWS provider renders it.

The result is the policy JSON (``Version``, ``Id``, ``Statement`` with ``Sid``, ``Effect``,
``Action`` / ``NotAction``, ``Resource`` / ``NotResource``, ``Principal`` / ``NotPrincipal``,
``Condition``), built as the provider (v3.28 and later) builds it:

1. ``source_json`` (legacy; provider v5 only accepts it empty) is the starting document;
2. each of ``source_policy_documents`` is merged in, in order (their Sids must be unique);
3. the document's own ``statement`` blocks are merged in (their Sids must be unique);
4. each of ``override_policy_documents`` is merged in, in order;
5. ``override_json`` (legacy) is merged in last.

Merging appends a statement, except that a statement with a non-empty ``Sid`` replaces, in
place, an earlier statement with the same ``Sid``; ``Id`` is taken from the merged document when
it has one and ``Version`` is raised to the highest. Within a statement block, ``actions``,
``resources`` and the other string sets are de-duplicated, one value is written as a string and
several as a list sorted in reverse order; principals are grouped by type and conditions by test
and variable; ``&{...}`` becomes ``${...}`` in resources, principals and condition values.
Duplicate Sids, which the provider rejects, are reported as notes.

Every rendered statement keeps the span of the HCL block (or JSON) it came from.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from iamready.model.span import Span
from iamready.model.value import (
    MISSING,
    Choice,
    LDict,
    LList,
    LStr,
    Unknown,
    cause_of,
    contains_unknown,
    first_unknown,
    plain,
)
from iamready.parsers.terraform.evaluator import PartialDoc

if TYPE_CHECKING:
    from iamready.parsers.terraform.refs import InstanceRef

_LIST_FIELDS = (
    ("actions", "Action", False),
    ("not_actions", "NotAction", False),
    ("resources", "Resource", True),
    ("not_resources", "NotResource", True),
)


class _Rendered:
    __slots__ = ("doc", "minified", "pretty", "unknown")

    def __init__(self, doc: LDict, unknown: Unknown | None) -> None:
        self.doc = doc
        self.unknown = unknown
        self.pretty = ""
        self.minified = ""
        if unknown is None:
            from iamready.parsers.terraform.functions import _JSON_ESCAPES

            data = plain(doc)
            self.pretty = json.dumps(data, indent=2, ensure_ascii=False).translate(_JSON_ESCAPES)
            self.minified = json.dumps(data, separators=(",", ":"), ensure_ascii=False).translate(_JSON_ESCAPES)


def render(inst: InstanceRef, span: Span, minified: bool = False) -> Any:
    """The ``json`` (or ``minified_json``) attribute, located at ``span`` (where it is used)."""
    cached: _Rendered | None = getattr(inst, "_rendered", None)
    if cached is None:
        if getattr(inst, "_rendering", False):
            return Unknown(f"{inst.address} refers to itself", span)
        inst._rendering = True  # type: ignore[attr-defined]
        try:
            cached = _render(inst)
        finally:
            inst._rendering = False  # type: ignore[attr-defined]
        inst._rendered = cached  # type: ignore[attr-defined]
    if cached.unknown is not None:
        return PartialDoc(cached.unknown.reason, span, doc=cached.doc, cause=cached.unknown.cause)
    return LStr(cached.minified if minified else cached.pretty, span, doc=cached.doc)


def _render(inst: InstanceRef) -> _Rendered:
    block_span = Span(inst.path, *inst.block[1])
    merged = _Merged(inst, block_span)
    source_json = inst.attr_value("source_json")
    if _given(source_json):
        merged.start_from(source_json, _attr_span(inst, "source_json", block_span))
    sources = inst.attr_value("source_policy_documents")
    if _given(sources):
        merged.merge_documents(sources, _attr_span(inst, "source_policy_documents", block_span), check_sids=True)
    own_version = inst.attr_value("version")
    merged.raise_version(own_version if isinstance(own_version, str) and own_version else "2012-10-17")
    policy_id = inst.attr_value("policy_id")
    if isinstance(policy_id, (Unknown, Choice)) or (isinstance(policy_id, str) and policy_id):
        merged.doc_id = policy_id
    merged.merge_statements(_own_statements(inst, block_span))
    overrides = inst.attr_value("override_policy_documents")
    if _given(overrides):
        merged.merge_documents(overrides, _attr_span(inst, "override_policy_documents", block_span))
    override_json = inst.attr_value("override_json")
    if _given(override_json):
        merged.merge_documents([override_json], _attr_span(inst, "override_json", block_span))
    doc = LDict(span=block_span)
    doc.set("Version", merged.version, None)
    if merged.doc_id is not None:
        doc.set("Id", merged.doc_id, None)
    if merged.statements:
        doc.set("Statement", merged.statements, block_span)
    unknown: Unknown | None = None
    if contains_unknown(doc):
        hole = first_unknown(doc)
        reason = hole.reason if isinstance(hole, Unknown) else f"depends on condition {hole.condition}"
        unknown = Unknown(reason, block_span, cause_of(doc))
    return _Rendered(doc, unknown)


def _given(value: Any) -> bool:
    return value is not MISSING and value is not None and value != "" and value != []


def _attr_span(inst: InstanceRef, name: str, fallback: Span) -> Span:
    for item in inst.block[4]:
        if item[0] == "A" and item[2] == name:
            return Span(inst.path, *item[1])
    return fallback


class _Merged:
    """The document being built, with the provider's merge rules."""

    def __init__(self, inst: InstanceRef, span: Span) -> None:
        self.inst = inst
        self.span = span
        self.version = ""
        self.doc_id: Any = None
        self.statements = LList(span=span)

    def raise_version(self, version: Any) -> None:
        if isinstance(version, str) and not isinstance(version, Unknown) and version > self.version:
            self.version = version

    def start_from(self, value: Any, span: Span) -> None:
        doc = document_of(value, span)
        if isinstance(doc, dict):
            self.raise_version(doc.get("Version"))
            if isinstance(doc.get("Id"), str) and doc.get("Id"):
                self.doc_id = doc["Id"]
        for stmt in _statements_in(doc):
            self.statements.add(stmt, getattr(stmt, "span", None) or span)

    def merge_documents(self, values: Any, span: Span, check_sids: bool = False) -> None:
        if isinstance(values, (Unknown, Choice)):
            self.statements.add(_unknown(values, span), span)
            return
        items = values if isinstance(values, list) else [values]
        seen = {s.get("Sid") for s in self.statements if isinstance(s, dict) and _sid(s)} if check_sids else set()
        for index, value in enumerate(items):
            if value is None:
                continue
            item_span = (items.span_of(index) if isinstance(items, LList) else None) or span
            doc = document_of(value, item_span)
            if isinstance(doc, dict):
                self.raise_version(doc.get("Version"))
                if isinstance(doc.get("Id"), str) and doc.get("Id"):
                    self.doc_id = doc["Id"]
            for stmt in _statements_in(doc):
                sid = _sid(stmt)
                if check_sids and sid:
                    if sid in seen:
                        self._note_duplicate(sid, "source_policy_documents", item_span)
                    seen.add(sid)
                self._merge(stmt, getattr(stmt, "span", None) or item_span)

    def merge_statements(self, statements: list[tuple[Any, Span]]) -> None:
        seen: set[str] = set()
        for stmt, span in statements:
            sid = _sid(stmt)
            if sid:
                if sid in seen:
                    self._note_duplicate(sid, "statement blocks", span)
                seen.add(sid)
            self._merge(stmt, span)

    def _merge(self, stmt: Any, span: Span) -> None:
        sid = _sid(stmt)
        if sid:
            for index, existing in enumerate(self.statements):
                if _sid(existing) == sid:
                    self.statements[index] = stmt
                    self.statements.item_spans[index] = span
                    return
        self.statements.add(stmt, span)

    def _note_duplicate(self, sid: str, where: str, span: Span) -> None:
        self.inst.instance.loader.note_unresolved(
            f"{self.inst.address}: duplicate Sid {sid!r} in {where}; the AWS provider rejects this document",
            span,
            "warning",
        )


def _sid(stmt: Any) -> str:
    if isinstance(stmt, dict):
        sid = stmt.get("Sid")
        if isinstance(sid, str) and not isinstance(sid, Unknown):
            return str(sid)
    return ""


def _unknown(value: Any, span: Span) -> Unknown:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Choice):
        return Unknown(f"depends on condition {value.condition}", value.span or span, cause_of(value))
    return Unknown("not known", span)


def _statements_in(doc: Any) -> list[Any]:
    if isinstance(doc, (Unknown, Choice)):
        return [doc]
    statements = doc.get("Statement") if isinstance(doc, dict) else None
    if isinstance(statements, dict):
        return [statements]
    if isinstance(statements, list):
        return list(statements)
    if isinstance(statements, (Unknown, Choice)):
        return [statements]
    return []


def document_of(value: Any, fallback: Span) -> Any:
    """A JSON policy value (structured, string, or partially known) as a structured document."""
    from iamready.parsers.terraform.evaluator import decode_partial

    if isinstance(value, dict):
        return value
    if isinstance(value, PartialDoc):
        doc = decode_partial(value)
        return doc if doc is not None else Unknown(value.reason, value.span, value.cause)
    if isinstance(value, (Unknown, Choice)):
        return _unknown(value, fallback)
    doc = getattr(value, "doc", None)
    if doc is not None:
        return doc
    if isinstance(value, str):
        from iamready.jsonpos import JsonPosError, loads

        origin = getattr(value, "origin", None) or getattr(value, "span", None) or fallback
        try:
            parsed, _ = loads(str(value), origin.path, origin.start_line, origin.start_col)
        except JsonPosError as exc:
            return Unknown(f"policy is not valid JSON: {exc.message}", getattr(value, "span", None) or fallback)
        return parsed
    return Unknown("policy is not a JSON document", fallback)


# -- the document's own statement blocks --------------------------------------------------------
def _own_statements(inst: InstanceRef, block_span: Span) -> list[tuple[Any, Span]]:
    own = inst.attr_value("statement")
    if own is MISSING or own is None:
        return []
    if isinstance(own, (Unknown, Choice)):
        return [(_unknown(own, block_span), block_span)]
    out: list[tuple[Any, Span]] = []
    if isinstance(own, list):
        for index, block in enumerate(own):
            item_span = (own.span_of(index) if isinstance(own, LList) else None) or block_span
            if isinstance(block, dict):
                out.append((_statement(block, item_span), item_span))
            else:
                out.append((block, item_span))
    return out


def _statement(block: dict[str, Any], span: Span) -> LDict:
    spans = block.key_spans if isinstance(block, LDict) else {}
    out = LDict(span=span)
    sid = block.get("sid")
    if isinstance(sid, (Unknown, Choice)) or (isinstance(sid, str) and sid):
        out.set("Sid", sid, spans.get("sid"))
    effect = block.get("effect")
    out.set("Effect", effect if effect is not None else LStr("Allow", span), spans.get("effect") or span)
    for attr, key, variables in _LIST_FIELDS:
        if attr in block and block[attr] is not None:
            decoded = _string_set(block[attr], spans.get(attr) or span, variables)
            if decoded is not None:
                out.set(key, decoded, spans.get(attr))
    for attr, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if attr in block and block[attr] is not None and block[attr] != []:
            out.set(key, _principals(block[attr], spans.get(attr) or span), spans.get(attr))
    if "condition" in block and block["condition"] is not None and block["condition"] != []:
        out.set("Condition", _conditions(block["condition"], spans.get("condition") or span), spans.get("condition"))
    return out


def _replace_vars(value: Any) -> Any:
    """``&{aws:username}`` is how policy variables are written in HCL; the provider writes ``${...}``."""
    if isinstance(value, str) and not isinstance(value, Unknown) and "&{" in value:
        return LStr(str(value).replace("&{", "${"), getattr(value, "span", None))
    return value


def _string_set(value: Any, span: Span, variables: bool) -> Any:
    """A set of strings as the provider writes it: one value as a string, several reverse-sorted.

    Returns None for an empty set (the provider leaves the field out).
    """
    if isinstance(value, (Unknown, Choice)):
        return value
    items = value if isinstance(value, list) else [value]
    pairs: list[tuple[Any, Span | None]] = []
    for index, item in enumerate(items):
        item_span = items.span_of(index) if isinstance(items, LList) else getattr(item, "span", None)
        pairs.append((_replace_vars(item) if variables else item, item_span))
    if not pairs:
        return None
    if any(isinstance(item, (Unknown, Choice)) or not isinstance(item, str) for item, _ in pairs):
        return LList([p[0] for p in pairs], getattr(value, "span", None) or span, [p[1] for p in pairs])
    unique: dict[str, tuple[Any, Span | None]] = {}
    for item, item_span in pairs:
        unique.setdefault(str(item), (item, item_span))
    if len(unique) == 1:
        return next(iter(unique.values()))[0]
    ordered = [unique[k] for k in sorted(unique, reverse=True)]
    return LList([p[0] for p in ordered], getattr(value, "span", None) or span, [p[1] for p in ordered])


def _principals(blocks: Any, span: Span) -> Any:
    if isinstance(blocks, (Unknown, Choice)):
        return blocks
    items = blocks if isinstance(blocks, list) else [blocks]
    parsed: list[tuple[Any, Any, Span]] = []
    for index, block in enumerate(items):
        if isinstance(block, (Unknown, Choice)):
            return block
        if not isinstance(block, dict):
            continue
        item_span = (items.span_of(index) if isinstance(items, LList) else None) or span
        ptype = block.get("type")
        if isinstance(ptype, (Unknown, Choice)):
            return ptype
        identifiers = _string_set(block.get("identifiers"), item_span, True)
        parsed.append((ptype, identifiers, item_span))
    if len(parsed) == 1 and parsed[0][0] == "*" and parsed[0][1] == "*":
        return LStr("*", parsed[0][2])
    result = LDict(span=getattr(blocks, "span", None) or span)
    for ptype, identifiers, item_span in parsed:
        key = str(ptype)
        if identifiers is None:
            continue
        existing = result.get(key)
        if existing is None:
            result.set(key, identifiers, item_span)
            continue
        merged = LList(span=item_span)
        for part in (existing, identifiers):
            if isinstance(part, LList):
                for j, ident in enumerate(part):
                    merged.add(ident, part.span_of(j))
            else:
                merged.add(part, getattr(part, "span", None) or item_span)
        result.set(key, merged, item_span)
    return _sorted_dict(result)


def _sorted_dict(value: LDict) -> LDict:
    out = LDict(span=value.span)
    for key in sorted(value):
        out.set(key, value[key], value.key_spans.get(key))
    return out


def _conditions(blocks: Any, span: Span) -> Any:
    if isinstance(blocks, (Unknown, Choice)):
        return blocks
    items = blocks if isinstance(blocks, list) else [blocks]
    grouped: dict[str, LDict] = {}
    test_spans: dict[str, Span] = {}
    unknowns = LDict(span=span)
    for index, block in enumerate(items):
        item_span = (items.span_of(index) if isinstance(items, LList) else None) or span
        if not isinstance(block, dict):
            if isinstance(block, (Unknown, Choice)):
                unknowns.set(f"\x00unknown-{index}", block, item_span)
            continue
        test, variable, values = block.get("test"), block.get("variable"), block.get("values")
        if isinstance(test, (Unknown, Choice)) or isinstance(variable, (Unknown, Choice)):
            unknowns.set(f"\x00unknown-{index}", test if isinstance(test, (Unknown, Choice)) else variable, item_span)
            continue
        by_key = grouped.setdefault(str(test), LDict(span=item_span))
        test_spans.setdefault(str(test), item_span)
        if isinstance(values, (Unknown, Choice)):
            by_key.set(str(variable), values, item_span)
            continue
        existing = by_key.get(str(variable))
        merged = LList(span=item_span)
        if isinstance(existing, LList):
            for j, item in enumerate(existing):
                merged.add(item, existing.span_of(j))
        elif existing is not None:
            merged.add(existing, getattr(existing, "span", None))
        value_list = values if isinstance(values, list) else ([] if values is None else [values])
        for j, item in enumerate(value_list):
            value_span = value_list.span_of(j) if isinstance(value_list, LList) else item_span
            merged.add(_replace_vars(item), value_span)
        by_key.set(str(variable), merged[0] if len(merged) == 1 else merged, item_span)
    result = LDict(span=getattr(blocks, "span", None) or span)
    for test in sorted(grouped):
        result.set(test, _sorted_dict(grouped[test]), test_spans[test])
    for key, item in unknowns.items():
        result.set(key, item, unknowns.key_spans.get(key))
    return result
