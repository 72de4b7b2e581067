"""Terraform type constraints: a variable's value converted to its declared type (``list(string)``,
``object({...})``, ``optional()``), and values given on the command line (``--var``) read as Terraform
reads them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from iamready.model.value import MISSING, Choice, LDict, LList, LStr, Unknown
from iamready.parsers.terraform import evaluator as E
from iamready.parsers.terraform.evaluator import Scope

if TYPE_CHECKING:
    from iamready.parsers.terraform.module import ModuleInstance


class CliText(str):
    """A ``--var NAME=VALUE`` value, parsed once the variable's declared type is known."""

    __slots__ = ()


def _literal_mode(type_node: Any) -> bool:
    """Terraform takes ``--var`` values literally for untyped and primitive-typed variables."""
    if type_node is None:
        return True
    if type_node[0] == "ref":
        return type_node[2] in ("string", "number", "bool")
    if type_node[0] == "tmpl":  # legacy quoted type hints: "string", "list", "map"
        return type_node[2] == ("string",)
    return False


def convert_type(instance: ModuleInstance, value: Any, type_node: Any, scope: Scope, depth: int = 0) -> Any:
    """Convert ``value`` to a declared variable type, the way Terraform does, as far as it matters here.

    Primitive conversions (``"3"`` to a number, ``true`` to ``"true"``), sets (distinct and sorted),
    and ``optional(type, default)`` attributes of objects (the default fills a missing attribute).
    A value that does not fit is left as it is: this is not a type checker.
    """
    if type_node is None or depth > 50 or isinstance(value, (Unknown, Choice)) or value is None:
        return value
    kind = type_node[0]
    if kind == "ref":
        name = type_node[2]
        span = getattr(value, "span", None)
        if name == "string" and isinstance(value, (bool, int, float)) and not isinstance(value, str):
            return LStr(E.to_string(value), span)
        if name == "number" and isinstance(value, str):
            try:
                return int(value) if re.fullmatch(r"-?\d+", value.strip()) else float(value)
            except ValueError:
                return value
        if name == "bool" and isinstance(value, str) and value in ("true", "false"):
            return value == "true"
        return value
    if kind != "call" or not type_node[3]:
        return value
    name, args = type_node[2], type_node[3]
    element = args[0]
    if name in ("list", "set") and isinstance(value, list):
        items = LList(span=getattr(value, "span", None))
        for index, item in enumerate(value):
            span = value.span_of(index) if isinstance(value, LList) else None
            items.add(convert_type(instance, item, element, scope, depth + 1), span)
        if name == "set" and all(isinstance(i, str) and not isinstance(i, Unknown) for i in items):
            order = sorted(range(len(items)), key=lambda i: str(items[i]))
            unique: LList = LList(span=items.span)
            for i in order:
                if not unique or str(unique[-1]) != str(items[i]):
                    unique.add(items[i], items.span_of(i))
            return unique
        return items
    if name == "map" and isinstance(value, dict):
        out = LDict(span=getattr(value, "span", None))
        for key, item in value.items():
            span = value.key_spans.get(key) if isinstance(value, LDict) else None
            out.set(key, convert_type(instance, item, element, scope, depth + 1), span)
        return out
    if name == "object" and isinstance(value, dict) and element[0] == "object":
        out = LDict(span=getattr(value, "span", None))
        for key, item in value.items():
            out.set(key, item, value.key_spans.get(key) if isinstance(value, LDict) else None)
        for key_node, attr_type, _sp in element[2]:
            key = key_node[2] if key_node[0] == "lit" else E.expr_text(key_node)
            optional_default: Any = MISSING
            if attr_type[0] == "call" and attr_type[2] == "optional" and attr_type[3]:
                if len(attr_type[3]) > 1:
                    optional_default = attr_type[3][1]
                attr_type = attr_type[3][0]
            if key in out and out[key] is not None:
                out[key] = convert_type(instance, out[key], attr_type, scope, depth + 1)
            elif optional_default is not MISSING:
                default = instance._eval_guarded(optional_default, scope, f"default of optional attribute {key}")
                out.set(
                    key, convert_type(instance, default, attr_type, scope, depth + 1), scope.span(optional_default[1])
                )
            elif key not in out:
                out.set(key, None, None)
        return out
    return value
