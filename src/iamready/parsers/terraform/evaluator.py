"""Evaluate Terraform expressions (the tuple syntax tree of :mod:`hcl`) to values.

Values are plain Python data decorated as described in :mod:`iamready.model.value`. What cannot
be known statically (a variable without a value, a computed attribute, an unsupported function)
becomes :class:`Unknown` with a reason, never an exception; real errors inside an expression
(indexing a missing key, calling a function with wrong arguments) raise :class:`EvalError`,
which ``try()``/``can()`` catch and which otherwise turn into an ``Unknown`` at the attribute.

Work is bounded: every node evaluated costs a step from a :class:`Budget`, and strings and
collections have size limits, so hostile input ends with an ``Unknown`` instead of a hang.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from iamready.model.span import Span
from iamready.model.value import Cause, Choice, LDict, LList, LStr, Unknown, cause_of

if TYPE_CHECKING:
    from iamready.parsers.terraform.module import ModuleInstance

Node = tuple[Any, ...]

MAX_STRING = 4 * 1024 * 1024
MAX_ITEMS = 100_000
MAX_INT_BITS = 4096  # arithmetic on larger integers costs seconds per operation: past this, an error


class EvalError(Exception):
    """An expression that Terraform itself would reject."""

    def __init__(self, message: str, sp: tuple[int, int, int, int] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.sp = sp


class LimitExceeded(EvalError):
    """A value refused by a safety limit (size, depth, width): said where it happens, need or not."""


class BudgetExceeded(Exception):
    def __init__(self, whole_scan: bool = True) -> None:
        super().__init__("evaluation budget exhausted")
        self.whole_scan = whole_scan


class Budget:
    """Counts evaluation steps for one scan; past the limit every evaluation is Unknown.

    One attribute (with everything it pulls in) may take at most ``per_value`` steps, so a single
    hostile expression (nested ``for`` over large ranges) costs about a second and the rest of the
    scan is still evaluated; the whole scan may take ``steps``.
    """

    def __init__(self, steps: int = 5_000_000, per_value: int = 500_000) -> None:
        self.left = steps
        self.per_value = per_value
        self.value_left = per_value
        self.depth = 0
        self.exhausted = False

    def spend(self, n: int = 1) -> None:
        self.left -= n
        self.value_left -= n
        if self.left < 0:
            self.exhausted = True
            raise BudgetExceeded(True)
        if self.value_left < 0:
            raise BudgetExceeded(False)

    def enter(self) -> None:
        """Start evaluating a value (nested evaluations share the outermost value's allowance)."""
        if self.depth == 0:
            self.value_left = self.per_value
        self.depth += 1

    def leave(self) -> None:
        self.depth = max(self.depth - 1, 0)


class PartialDoc(Unknown):
    """A JSON document that is not fully known, with the structure that is.

    ``jsonencode()`` of a structure holding unknowns, and heredoc JSON with unknown
    interpolations, give one of these: the text is unknown, but the policy it encodes can still
    be read statement by statement.
    """

    __slots__ = ("doc", "holes", "origin", "posmap", "template")

    def __init__(
        self,
        reason: str,
        span: Span | None = None,
        doc: Any = None,
        template: str | None = None,
        holes: list[Unknown] | None = None,
        origin: Span | None = None,
        posmap: PosMap | None = None,
        cause: Cause | None = None,
    ) -> None:
        super().__init__(reason, span, cause)
        self.doc = doc
        self.template = template
        self.holes = holes or []
        self.origin = origin
        self.posmap = posmap

    def parts(self) -> list[Unknown]:
        if self.template is None or self.doc is not None:
            return [self]
        return [part for hole in self.holes for part in hole.parts()]

    def fill(self, text: str) -> str | None:
        if self.template is None or self.doc is not None:
            return None
        return _HOLE_RE.sub(lambda _: text, self.template)

    def decode(self) -> Any:
        """The document read from the template, its unknown holes as Unknown values; None when the
        text is not JSON. Readers of policies call this without knowing the Terraform parser."""
        return decode_partial(self)


# marks an unknown value inside rendered text; private-use characters are valid inside JSON strings
HOLE = "\ue000iamready-unknown-{}\ue001"
_HOLE_RE = re.compile("\ue000iamready-unknown-[0-9]+\ue001")


def decode_partial(partial: PartialDoc) -> Any:
    """Parse the JSON of a template with unknown holes; the holes come back as Unknown values."""
    if partial.doc is not None:
        return partial.doc
    if partial.template is None:
        return None
    from iamready.jsonpos import JsonPosError, loads

    origin = partial.origin or partial.span
    text = partial.template
    quoted, inserted = _quote_bare_holes(text)
    for attempt, shifts in ((text, []), (quoted, inserted)):
        try:
            if partial.posmap is not None:
                value, _ = loads(attempt, partial.posmap.path, 1, 1)
                value = partial.posmap.remap(value, attempt, text, shifts)
            else:
                value, _ = loads(
                    attempt,
                    origin.path if origin else "",
                    origin.start_line if origin else 1,
                    origin.start_col if origin else 1,
                )
        except (JsonPosError, RecursionError):
            continue
        return _fill_holes(value, partial.holes)
    return None


_HOLE_RE = re.compile("\ue000iamready-unknown-(\\d+)\ue001")


def _quote_bare_holes(text: str) -> tuple[str, list[int]]:
    """Put quotes around holes that stand where a JSON value goes; returns the offsets of the quotes added."""
    out: list[str] = []
    inserted: list[int] = []
    length = 0
    in_string = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and in_string:
            out.append(text[i : i + 2])
            length += len(text[i : i + 2])
            i += 2
            continue
        if ch == '"':
            in_string = not in_string
        m = _HOLE_RE.match(text, i) if not in_string and ch == "\ue000" else None
        if m:
            inserted.append(length)
            inserted.append(length + 1 + len(m.group(0)))
            piece = '"' + m.group(0) + '"'
            out.append(piece)
            length += len(piece)
            i = m.end()
            continue
        out.append(ch)
        length += 1
        i += 1
    return "".join(out), inserted


def _fill_holes(value: Any, holes: list[Unknown], depth: int = 0) -> Any:
    if depth > 500:
        return value
    if isinstance(value, str):
        m = _HOLE_RE.search(value)
        if m is None:
            return value
        hole = holes[int(m.group(1))] if int(m.group(1)) < len(holes) else Unknown("value not known")
        return Unknown(hole.reason, getattr(value, "span", None) or hole.span, hole.cause)
    if isinstance(value, LDict):
        for key in list(value):
            value[key] = _fill_holes(value[key], holes, depth + 1)
        return value
    if isinstance(value, LList):
        for index, item in enumerate(value):
            value[index] = _fill_holes(item, holes, depth + 1)
        return value
    return value


class PosMap:
    """Where each piece of rendered template text was written.

    Directives (``%{ for }``, ``%{ if }``, strip markers) and multi-line interpolations change the
    line structure of the rendered text, so JSON read from it would get wrong lines. Each anchor
    says: from this offset of the rendered text on, the text is the source text starting at
    ``(line, col)`` (``linear``), or it all comes from the interpolation at ``(line, col)``.
    """

    __slots__ = ("anchors", "offsets", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.offsets: list[int] = []
        self.anchors: list[tuple[int, int, int, bool]] = []  # (line, col, base_col, linear)

    def add(self, offset: int, line: int, col: int, base_col: int, linear: bool) -> None:
        if self.offsets and self.offsets[-1] == offset:
            self.anchors[-1] = (line, col, base_col, linear)
            return
        self.offsets.append(offset)
        self.anchors.append((line, col, base_col, linear))

    def locate(self, text: str, offset: int) -> tuple[int, int]:
        import bisect

        if not self.offsets:
            return 1, 1
        index = max(bisect.bisect_right(self.offsets, offset) - 1, 0)
        start = self.offsets[index]
        line, col, base, linear = self.anchors[index]
        if not linear or offset <= start:
            return line, col
        newlines = text.count("\n", start, offset)
        if not newlines:
            return line, col + offset - start
        return line + newlines, base + offset - text.rfind("\n", start, offset) - 1

    def remap(self, value: Any, parsed: str, original: str, inserted: list[int] | None = None) -> Any:
        """Rewrite the spans of JSON ``value`` (parsed from ``parsed`` with line 1, column 1) to source spans.

        ``inserted`` lists offsets of ``parsed`` where characters absent from ``original`` were added.
        """
        import bisect

        starts = [0]
        index = parsed.find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = parsed.find("\n", index + 1)
        shifts = inserted or []

        def offset_of(line: int, col: int) -> int:
            base = starts[line - 1] if 0 < line <= len(starts) else 0
            raw = base + col - 1
            return raw - bisect.bisect_right(shifts, raw - 1) if shifts else raw

        def convert(span: Span | None) -> Span | None:
            if span is None:
                return None
            start = offset_of(span.start_line, span.start_col)
            end = max(offset_of(span.end_line, span.end_col) - 1, start)
            line, col = self.locate(original, start)
            end_line, end_col = self.locate(original, end)
            return Span(self.path, line, col, max(end_line, line), end_col + 1)

        stack = [value]
        seen = 0
        while stack:
            item = stack.pop()
            seen += 1
            if seen > MAX_ITEMS:
                break
            if isinstance(item, LDict):
                item.span = convert(item.span)
                item.key_spans = {k: convert(v) for k, v in item.key_spans.items()}  # type: ignore[misc]
                stack.extend(item.values())
            elif isinstance(item, LList):
                item.span = convert(item.span)
                item.item_spans = [convert(v) for v in item.item_spans]
                stack.extend(item)
        return value


class TemplateStr(LStr):
    """Rendered template text (a heredoc, a template file) that knows where its parts were written.

    Its ``doc`` is the JSON it holds (read on first use) with every span pointing at the source
    line, even when directives or strip markers moved the text around.
    """

    posmap: PosMap | None = None

    @property  # type: ignore[override]
    def doc(self) -> Any:
        cached = self.__dict__.get("_doc", _UNSET)
        if cached is not _UNSET:
            return cached
        result = None
        if self.posmap is not None and self.lstrip()[:1] in ("{", "["):
            from iamready.jsonpos import JsonPosError, loads

            text = str(self)
            try:
                value, duplicates = loads(text, self.posmap.path, 1, 1)
            except (JsonPosError, RecursionError):
                value = None
            if value is not None:
                result = self.posmap.remap(value, text, text)
                self.__dict__["_duplicates"] = [  # (key, source span of the repeated key)
                    (key, self.posmap.remap(LDict(span=span), text, text).span) for key, span in duplicates
                ]
        self.__dict__["_doc"] = result
        return result

    @property
    def duplicates(self) -> list[tuple[str, Span]]:
        """Keys that the JSON of :attr:`doc` repeats within one object."""
        return self.__dict__.get("_duplicates", []) if self.doc is not None else []


_UNSET: Any = object()


class Scope:
    """Where an expression is evaluated: a module instance plus local names."""

    __slots__ = ("bindings", "file", "instance", "refs")

    def __init__(
        self,
        instance: ModuleInstance,
        file: str,
        bindings: dict[str, Any] | None = None,
        refs: dict[str, str] | None = None,
    ) -> None:
        self.instance = instance
        self.file = file
        self.bindings = bindings or {}
        self.refs = refs  # collects what the resource being evaluated refers to: target id -> attribute

    def child(self, **bindings: Any) -> Scope:
        merged = dict(self.bindings)
        merged.update(bindings)
        return Scope(self.instance, self.file, merged, self.refs)

    def span(self, sp: tuple[int, int, int, int]) -> Span:
        try:
            return _span(self.file, sp)
        except TypeError:  # not hashable (a list): not shared
            return Span(self.file, sp[0], sp[1], sp[2], sp[3])


@functools.lru_cache(maxsize=1 << 16)
def _span(path: str, sp: tuple[int, int, int, int]) -> Span:
    """Spans are immutable: one object per place, however often a module is evaluated (a fifth of the
    evaluation's time went into building the same spans again)."""
    return Span(path, sp[0], sp[1], sp[2], sp[3])


class ObjectRef:
    """Something with attributes resolved lazily: a resource instance, a module's outputs."""

    # one instance that stands for all of a count/for_each whose collection is not known: an index
    # into the group (``aws_iam_role.app[0]``) is that instance
    stands_for_all = False

    def get_attr(self, name: str, scope: Scope, sp: Any) -> Any:  # pragma: no cover - interface
        raise NotImplementedError


def ev(node: Node, scope: Scope) -> Any:
    scope.instance.loader.budget.spend()
    return _DISPATCH[node[0]](node, scope)


# -- literals, templates ------------------------------------------------------------------
def _lit(node: Node, scope: Scope) -> Any:
    value = node[2]
    if isinstance(value, str):
        return LStr(value, scope.span(node[1]))
    return value


def _tmpl(node: Node, scope: Scope) -> Any:
    parts = node[2]
    if len(parts) == 1 and isinstance(parts[0], tuple) and parts[0][0] not in ("T_IF", "T_FOR", "S"):
        # "${expr}" alone keeps the value's type (Terraform does the same)
        return ev(parts[0], scope)
    if len(parts) == 1 and isinstance(parts[0], str):
        return LStr(parts[0], scope.span(node[1]))
    if not parts:
        return LStr("", scope.span(node[1]))
    return template_value(parts, scope, scope.span(node[1]), None, track=False)


def _heredoc(node: Node, scope: Scope) -> Any:
    parts, origin_line = node[2], node[3]
    span = scope.span(node[1])
    origin = Span(span.path, origin_line, 1, origin_line, 1)
    return template_value(parts, scope, span, origin, track=True)


MAX_TEMPLATE_CHOICES = 3  # unknown %{ if } conditions rendered both ways; past this they are holes


def template_value(parts: tuple[Any, ...], scope: Scope, span: Span, origin: Span | None, track: bool) -> Any:
    """Render a template to a string value.

    Unknown interpolations become holes (a :class:`PartialDoc` whose JSON can still be read); an
    ``%{ if }`` whose condition is not known is rendered both ways (a :class:`Choice`), so a
    statement that only exists in one branch is still seen.
    """

    def build(forced: dict[int, bool]) -> Any:
        pending: list[tuple[int, str, Cause | None]] = []
        posmap = PosMap(scope.file) if track else None
        room = len(forced) < MAX_TEMPLATE_CHOICES
        text, holes = render_template(parts, scope, posmap, forced, pending if room else None)
        if pending:
            key, condition, cause = pending[0]
            return Choice(condition, build({**forced, key: True}), build({**forced, key: False}), span, cause)
        if holes:
            return _partial_text(text, holes, span, origin, posmap)
        if posmap is not None:
            value = TemplateStr(text, span, origin=origin)
            value.posmap = posmap
            return value
        return LStr(text, span, origin=origin) if origin is not None else LStr(text, span)

    return build({})


def _partial_text(
    text: str, holes: list[Unknown], span: Span, origin: Span | None = None, posmap: PosMap | None = None
) -> Unknown:
    cause = next((h.cause for h in holes if h.cause is not None), None)
    return PartialDoc(holes[0].reason, span, template=text, holes=holes, origin=origin, posmap=posmap, cause=cause)


def render_template(
    parts: tuple[Any, ...],
    scope: Scope,
    posmap: PosMap | None = None,
    forced: dict[int, bool] | None = None,
    pending: list[tuple[int, str, Cause | None]] | None = None,
) -> tuple[str, list[Unknown]]:
    """Render template parts. Unknown interpolations become numbered holes in the text.

    With ``posmap``, records where each piece of the output was written. ``forced`` gives the
    outcome of ``%{ if }`` directives (by node identity) whose condition is unknown; such a
    directive not in ``forced`` is added to ``pending`` (when given) and rendered as a hole.
    """
    out: list[str] = []
    holes: list[Unknown] = []
    size = 0
    forced = forced or {}

    def emit(piece: str, where: tuple[int, int, int, bool] | None = None) -> None:
        nonlocal size
        if posmap is not None and where is not None and piece:
            posmap.add(size, *where[:2], where[2], where[3])
        size += len(piece)
        if size > MAX_STRING:
            raise LimitExceeded(f"template result longer than {MAX_STRING} characters")
        out.append(piece)

    def hole(unknown: Unknown, sp: Any) -> None:
        holes.append(unknown)
        emit(HOLE.format(len(holes) - 1), (sp[0], sp[1], 1, False) if sp else None)

    def run(items: tuple[Any, ...], sc: Scope) -> None:
        for part in items:
            if isinstance(part, str):
                emit(part)
                continue
            kind = part[0]
            if kind == "S":
                emit(part[1], (part[2], part[3], part[4], True))
            elif kind == "T_IF":
                cond = ev(part[1], sc)
                truth = _truth(cond)
                if truth is None:
                    if not _is_unknown(cond):
                        raise EvalError(f"%{{if}} condition must be a bool, not {type_name(cond)}", part[1][1])
                    key = id(part)
                    if key in forced:
                        truth = forced[key]
                    else:
                        if pending is not None and all(k != key for k, _, _ in pending):
                            pending.append((key, expr_text(part[1]), cause_of(cond)))
                        hole(_unknown_of(cond, "template condition is not known"), part[1][1])
                        continue
                run(part[2] if truth else part[3], sc)
            elif kind == "T_FOR":
                coll = ev(part[3], sc)
                if _is_unknown(coll):
                    hole(_unknown_of(coll, "template loop collection is not known"), part[3][1])
                    continue
                for key, value in _iterate(coll, part[3][1]):
                    bindings = {part[2]: value}
                    if part[1]:
                        bindings[part[1]] = key
                    run(part[4], sc.child(**bindings))
            else:
                value = ev(part, sc)
                if _is_unknown(value):
                    hole(_unknown_of(value, "interpolated value is not known"), part[1])
                else:
                    emit(to_string(value, part[1]), (part[1][0], part[1][1], 1, False))

    run(parts, scope)
    scope.instance.loader.budget.spend(size // 16)  # building long strings is work too
    return "".join(out), holes


def to_string(value: Any, sp: Any = None) -> str:
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _format_number(value)
    if value is None:
        raise EvalError("cannot interpolate null", sp)
    raise EvalError(f"cannot convert {type_name(value)} to string", sp)


def _format_number(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "tuple"
    if isinstance(value, dict):
        return "object"
    if value is None:
        return "null"
    return type(value).__name__


# -- collections -----------------------------------------------------------------------------
def _tuple(node: Node, scope: Scope) -> Any:
    out = LList(span=scope.span(node[1]))
    for item in node[2]:
        out.add(ev(item, scope), scope.span(item[1]))
    return out


def _object(node: Node, scope: Scope) -> Any:
    out = LDict(span=scope.span(node[1]))
    for key_node, value_node, key_sp in node[2]:
        key = ev(key_node, scope)
        if _is_unknown(key):
            # the whole object's shape is unknown, but keep what we know for policy reading
            key = HOLE.format(id(key_node))
        elif not isinstance(key, (str, int, float, bool)):
            raise EvalError("object key must be a string", key_node[1])
        out.set(to_string(key), ev(value_node, scope), scope.span(key_sp))
    return out


# -- references -----------------------------------------------------------------------------
def _ref(node: Node, scope: Scope) -> Any:
    name = node[2]
    if name in scope.bindings:
        return scope.bindings[name]
    return scope.instance.resolve_root(name, scope, node)


def _attr(node: Node, scope: Scope) -> Any:
    base_node = node[2]
    name = node[3]
    # var.x, local.x, module.x, data.t.x, t.x, path.module, each.key, count.index, ...
    if base_node[0] == "ref" and base_node[2] not in scope.bindings:
        special = scope.instance.resolve_namespace(base_node[2], name, scope, node)
        if special is not NotImplemented:
            return special
    if (
        base_node[0] == "attr"
        and base_node[2][0] == "ref"
        and base_node[2][2] == "data"
        and "data" not in scope.bindings
    ):
        return scope.instance.resolve_data(base_node[3], name, scope, node)
    base = ev(base_node, scope)
    return get_attr(base, name, scope, node[1])


def get_attr(base: Any, name: str, scope: Scope, sp: Any) -> Any:
    if isinstance(base, ObjectRef):
        return base.get_attr(name, scope, sp)
    if isinstance(base, Unknown):
        if isinstance(base, PartialDoc) and isinstance(base.doc, dict) and name in base.doc:
            return base.doc[name]
        return base
    if isinstance(base, Choice):
        return Unknown(f"depends on condition {base.condition}", scope.span(sp), cause_of(base))
    if isinstance(base, dict):
        if name in base:
            return base[name]
        raise EvalError(f"object has no attribute {name!r}", sp)
    if base is None:
        raise EvalError(f"attempt to read attribute {name!r} of null", sp)
    raise EvalError(f"cannot read attribute {name!r} of a {type_name(base)}", sp)


def _index(node: Node, scope: Scope) -> Any:
    base = ev(node[2], scope)
    key = ev(node[3], scope)
    return index_value(base, key, scope, node[1])


def index_value(base: Any, key: Any, scope: Scope, sp: Any) -> Any:
    if _is_unknown(base):
        return base if isinstance(base, Unknown) else Unknown("depends on a condition", scope.span(sp), cause_of(base))
    if _is_unknown(key):
        return _unknown_of(key, "index is not known")
    if isinstance(base, ObjectRef):
        if base.stands_for_all:
            return base
        return base.get_attr(to_string(key), scope, sp)
    if isinstance(base, list):
        try:
            index = int(key) if not isinstance(key, bool) else None
        except (TypeError, ValueError):
            index = None
        if index is None:
            raise EvalError(f"invalid index {key!r} for a list", sp)
        if 0 <= index < len(base):
            return base[index]
        raise EvalError(f"index {index} out of range for a list of {len(base)}", sp)
    if isinstance(base, dict):
        skey = to_string(key)
        if skey in base:
            return base[skey]
        raise EvalError(f"key {skey!r} not found", sp)
    if base is None:
        raise EvalError("cannot index null", sp)
    raise EvalError(f"cannot index a {type_name(base)}", sp)


def _splat(node: Node, scope: Scope) -> Any:
    base = ev(node[2], scope)
    if _is_unknown(base):
        return _unknown_of(base, "splat over an unknown value")
    if base is None:
        return LList(span=scope.span(node[1]))
    if isinstance(base, dict) and not isinstance(base, ObjectRef):
        # splat over a map of instances (for_each resources) works on the values in Terraform
        items = list(base.values()) if getattr(base, "is_instances", False) else [base]
    elif isinstance(base, list):
        items = list(base)
    else:
        items = [base]
    out = LList(span=scope.span(node[1]))
    for item in items:
        value = item
        for op in node[3]:
            if op[0] == "attr":
                value = get_attr(value, op[1], scope, node[1])
            else:
                value = index_value(value, ev(op[1], scope), scope, node[1])
        out.add(value, getattr(value, "span", None))
    return out


# -- operators ------------------------------------------------------------------------------
def _cond(node: Node, scope: Scope) -> Any:
    cond = ev(node[2], scope)
    truth = _truth(cond)
    if truth is None:
        if _is_unknown(cond):
            text = expr_text(node[2])
            return Choice(text, ev(node[3], scope), ev(node[4], scope), scope.span(node[1]), cause_of(cond))
        raise EvalError(f"condition must be a bool, not {type_name(cond)}", node[1])
    return ev(node[3] if truth else node[4], scope)


def _truth(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return None


def _number(value: Any, sp: Any) -> float | int:
    if isinstance(value, bool):
        raise EvalError("a number is required, not a bool", sp)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                pass
    raise EvalError(f"a number is required, not {type_name(value)}", sp)


def _bin(node: Node, scope: Scope) -> Any:
    op = node[2]
    left = ev(node[3], scope)
    if op == "&&" and left is False:
        return False
    if op == "||" and left is True:
        return True
    right = ev(node[4], scope)
    if _is_unknown(left) or _is_unknown(right):
        return _unknown_of(left if _is_unknown(left) else right, "operand is not known")
    sp = node[1]
    if op in ("==", "!="):
        equal = _plain_eq(left, right)
        return equal if op == "==" else not equal
    if op in ("&&", "||"):
        lt, rt = _truth(left), _truth(right)
        if lt is None or rt is None:
            raise EvalError(f"operator {op} needs bools", sp)
        return (lt and rt) if op == "&&" else (lt or rt)
    a, b = _number(left, sp), _number(right, sp)
    if op in ("+", "-", "*") and isinstance(a, int) and isinstance(b, int):
        bits = a.bit_length() + b.bit_length() if op == "*" else max(a.bit_length(), b.bit_length()) + 1
        if bits > MAX_INT_BITS:
            raise LimitExceeded(f"number larger than 2^{MAX_INT_BITS}", sp)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            return math.inf if a >= 0 else -math.inf
        try:
            result = a / b
        except OverflowError:
            raise EvalError("number out of range", sp) from None
        return int(result) if math.isfinite(result) and result == int(result) else result
    if op == "%":
        if b == 0:
            raise EvalError("modulo by zero", sp)
        try:
            return math.fmod(a, b) if isinstance(a, float) or isinstance(b, float) else int(math.fmod(a, b))
        except (OverflowError, ValueError):
            raise EvalError("number out of range", sp) from None
    if op == "<":
        return a < b
    if op == ">":
        return a > b
    if op == "<=":
        return a <= b
    if op == ">=":
        return a >= b
    raise EvalError(f"unsupported operator {op}", sp)


def _plain_eq(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return str(a) == str(b)
    return a == b


def _un(node: Node, scope: Scope) -> Any:
    value = ev(node[3], scope)
    if _is_unknown(value):
        return _unknown_of(value, "operand is not known")
    if node[2] == "!":
        truth = _truth(value)
        if truth is None:
            raise EvalError("operator ! needs a bool", node[1])
        return not truth
    number = _number(value, node[1])
    return -number


# -- for expressions ------------------------------------------------------------------------
def _iterate(coll: Any, sp: Any) -> list[tuple[Any, Any]]:
    if isinstance(coll, dict):
        return [(k, coll[k]) for k in sorted(coll)]
    if isinstance(coll, list):
        return list(enumerate(coll))
    if coll is None:
        raise EvalError("cannot iterate over null", sp)
    raise EvalError(f"cannot iterate over a {type_name(coll)}", sp)


def _for_t(node: Node, scope: Scope) -> Any:
    _, sp, key_name, value_name, coll_node, value_node, cond_node = node
    coll = ev(coll_node, scope)
    if _is_unknown(coll):
        return _unknown_of(coll, "for expression over an unknown collection")
    out = LList(span=scope.span(sp))
    for key, value in _iterate(coll, sp):
        bindings = {value_name: value}
        if key_name:
            bindings[key_name] = key
        inner = scope.child(**bindings)
        if cond_node is not None:
            keep = ev(cond_node, inner)
            truth = _truth(keep)
            if truth is None:
                return _unknown_of(keep, "for expression condition is not known")
            if not truth:
                continue
        item = ev(value_node, inner)
        out.add(item, getattr(item, "span", None))
        if len(out) > MAX_ITEMS:
            raise LimitExceeded(f"for expression produced more than {MAX_ITEMS} items", sp)
    return out


def _for_o(node: Node, scope: Scope) -> Any:
    _, sp, key_name, value_name, coll_node, key_node, value_node, cond_node, grouping = node
    coll = ev(coll_node, scope)
    if _is_unknown(coll):
        return _unknown_of(coll, "for expression over an unknown collection")
    out = LDict(span=scope.span(sp))
    for key, value in _iterate(coll, sp):
        bindings = {value_name: value}
        if key_name:
            bindings[key_name] = key
        inner = scope.child(**bindings)
        if cond_node is not None:
            keep = ev(cond_node, inner)
            truth = _truth(keep)
            if truth is None:  # keeps the root cause (a module not installed, a variable without a value)
                return _unknown_of(keep, "for expression condition is not known")
            if not truth:
                continue
        new_key = ev(key_node, inner)
        if _is_unknown(new_key):
            return _unknown_of(new_key, "for expression key is not known")
        skey = to_string(new_key, sp)
        item = ev(value_node, inner)
        if grouping:
            out.setdefault(skey, LList()).append(item)
        else:
            if skey in out:
                raise EvalError(f"duplicate key {skey!r} in for expression", sp)
            out.set(skey, item, getattr(item, "span", None))
        if len(out) > MAX_ITEMS:
            raise LimitExceeded(f"for expression produced more than {MAX_ITEMS} items", sp)
    return out


# -- calls ----------------------------------------------------------------------------------
def _call(node: Node, scope: Scope) -> Any:
    loader = scope.instance.loader  # holds the function table (parsers/terraform/functions.py)
    name = node[2]
    sp = node[1]
    if name in loader.lazy_functions:
        return loader.lazy_functions[name](node[3], scope, sp)
    fn = loader.functions.get(name)
    if fn is None:
        cause = scope.instance.loader.unsupported_function(name, scope.span(sp))
        return Unknown(f"function {name}() is not evaluated by iamready", scope.span(sp), cause)
    args = [ev(a, scope) for a in node[3]]
    if node[4] and args:
        last = args.pop()
        if _is_unknown(last):
            return _unknown_of(last, f"arguments of {name}() are not known")
        if not isinstance(last, list):
            raise EvalError("... needs a list", sp)
        args.extend(last)
    try:
        result = fn(args, scope, sp)
    except (EvalError, BudgetExceeded, RecursionError):
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError) as exc:
        # a function given arguments Terraform would reject: an error like Terraform's, never a crash
        raise EvalError(f"{name}(): {exc}", sp) from None
    # a function's work grows with what it builds (range, join, flatten...): charge it like evaluated nodes
    if isinstance(result, (list, dict)):
        scope.instance.loader.budget.spend(len(result))
    elif isinstance(result, str):
        scope.instance.loader.budget.spend(len(result) // 16)
    return result


# -- helpers --------------------------------------------------------------------------------
def _is_unknown(value: Any) -> bool:
    return isinstance(value, (Unknown, Choice))


def _unknown_of(value: Any, fallback: str) -> Unknown:
    if isinstance(value, Unknown):
        return value if not isinstance(value, PartialDoc) else Unknown(value.reason, value.span, value.cause)
    if isinstance(value, Choice):
        return Unknown(f"depends on condition {value.condition}", value.span, cause_of(value))
    return Unknown(fallback)


def expr_text(node: Node) -> str:
    """Short source-like text of simple expressions, for messages."""
    kind = node[0]
    if kind == "ref":
        return str(node[2])
    if kind == "attr":
        return f"{expr_text(node[2])}.{node[3]}"
    if kind == "index":
        return f"{expr_text(node[2])}[{expr_text(node[3])}]"
    if kind == "lit":
        if node[2] is None:
            return "null"
        return json.dumps(node[2]) if isinstance(node[2], str) else str(node[2]).lower()
    if kind == "un":
        return f"{node[2]}{expr_text(node[3])}"
    if kind == "bin":
        return f"{expr_text(node[3])} {node[2]} {expr_text(node[4])}"
    if kind == "call":
        return f"{node[2]}(...)"
    return "an expression"


_DISPATCH: dict[str, Callable[[Node, Scope], Any]] = {
    "lit": _lit,
    "tmpl": _tmpl,
    "heredoc": _heredoc,
    "tuple": _tuple,
    "object": _object,
    "ref": _ref,
    "attr": _attr,
    "index": _index,
    "splat": _splat,
    "call": _call,
    "cond": _cond,
    "bin": _bin,
    "un": _un,
    "for_t": _for_t,
    "for_o": _for_o,
}
