"""Terraform functions that matter for IAM and S3 code.

Every function takes the evaluated arguments, the scope and the call's position. An argument
that is unknown makes the result unknown (except where the function can still answer, such as
``coalesce`` or ``length`` of a list with unknown items). A function that is not here yields an
unknown value and a note, never an exception.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any

from iamready.model.value import Choice, LDict, LList, LStr, Unknown, cause_of, plain
from iamready.parsers.terraform.evaluator import (
    MAX_ITEMS,
    MAX_STRING,
    EvalError,
    LimitExceeded,
    PartialDoc,
    Scope,
    _is_unknown,
    _unknown_of,
    decode_partial,
    ev,
    to_string,
    type_name,
)

Fn = Callable[[list[Any], Scope, Any], Any]
FUNCTIONS: dict[str, Fn] = {}
LAZY_FUNCTIONS: dict[str, Callable[[tuple[Any, ...], Scope, Any], Any]] = {}

MAX_FILE = 2 * 1024 * 1024


def fn(name: str, *, unknown_ok: bool = False) -> Callable[[Fn], Fn]:
    def register(func: Fn) -> Fn:
        def wrapper(args: list[Any], scope: Scope, sp: Any) -> Any:
            if not unknown_ok:
                for arg in args:
                    if _is_unknown(arg):
                        return _unknown_of(arg, f"arguments of {name}() are not known")
            return func(args, scope, sp)

        FUNCTIONS[name] = wrapper
        return func

    return register


def _arity(name: str, args: list[Any], n: int, sp: Any, at_least: bool = False) -> None:
    if (len(args) < n) if at_least else (len(args) != n):
        raise EvalError(f"{name}() takes {'at least ' if at_least else ''}{n} argument(s), got {len(args)}", sp)


def _str(value: Any, sp: Any) -> str:
    return to_string(value, sp)


def _list(value: Any, sp: Any, name: str) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and getattr(value, "is_instances", False):
        return list(value.values())
    raise EvalError(f"{name}() needs a list, not {type_name(value)}", sp)


def _new_list(items: list[Any], spans: list[Any] | None = None) -> LList:
    if len(items) > MAX_ITEMS:
        raise LimitExceeded(f"list longer than {MAX_ITEMS} items")
    return LList(items, item_spans=spans if spans is not None else [getattr(i, "span", None) for i in items])


def _check_len(text: str) -> str:
    if len(text) > MAX_STRING:
        raise LimitExceeded(f"string longer than {MAX_STRING} characters")
    return text


# -- encoding ------------------------------------------------------------------------------
@fn("jsonencode", unknown_ok=True)
def _jsonencode(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("jsonencode", args, 1, sp)
    value = args[0]
    if isinstance(value, (Unknown, Choice)) and not isinstance(value, PartialDoc):
        return _unknown_of(value, "jsonencode() of an unknown value")
    if isinstance(value, PartialDoc):
        return value
    from iamready.model.value import contains_unknown, first_unknown

    if contains_unknown(value):
        hole = first_unknown(value)
        reason = hole.reason if isinstance(hole, Unknown) else f"depends on condition {hole.condition}"
        return PartialDoc(reason, scope.span(sp), doc=value, cause=cause_of(value))
    try:
        text = encode_json(_jsonable(value))
    except (TypeError, ValueError) as exc:
        raise EvalError(f"jsonencode(): {exc}", sp) from None
    return LStr(_check_len(text), scope.span(sp), doc=value)


_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def encode_json(value: Any) -> str:
    """JSON text as Terraform's ``jsonencode`` writes it: compact, keys sorted, ``<>&`` escaped, UTF-8 kept."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False).translate(_JSON_ESCAPES)


def _jsonable(value: Any, depth: int = 0) -> Any:
    if depth > 500:
        raise LimitExceeded("value nested too deeply to encode")
    if isinstance(value, dict):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v, depth + 1) for v in value]
    if isinstance(value, LStr):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    raise EvalError(f"cannot encode {type_name(value)} as JSON")


