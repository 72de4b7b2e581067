"""``data "aws_iam_policy_document"`` rendered the way the AWS provider renders it.

The result is the policy JSON (``Version``, ``Statement`` with ``Sid``, ``Effect``, ``Action`` /
``NotAction``, ``Resource`` / ``NotResource``, ``Principal`` / ``NotPrincipal``, ``Condition``).
Statements are merged in the provider's order: ``source_json`` and ``source_policy_documents``
first, then the document's own ``statement`` blocks, then ``override_json`` and
``override_policy_documents``; a statement with a non-empty ``Sid`` replaces an earlier statement
with the same ``Sid`` in place, any other statement is appended.

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
    contains_unknown,
    first_unknown,
    plain,
)
from iamready.parsers.terraform.evaluator import PartialDoc

if TYPE_CHECKING:
    from iamready.parsers.terraform.module import InstanceRef

_LIST_FIELDS = (
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)


def render(inst: InstanceRef, span: Span) -> Any:
    cached = getattr(inst, "_rendered", None)
    if cached is not None:
        return cached
    if getattr(inst, "_rendering", False):
        return Unknown(f"{inst.address} refers to itself", span)
    inst._rendering = True  # type: ignore[attr-defined]
    try:
        result = _render(inst, span)
    finally:
        inst._rendering = False  # type: ignore[attr-defined]
    inst._rendered = result  # type: ignore[attr-defined]
    return result


def _render(inst: InstanceRef, span: Span) -> Any:
    block_span = Span(inst.path, *inst.block[1])
    doc = LDict(span=block_span)
    version = inst.attr_value("version")
    doc.set("Version", version if isinstance(version, str) else "2012-10-17", None)
    policy_id = inst.attr_value("policy_id")
    if isinstance(policy_id, str) and policy_id:
        doc.set("Id", policy_id, None)
    statements = LList(span=block_span)
    for source_attr in ("source_json", "source_policy_documents"):
        for stmt in _statements_of(inst.attr_value(source_attr), block_span):
            _merge(statements, stmt)
    own = inst.attr_value("statement")
    if isinstance(own, (Unknown, Choice)):
        statements.add(own, block_span)
    elif isinstance(own, list):
        for index, block in enumerate(own):
            item_span = own.span_of(index) if isinstance(own, LList) else block_span
            if isinstance(block, dict):
                _merge(statements, _statement(block, item_span or block_span))
            else:
                statements.add(block, item_span)
    for override_attr in ("override_json", "override_policy_documents"):
        for stmt in _statements_of(inst.attr_value(override_attr), block_span):
            _merge(statements, stmt)
    statement_span = block_span
    doc.set("Statement", statements, statement_span)
    if contains_unknown(doc):
        hole = first_unknown(doc)
        reason = hole.reason if isinstance(hole, Unknown) else f"depends on condition {hole.condition}"
        return PartialDoc(reason, span, doc=doc)
    return LStr(json.dumps(plain(doc), sort_keys=False), span, doc=doc)


def _merge(statements: LList, stmt: Any) -> None:
    sid = stmt.get("Sid") if isinstance(stmt, dict) else None
    if isinstance(sid, str) and sid:
        for index, existing in enumerate(statements):
            if isinstance(existing, dict) and existing.get("Sid") == sid:
                statements[index] = stmt
                statements.item_spans[index] = getattr(stmt, "span", None)
                return
    statements.add(stmt, getattr(stmt, "span", None))


def _statements_of(value: Any, fallback: Span) -> list[Any]:
    """Statements of a JSON policy given as a string, a list of strings, or unknown."""
    if value is MISSING or value is None:
        return []
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            out.extend(_statements_of(item, fallback))
        return out
    doc = document_of(value, fallback)
    if isinstance(doc, Unknown):
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
    from iamready.parsers.terraform.functions import decode_partial

    if isinstance(value, dict):
        return value
    if isinstance(value, PartialDoc):
        doc = decode_partial(value)
        return doc if doc is not None else Unknown(value.reason, value.span)
    if isinstance(value, (Unknown, Choice)):
        return value if isinstance(value, Unknown) else Unknown(f"depends on condition {value.condition}", value.span)
    if isinstance(value, LStr) and value.doc is not None:
        return value.doc
    if isinstance(value, str):
        from iamready.jsonpos import JsonPosError, loads

        origin = getattr(value, "origin", None) or getattr(value, "span", None) or fallback
        try:
            doc, _ = loads(str(value), origin.path, origin.start_line, origin.start_col)
        except JsonPosError as exc:
            return Unknown(f"policy is not valid JSON: {exc.message}", getattr(value, "span", None) or fallback)
        return doc
    return Unknown("policy is not a JSON document", fallback)


def _statement(block: dict[str, Any], span: Span) -> LDict:
    spans = block.key_spans if isinstance(block, LDict) else {}
    out = LDict(span=span)
    sid = block.get("sid")
    if isinstance(sid, (Unknown, Choice)) or (isinstance(sid, str) and sid):
        out.set("Sid", sid, spans.get("sid"))
    effect = block.get("effect", "Allow")
    out.set("Effect", effect if effect is not None else "Allow", spans.get("effect") or span)
    for attr, key in _LIST_FIELDS:
        if attr in block and block[attr] is not None:
            out.set(key, block[attr], spans.get(attr))
    for attr, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if attr in block and block[attr] is not None:
            out.set(key, _principals(block[attr], span), spans.get(attr))
    if "condition" in block and block["condition"] is not None:
        out.set("Condition", _conditions(block["condition"], span), spans.get("condition"))
    return out


def _principals(blocks: Any, span: Span) -> Any:
    if isinstance(blocks, (Unknown, Choice)):
        return blocks
    result = LDict(span=getattr(blocks, "span", span))
    for index, block in enumerate(blocks if isinstance(blocks, list) else [blocks]):
        if isinstance(block, (Unknown, Choice)):
            return block
        if not isinstance(block, dict):
            continue
        ptype = block.get("type")
        identifiers = block.get("identifiers")
        item_span = blocks.span_of(index) if isinstance(blocks, LList) else span
        if isinstance(ptype, (Unknown, Choice)):
            return ptype
        if ptype == "*":
            return LStr("*", item_span)
        values = result.get(ptype)
        if not isinstance(values, LList):
            values = LList(span=item_span)
            result.set(str(ptype), values, item_span)
        if isinstance(identifiers, list):
            for j, ident in enumerate(identifiers):
                values.add(ident, identifiers.span_of(j) if isinstance(identifiers, LList) else item_span)
        elif identifiers is not None:
            values.add(identifiers, item_span)
    return result


def _conditions(blocks: Any, span: Span) -> Any:
    if isinstance(blocks, (Unknown, Choice)):
        return blocks
    result = LDict(span=getattr(blocks, "span", span))
    for index, block in enumerate(blocks if isinstance(blocks, list) else [blocks]):
        if not isinstance(block, dict):
            if isinstance(block, (Unknown, Choice)):
                result.set(f"\x00unknown-{index}", block, span)
            continue
        item_span = blocks.span_of(index) if isinstance(blocks, LList) else span
        test, variable, values = block.get("test"), block.get("variable"), block.get("values")
        if isinstance(test, (Unknown, Choice)) or isinstance(variable, (Unknown, Choice)):
            result.set(f"\x00unknown-{index}", test if isinstance(test, (Unknown, Choice)) else variable, item_span)
            continue
        by_key = result.get(str(test))
        if not isinstance(by_key, LDict):
            by_key = LDict(span=item_span)
            result.set(str(test), by_key, item_span)
        existing = by_key.get(str(variable))
        merged = LList(span=item_span)
        if isinstance(existing, list):
            merged.extend(existing)
        if isinstance(values, list):
            merged.extend(values)
        elif values is not None:
            merged.append(values)
        by_key.set(str(variable), values if isinstance(values, (Unknown, Choice)) else merged, item_span)
    return result
