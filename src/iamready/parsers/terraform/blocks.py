"""Reading blocks of a module: meta-arguments, literal attributes of a block, module sources, the key
and scope of one instance (``count.index``, ``each.key``), provider maps, and evaluating a block's body
(nested and ``dynamic`` blocks) into values with spans."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from iamready.model.value import MISSING, Cause, Choice, LDict, LList, LStr, Unknown, cause_of
from iamready.parsers.terraform import evaluator as E
from iamready.parsers.terraform.attributes import PLAN_FIX
from iamready.parsers.terraform.evaluator import EvalError, Scope

if TYPE_CHECKING:
    from iamready.parsers.terraform.module import ModuleInstance


META_ARGUMENTS = {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"}


def _is_local_source(source: str) -> bool:
    return source.startswith("./") or source.startswith("../") or source in (".", "..")


def _same_source(recorded: str, source: str) -> bool:
    """Whether modules.json's record is of this source: Terraform records registry sources with their
    host (``registry.terraform.io/ns/name/provider//sub``) and git sources as written."""

    def norm(text: str) -> str:
        text = text.strip().split("?", 1)[0].rstrip("/")
        for prefix in ("git::", "https://", "registry.terraform.io/"):
            text = text.removeprefix(prefix)
        return text.replace(".git//", "//").removesuffix(".git")

    return norm(recorded) == norm(source)


def _literal_attr(block: Any, name: str) -> Any:
    for item in block[4]:
        if item[0] == "A" and item[2] == name:
            expr = item[3]
            if expr[0] == "tmpl" and len(expr[2]) == 1 and isinstance(expr[2][0], str):
                return expr[2][0]
            if expr[0] == "tmpl" and not expr[2]:
                return ""
            if expr[0] == "lit":
                return expr[2]
            return MISSING
    return None


def _block_attr(block: Any, name: str) -> Any:
    for item in block[4]:
        if item[0] == "A" and item[2] == name:
            return item
    return None


_UNKNOWN_KEY: Any = Unknown("collection is not known")


def _label(key: Any) -> str:
    """How a cycle message names what is being evaluated."""
    if isinstance(key, tuple) and len(key) == 3:
        kind, rtype, name = key
        return f"data.{rtype}.{name}" if kind == "data" else f"{rtype}.{name}"
    if isinstance(key, tuple) and len(key) == 2:
        return f"{key[0]}.{key[1]}"
    return str(key)


def _provider_map(expr: Any, scope: Scope) -> Any:
    """``providers = { aws = aws.replica }``: provider configurations by the names the module uses.

    Keys and values name provider configurations (``aws``, ``aws.replica``), not values: they are
    read as written, never evaluated (evaluating ``aws.replica`` would look for a resource type).
    """
    if expr[0] != "object":
        return LStr(E.expr_text(expr), scope.span(expr[1]))
    out = LDict(span=scope.span(expr[1]))
    for key, value, sp in expr[2]:
        if key[0] == "lit":
            name = key[2]
        elif key[0] == "tmpl" and all(isinstance(part, str) for part in key[2]):  # a quoted key
            name = "".join(key[2])
        else:
            name = E.expr_text(key)
        out.set(str(name), LStr(E.expr_text(value), scope.span(value[1])), scope.span(sp))
    return out


def _why(value: Any) -> str:
    if isinstance(value, Unknown):
        return value.reason
    if isinstance(value, Choice):
        return f"depends on condition {value.condition}"
    return f"a {E.type_name(value)}"


def _key_suffix(key: Any, mode: str) -> str:
    if mode == "count":
        return f"[{key}]"
    if mode == "for_each":
        return "[" + json.dumps(str(key[0])) + "]"
    if mode == "unknown":
        return "[?]"
    return ""


def _instance_scope(instance: ModuleInstance, path: str, key: Any, mode: str, block: Any = None) -> Scope:
    if mode == "count":
        return Scope(instance, path, {"count": LDict({"index": key})})
    if mode == "for_each":
        return Scope(instance, path, {"each": LDict({"key": LStr(str(key[0])), "value": key[1]})})
    if mode == "unknown":
        unknown = Unknown(
            "the instance key is not known (count/for_each over an unknown collection)",
            None,
            instance._expand_causes.get(id(block)),
        )
        return Scope(
            instance,
            path,
            {"each": LDict({"key": unknown, "value": unknown}), "count": LDict({"index": unknown})},
        )
    return Scope(instance, path)


class _InstanceMap(LDict):
    """The instances of a for_each resource, by key; splat works on the values."""

    __slots__ = ()
    is_instances = True


def _eval_body(
    instance: ModuleInstance,
    body: tuple[Any, ...],
    scope: Scope,
    what: str,
    skip: set[str] | frozenset[str] = frozenset(),
    attr_prefix: str = "",
) -> LDict:
    """Evaluate a block body: attributes, nested blocks (as lists of objects), dynamic blocks."""
    out = LDict()
    for item in body:
        if item[0] == "A":
            name = item[2]
            if name in skip:
                continue
            if scope.refs is None:
                value = instance._eval_guarded(item[3], scope, f"{what}.{name}")
            else:
                sub: dict[str, str] = {}
                value = instance._eval_guarded(
                    item[3], Scope(scope.instance, scope.file, scope.bindings, sub), f"{what}.{name}"
                )
                for target, inner in sub.items():
                    scope.refs.setdefault(target, f"{attr_prefix}{name}" + (f".{inner}" if inner else ""))
            out.set(name, value, scope.span(item[1]))
        else:
            _, sp, btype, labels, inner = item
            if btype in skip:
                continue
            if btype == "dynamic" and labels:
                _dynamic(instance, item, scope, what, out)
                continue
            value = _eval_body(instance, inner, scope, f"{what}.{btype}", frozenset(), f"{attr_prefix}{btype}.")
            value.span = scope.span(sp)
            if labels:
                value.set("__labels__", list(labels), None)
            existing = out.get(btype)
            if not isinstance(existing, LList):
                existing = LList(span=scope.span(sp))
                out.set(btype, existing, scope.span(sp))
            existing.add(value, scope.span(sp))
    return out


def _dynamic(instance: ModuleInstance, item: Any, scope: Scope, what: str, out: LDict) -> None:
    _, sp, _btype, labels, inner = item
    name = labels[0]
    for_each = next((i for i in inner if i[0] == "A" and i[2] == "for_each"), None)
    iterator = next((i for i in inner if i[0] == "A" and i[2] == "iterator"), None)
    content = next((i for i in inner if i[0] == "B" and i[2] == "content"), None)
    it_name = name
    if iterator is not None and iterator[3][0] == "ref":
        it_name = iterator[3][2]
    existing = out.get(name)
    if not isinstance(existing, LList):
        existing = LList(span=scope.span(sp))
        out.set(name, existing, scope.span(sp))
    if for_each is None or content is None:
        return
    coll = instance._eval_guarded(for_each[3], scope, f"{what}.dynamic {name}.for_each")
    if E._is_unknown(coll):
        reason = _why(coll)
        cause = cause_of(coll) or Cause(
            f"dynamic {name!r} blocks iterate over an unknown collection ({reason}); they are not checked",
            scope.span(for_each[1]),
            PLAN_FIX,
        )
        existing.add(
            Unknown(f"dynamic {name} blocks over an unknown collection: {reason}", scope.span(sp), cause),
            scope.span(sp),
        )
        return
    try:
        pairs = E._iterate(coll, sp)
    except EvalError as exc:
        instance.loader.note_unresolved(f"{what}.dynamic {name}: {exc.message}", scope.span(sp), "warning")
        return
    for key, value in pairs:
        inner_scope = scope.child(**{it_name: LDict({"key": key, "value": value})})
        block_value = _eval_body(instance, content[4], inner_scope, f"{what}.{name}", frozenset(), f"{name}.")
        block_value.span = scope.span(content[1])
        existing.add(block_value, scope.span(content[1]))