@fn("jsondecode", unknown_ok=True)
def _jsondecode(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("jsondecode", args, 1, sp)
    text = args[0]
    if isinstance(text, PartialDoc):
        doc = decode_partial(text)
        return doc if doc is not None else Unknown(text.reason, text.span, text.cause)
    if _is_unknown(text):
        return _unknown_of(text, "jsondecode() of an unknown value")
    if isinstance(text, LStr) and text.doc is not None:
        return text.doc
    return decode_json_text(_str(text, sp), text, scope, sp)


def decode_json_text(text: str, source: Any, scope: Scope, sp: Any) -> Any:
    from iamready.jsonpos import JsonPosError, loads

    origin = getattr(source, "origin", None) or getattr(source, "span", None)
    try:
        if origin is not None:
            value, _ = loads(text, origin.path, origin.start_line, origin.start_col)
        else:
            value, _ = loads(text, scope.file, sp[0], sp[1])
    except JsonPosError as exc:
        raise EvalError(f"jsondecode(): invalid JSON: {exc.message}", sp) from None
    return value


# -- collections ---------------------------------------------------------------------------
@fn("merge", unknown_ok=True)
def _merge(args: list[Any], scope: Scope, sp: Any) -> Any:
    out = LDict(span=scope.span(sp))
    for arg in args:
        if arg is None:
            continue
        if _is_unknown(arg):
            return _unknown_of(arg, "merge() of an unknown value")
        if not isinstance(arg, dict):
            raise EvalError(f"merge() needs objects, not {type_name(arg)}", sp)
        for key, value in arg.items():
            span = arg.key_spans.get(key) if isinstance(arg, LDict) else None
            out.set(key, value, span)
    return out


@fn("concat")
def _concat(args: list[Any], scope: Scope, sp: Any) -> Any:
    items: list[Any] = []
    spans: list[Any] = []
    for arg in args:
        seq = _list(arg, sp, "concat")
        items.extend(seq)
        spans.extend(seq.span_of(i) if isinstance(seq, LList) else getattr(v, "span", None) for i, v in enumerate(seq))
    out = _new_list(items, spans)
    out.span = scope.span(sp)
    return out


@fn("flatten")
def _flatten(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("flatten", args, 1, sp)
    items: list[Any] = []
    spans: list[Any] = []

    def walk(seq: Any, depth: int) -> None:
        if depth > 100:
            raise LimitExceeded("flatten(): nested too deeply", sp)
        for i, item in enumerate(seq):
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                items.append(item)
                spans.append(seq.span_of(i) if isinstance(seq, LList) else None)
            if len(items) > MAX_ITEMS:
                raise LimitExceeded("flatten(): too many items", sp)

    walk(_list(args[0], sp, "flatten"), 0)
    if any(_is_unknown(i) for i in items):
        pass
    out = _new_list(items, spans)
    out.span = scope.span(sp)
    return out


@fn("distinct")
def _distinct(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("distinct", args, 1, sp)
    seq = _list(args[0], sp, "distinct")
    out = LList(span=scope.span(sp))
    seen: list[Any] = []
    for i, item in enumerate(seq):
        key = _hashable(item)
        if key in seen:
            continue
        seen.append(key)
        out.add(item, seq.span_of(i) if isinstance(seq, LList) else None)
    return out


def _hashable(value: Any) -> Any:
    try:
        return json.dumps(plain(value), sort_keys=True, default=repr)
    except (TypeError, ValueError):
        return repr(value)


@fn("compact")
def _compact(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("compact", args, 1, sp)
    seq = _list(args[0], sp, "compact")
    out = LList(span=scope.span(sp))
    for i, item in enumerate(seq):
        if item is None or item == "":
            continue
        out.add(item, seq.span_of(i) if isinstance(seq, LList) else None)
    return out


@fn("toset")
def _toset(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("toset", args, 1, sp)
    result = _distinct(args, scope, sp)
    if all(isinstance(i, str) for i in result):
        order = sorted(range(len(result)), key=lambda i: str(result[i]))
        return LList([result[i] for i in order], scope.span(sp), [result.span_of(i) for i in order])
    return result


@fn("tolist")
def _tolist(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("tolist", args, 1, sp)
    return _list(args[0], sp, "tolist")


@fn("tomap")
def _tomap(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("tomap", args, 1, sp)
    if not isinstance(args[0], dict):
        raise EvalError("tomap() needs an object", sp)
    return args[0]


@fn("length", unknown_ok=True)
def _length(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("length", args, 1, sp)
    value = args[0]
    if _is_unknown(value):
        return _unknown_of(value, "length() of an unknown value")
    if isinstance(value, (list, dict, str)):
        return len(value)
    raise EvalError(f"length() of {type_name(value)}", sp)


@fn("keys")
def _keys(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("keys", args, 1, sp)
    if not isinstance(args[0], dict):
        raise EvalError("keys() needs an object", sp)
    return LList(sorted(args[0]), scope.span(sp))


@fn("values")
def _values(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("values", args, 1, sp)
    value = args[0]
    if not isinstance(value, dict):
        raise EvalError("values() needs an object", sp)
    keys = sorted(value)
    spans = [value.key_spans.get(k) if isinstance(value, LDict) else None for k in keys]
    return LList([value[k] for k in keys], scope.span(sp), spans)


@fn("lookup", unknown_ok=True)
def _lookup(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("lookup", args, 2, sp, at_least=True)
    mapping, key = args[0], args[1]
    if _is_unknown(mapping) or _is_unknown(key):
        return _unknown_of(mapping if _is_unknown(mapping) else key, "lookup() of an unknown value")
    if not isinstance(mapping, dict):
        raise EvalError("lookup() needs a map", sp)
    skey = _str(key, sp)
    if skey in mapping:
        return mapping[skey]
    if len(args) > 2:
        return args[2]
    raise EvalError(f"lookup(): key {skey!r} not found and no default", sp)


@fn("element")
def _element(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("element", args, 2, sp)
    seq = _list(args[0], sp, "element")
    if not seq:
        raise EvalError("element() of an empty list", sp)
    index = int(args[1])
    return seq[index % len(seq)]


@fn("contains")
def _contains(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("contains", args, 2, sp)
    seq = _list(args[0], sp, "contains")
    if any(_is_unknown(i) for i in seq):
        return Unknown("contains() over a list with unknown items", scope.span(sp))
    return any(_hashable(i) == _hashable(args[1]) for i in seq)


@fn("coalesce", unknown_ok=True)
def _coalesce(args: list[Any], scope: Scope, sp: Any) -> Any:
    for arg in args:
        if _is_unknown(arg):
            return _unknown_of(arg, "coalesce() of an unknown value")
        if arg is not None and arg != "":
            return arg
    raise EvalError("coalesce(): no non-null argument", sp)


@fn("coalescelist")
def _coalescelist(args: list[Any], scope: Scope, sp: Any) -> Any:
    for arg in args:
        if isinstance(arg, list) and arg:
            return arg
    raise EvalError("coalescelist(): no non-empty list", sp)


@fn("one")
def _one(args: list[Any], scope: Scope, sp: Any) -> Any:
    seq = _list(args[0], sp, "one")
    if len(seq) > 1:
        raise EvalError("one(): more than one element", sp)
    return seq[0] if seq else None


@fn("slice")
def _slice(args: list[Any], scope: Scope, sp: Any) -> Any:
    seq = _list(args[0], sp, "slice")
    return LList(seq[int(args[1]) : int(args[2])], scope.span(sp))


@fn("reverse")
def _reverse(args: list[Any], scope: Scope, sp: Any) -> Any:
    return LList(list(reversed(_list(args[0], sp, "reverse"))), scope.span(sp))


@fn("sort")
def _sort(args: list[Any], scope: Scope, sp: Any) -> Any:
    return LList(sorted(_list(args[0], sp, "sort"), key=lambda v: _str(v, sp)), scope.span(sp))


@fn("zipmap")
def _zipmap(args: list[Any], scope: Scope, sp: Any) -> Any:
    keys, vals = _list(args[0], sp, "zipmap"), _list(args[1], sp, "zipmap")
    out = LDict(span=scope.span(sp))
    for key, value in zip(keys, vals):
        out.set(_str(key, sp), value, getattr(value, "span", None))
    return out


@fn("setunion")
def _setunion(args: list[Any], scope: Scope, sp: Any) -> Any:
    return _distinct([_concat(args, scope, sp)], scope, sp)


@fn("range")
def _range(args: list[Any], scope: Scope, sp: Any) -> Any:
    numbers = [int(a) for a in args]
    if not 1 <= len(numbers) <= 3:
        raise EvalError("range() takes 1 to 3 arguments", sp)
    rng = range(*numbers)
    if len(rng) > MAX_ITEMS:
        raise LimitExceeded(f"range() of more than {MAX_ITEMS} items", sp)
    return LList(list(rng), scope.span(sp))


@fn("sum")
def _sum(args: list[Any], scope: Scope, sp: Any) -> Any:
    return sum(_list(args[0], sp, "sum"))


@fn("min")
def _min(args: list[Any], scope: Scope, sp: Any) -> Any:
    return min(args)


@fn("max")
def _max(args: list[Any], scope: Scope, sp: Any) -> Any:
    return max(args)


# -- strings -------------------------------------------------------------------------------
@fn("format")
def _format(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("format", args, 1, sp, at_least=True)
    return LStr(_check_len(_printf(_str(args[0], sp), args[1:], sp)), scope.span(sp))


_VERB = re.compile(r"%(?:\[(\d+)\])?([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


def _printf(spec: str, values: list[Any], sp: Any) -> str:
    index = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal index
        verb = m.group(5)
        if verb == "%":
            return "%"
        if m.group(1):
            index = int(m.group(1)) - 1
        if index >= len(values):
            raise EvalError("format(): not enough arguments", sp)
        value = values[index]
        index += 1
        flags, width, precision = m.group(2) or "", m.group(3) or "", m.group(4)
        if (width and int(width) > MAX_WIDTH) or (precision and int(precision) > MAX_WIDTH):
            raise LimitExceeded(f"format(): width or precision larger than {MAX_WIDTH}", sp)
        if verb in ("s", "v", "q"):
            text = json.dumps(plain(value)) if isinstance(value, (list, dict)) else _str(value, sp)
            if verb == "q":
                text = json.dumps(text, ensure_ascii=False)
            if precision is not None and verb == "s":
                text = text[: int(precision)]
            return _pad(text, flags, width)
        if verb == "t":
            return _pad("true" if value else "false", flags, width)
        number = _number_arg(value, sp)
        if verb in ("d", "b", "o", "x", "X"):
            base = {"d": "d", "b": "b", "o": "o", "x": "x", "X": "X"}[verb]
            sign = "+" if "+" in flags else (" " if " " in flags else "-")
            fill = "0" if "0" in flags and "-" not in flags else ""
            align = "<" if "-" in flags else ""
            return format(int(number), f"{align}{sign}{fill}{width}{base}")
        if verb in ("f", "F", "e", "E", "g", "G"):
            sign = "+" if "+" in flags else (" " if " " in flags else "-")
            fill = "0" if "0" in flags and "-" not in flags else ""
            align = "<" if "-" in flags else ""
            places = f".{precision}" if precision is not None else (".6" if verb in "fFeE" else "")
            return format(float(number), f"{align}{sign}{fill}{width}{places}{verb}")
        raise EvalError(f"format(): unsupported verb %{verb}", sp)

    return _VERB.sub(repl, spec)


MAX_WIDTH = 10_000


def _pad(text: str, flags: str, width: str) -> str:
    if not width:
        return text
    if int(width) > MAX_WIDTH:
        raise LimitExceeded(f"format(): width {width} is larger than {MAX_WIDTH}")
    return text.ljust(int(width)) if "-" in flags else text.rjust(int(width))


def _number_arg(value: Any, sp: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise EvalError(f"format(): a number is required, not {type_name(value)}", sp)
    if isinstance(value, str):
        try:
            return int(value) if re.fullmatch(r"-?\d+", value.strip()) else float(value)
        except ValueError:
            raise EvalError(f"format(): {value!r} is not a number", sp) from None
    return value


@fn("formatlist")
def _formatlist(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("formatlist", args, 1, sp, at_least=True)
    spec = _str(args[0], sp)
    lists = [a for a in args[1:] if isinstance(a, list)]
    length = len(lists[0]) if lists else 1
    out = LList(span=scope.span(sp))
    for i in range(length):
        row = [a[i] if isinstance(a, list) else a for a in args[1:]]
        if any(_is_unknown(v) for v in row):
            out.add(Unknown("formatlist() item is not known", scope.span(sp)), None)
        else:
            out.add(_printf(spec, row, sp), None)
    return out


@fn("join")
def _join(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("join", args, 2, sp, at_least=True)
    items: list[Any] = []
    for seq in args[1:]:
        items.extend(_list(seq, sp, "join"))
    for item in items:
        if _is_unknown(item):
            return _unknown_of(item, "join() of unknown items")
    return LStr(_check_len(_str(args[0], sp).join(_str(i, sp) for i in items)), scope.span(sp))


@fn("split")
def _split(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("split", args, 2, sp)
    sep, text = _str(args[0], sp), _str(args[1], sp)
    parts = list(text) if not sep else text.split(sep)
    out = _new_list(parts, [None] * len(parts))
    out.span = scope.span(sp)
    return out


_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")


@fn("replace")
def _replace(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("replace", args, 3, sp)
    text, old, new = (_str(a, sp) for a in args)
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        if _NESTED_QUANTIFIER.search(old):
            # Terraform's regular expressions run in linear time; Python's backtracking ones may not
            raise LimitExceeded("replace(): pattern with nested repetition is not evaluated by iamready", sp)
        try:
            pattern = re.compile(old[1:-1])
        except re.error as exc:
            raise EvalError(f"replace(): invalid pattern: {exc}", sp) from None
        result = pattern.sub(re.sub(r"\$\{?(\d+)\}?", r"\\g<\1>", new), text)
    else:
        result = text.replace(old, new)
    return LStr(_check_len(result), scope.span(sp))


def _string_fn(name: str, op: Callable[[str], str]) -> None:
    def impl(args: list[Any], scope: Scope, sp: Any) -> Any:
        _arity(name, args, 1, sp)
        return LStr(op(_str(args[0], sp)), scope.span(sp))

    fn(name)(impl)


def _digest_fn(name: str) -> None:
    """md5/sha1/sha256/sha512: the hex digest of the string's UTF-8 bytes, as Terraform computes it (module
    authors key for_each maps with them: ``{ for p in var.policies : md5(p) => p }``)."""
    import hashlib

    def impl(args: list[Any], scope: Scope, sp: Any) -> Any:
        _arity(name, args, 1, sp)
        return LStr(hashlib.new(name, _str(args[0], sp).encode("utf-8")).hexdigest(), scope.span(sp))

    fn(name)(impl)


for _name in ("md5", "sha1", "sha256", "sha512"):
    _digest_fn(_name)

_string_fn("lower", str.lower)
_string_fn("upper", str.upper)
_string_fn("trimspace", str.strip)
_string_fn("title", str.title)
_string_fn("chomp", lambda s: s.rstrip("\r\n"))


@fn("trim")
def _trim(args: list[Any], scope: Scope, sp: Any) -> Any:
    return LStr(_str(args[0], sp).strip(_str(args[1], sp)), scope.span(sp))


@fn("trimprefix")
def _trimprefix(args: list[Any], scope: Scope, sp: Any) -> Any:
    text, prefix = _str(args[0], sp), _str(args[1], sp)
    return LStr(text[len(prefix) :] if prefix and text.startswith(prefix) else text, scope.span(sp))


@fn("trimsuffix")
def _trimsuffix(args: list[Any], scope: Scope, sp: Any) -> Any:
    text, suffix = _str(args[0], sp), _str(args[1], sp)
    return LStr(text[: -len(suffix)] if suffix and text.endswith(suffix) else text, scope.span(sp))


@fn("substr")
def _substr(args: list[Any], scope: Scope, sp: Any) -> Any:
    text, offset, length = _str(args[0], sp), int(args[1]), int(args[2])
    end = None if length < 0 else offset + length
    return LStr(text[offset:end], scope.span(sp))


@fn("startswith")
def _startswith(args: list[Any], scope: Scope, sp: Any) -> Any:
    return _str(args[0], sp).startswith(_str(args[1], sp))


@fn("endswith")
def _endswith(args: list[Any], scope: Scope, sp: Any) -> Any:
    return _str(args[0], sp).endswith(_str(args[1], sp))


@fn("strcontains")
def _strcontains(args: list[Any], scope: Scope, sp: Any) -> Any:
    return _str(args[1], sp) in _str(args[0], sp)


# -- conversions ---------------------------------------------------------------------------
@fn("tostring")
def _tostring(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("tostring", args, 1, sp)
    if args[0] is None:
        return None
    if isinstance(args[0], (list, dict)):
        raise EvalError("tostring() of a collection", sp)
    return LStr(_str(args[0], sp), scope.span(sp))


@fn("sensitive", unknown_ok=True)
def _sensitive(args: list[Any], scope: Scope, sp: Any) -> Any:
    """Marks a value as sensitive in Terraform's output; the value itself, references included, is unchanged."""
    _arity("sensitive", args, 1, sp)
    return args[0]


FUNCTIONS["nonsensitive"] = FUNCTIONS["sensitive"]


@fn("base64encode")
def _base64encode(args: list[Any], scope: Scope, sp: Any) -> Any:
    import base64

    _arity("base64encode", args, 1, sp)
    return LStr(_check_len(base64.b64encode(_str(args[0], sp).encode("utf-8")).decode("ascii")), scope.span(sp))


@fn("base64decode")
def _base64decode(args: list[Any], scope: Scope, sp: Any) -> Any:
    import base64
    import binascii

    _arity("base64decode", args, 1, sp)
    try:
        text = base64.b64decode(_str(args[0], sp), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise EvalError("base64decode(): the argument is not valid base64 of UTF-8 text", sp) from None
    return LStr(text, scope.span(sp))


@fn("tonumber")
def _tonumber(args: list[Any], scope: Scope, sp: Any) -> Any:
    value = args[0]
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    try:
        return int(_str(value, sp))
    except ValueError:
        try:
            return float(_str(value, sp))
        except ValueError:
            raise EvalError(f"tonumber(): {value!r} is not a number", sp) from None


@fn("tobool")
def _tobool(args: list[Any], scope: Scope, sp: Any) -> Any:
    value = args[0]
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"tobool(): {value!r} is not a bool", sp)


# -- lazy forms: try / can ----------------------------------------------------------------
def _try(arg_nodes: tuple[Any, ...], scope: Scope, sp: Any) -> Any:
    last_error: EvalError | None = None
    for node in arg_nodes:
        try:
            return ev(node, scope)
        except EvalError as exc:
            last_error = exc
    raise EvalError(f"try(): no argument succeeded ({last_error.message if last_error else 'no arguments'})", sp)


def _can(arg_nodes: tuple[Any, ...], scope: Scope, sp: Any) -> Any:
    if len(arg_nodes) != 1:
        raise EvalError("can() takes 1 argument", sp)
    try:
        value = ev(arg_nodes[0], scope)
    except EvalError:
        return False
    if _is_unknown(value):
        return _unknown_of(value, "can() of an unknown value")
    return True


LAZY_FUNCTIONS["try"] = _try
LAZY_FUNCTIONS["can"] = _can


# -- files: only inside the scanned tree ---------------------------------------------------
def _read_file(path_value: Any, scope: Scope, sp: Any, name: str) -> tuple[str, str] | Unknown:
    raw = _str(path_value, sp)
    loader = scope.instance.loader
    base = scope.instance.root_dir
    candidate = raw if os.path.isabs(raw) else os.path.join(base, raw)
    real = os.path.realpath(candidate)
    if not loader.is_inside_scan(real):
        loader.note_unresolved(
            f"{name}({raw!r}) points outside the repository being scanned and is not read", scope.span(sp)
        )
        return Unknown(f"{name}({raw!r}) is outside the repository being scanned", scope.span(sp))
    if os.path.exists(real) and not os.path.isfile(real):  # a FIFO or device would block or never end
        loader.note_unresolved(f"{name}({raw!r}) is not a regular file and is not read", scope.span(sp))
        return Unknown(f"{name}({raw!r}) is not a regular file", scope.span(sp))
    if not os.path.exists(real):  # Terraform's error: try() falls back, anything else is unknown where needed
        raise EvalError(f"{name}(): no file exists at {raw!r}", sp)
    try:
        size = os.path.getsize(real)
        if size > MAX_FILE:
            return Unknown(f"{name}({raw!r}) is larger than {MAX_FILE} bytes", scope.span(sp))
        with open(real, "rb") as handle:
            data = handle.read(MAX_FILE + 1)
        return real, data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        loader.note_unresolved(f"{name}({raw!r}) could not be read: {exc}", scope.span(sp))
        return Unknown(f"{name}({raw!r}) could not be read", scope.span(sp))


@fn("file")
def _file(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("file", args, 1, sp)
    result = _read_file(args[0], scope, sp, "file")
    if isinstance(result, Unknown):
        return result
    real, text = result
    from iamready.model.span import Span

    return LStr(text, scope.span(sp), origin=Span(real, 1, 1, 1, 1))


@fn("templatefile")
def _templatefile(args: list[Any], scope: Scope, sp: Any) -> Any:
    _arity("templatefile", args, 2, sp)
    if not isinstance(args[1], dict):
        raise EvalError("templatefile() needs an object of variables", sp)
    result = _read_file(args[0], scope, sp, "templatefile")
    if isinstance(result, Unknown):
        return result
    real, text = result
    from iamready.model.span import Span
    from iamready.parsers.terraform.evaluator import template_value
    from iamready.parsers.terraform.hcl import HclSyntaxError, parse_template

    try:
        parts = parse_template(text, 1, 1)
    except HclSyntaxError as exc:
        raise EvalError(f"templatefile(): {exc.message} in {os.path.basename(real)} line {exc.line}", sp) from None
    inner = Scope(scope.instance, real, {str(k): v for k, v in args[1].items()}, scope.refs)
    try:
        return template_value(parts, inner, scope.span(sp), Span(real, 1, 1, 1, 1), track=True)
    except EvalError as exc:
        where = f" line {exc.sp[0]}" if exc.sp else ""
        raise EvalError(f"templatefile(): {exc.message} in {os.path.basename(real)}{where}", sp) from None


# functions whose result depends on things a static scan cannot know; named so the note is precise
for _name in ("timestamp", "uuid", "bcrypt", "plantimestamp", "uuidv5"):

    def _nondeterministic(args: list[Any], scope: Scope, sp: Any, _n: str = _name) -> Any:
        return Unknown(f"{_n}() is only known at apply time", scope.span(sp))

    FUNCTIONS[_name] = _nondeterministic
