"""Resolved values as rules see them.

Parsers evaluate configuration into plain Python data (``str``, ``int``, ``float``, ``bool``,
``None``, ``dict``, ``list``) with three kinds of decoration:

* ``LDict`` / ``LList`` remember where they and each of their entries were written;
* ``Unknown`` stands for a value that could not be resolved, and says why;
* ``Choice`` stands for a value that depends on a condition whose outcome is not known
  (CloudFormation ``Fn::If``, a Terraform conditional on an unknown variable).

Rules never touch those directly: they read attributes through :class:`Value`, which always
has a span and is never a ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from iamready.model.span import Span


class Cause:
    """The root of unknown values: what is missing, where it is written, and how to supply it.

    Parsers attach one to the :class:`Unknown` they make when a value cannot be resolved (a
    variable without a value, a function iamready does not evaluate, an attribute only known after
    apply) and every unknown derived from it carries the same object. Nothing is said about a cause
    until a rule needs a value that depends on it; then the engine says it once, naming every
    check that depends on it (:func:`iamready.results.cause_notes`).
    """

    __slots__ = ("fix", "group", "label", "level", "message", "span", "supplied")

    def __init__(
        self,
        message: str,
        span: Span | None = None,
        fix: str = "",
        level: str = "note",
        supplied: bool = False,
        group: str = "",
        label: str = "",
    ) -> None:
        self.message = message
        self.span = span
        self.fix = fix
        self.level = level
        # the value is given when the code is deployed (a parameter, a variable without a value): whatever
        # it is, it is not written in the code
        self.supplied = supplied
        # causes one fix removes together share a group, the directory where it is made (the module calls one
        # `terraform init` there installs), and are said in one notification, each named by its label
        # (iamready.results.cause_notes)
        self.group = group
        self.label = label

    @property
    def key(self) -> tuple[str, str, int]:
        message = f"{self.message}\x00{self.group}" if self.group else self.message  # one per root module
        return (message, self.span.path if self.span else "", self.span.start_line if self.span else 0)

    def __repr__(self) -> str:
        return f"Cause({self.message!r})"


class Unknown:
    """A value that could not be resolved. ``reason`` is written for the user; ``cause`` is its root."""

    __slots__ = ("cause", "reason", "span")

    def __init__(self, reason: str, span: Span | None = None, cause: Cause | None = None) -> None:
        self.reason = reason
        self.span = span
        self.cause = cause

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.reason == self.reason

    def __hash__(self) -> int:
        return hash(("Unknown", self.reason))

    def parts(self) -> list[Unknown]:
        """The unknown parts of the value (itself, when nothing of it is known)."""
        return [self]

    @property
    def supplied(self) -> bool:
        """Every unknown part is given at deploy time, not written in the code (see :class:`Cause`)."""
        return all(part.cause is not None and part.cause.supplied for part in self.parts())

    def fill(self, text: str) -> str | None:
        """The value as a string with every unknown part replaced by ``text``, when it is a string of which
        some parts are known (``arn:aws:logs:${var.region}:111122223333:*``); else None."""
        return None


class PartialText(Unknown):
    """A string with known and unknown parts: ``!Sub "arn:aws:logs:${Region}:111122223333:*"``.

    Rules can still decide what the known parts decide (see :func:`iamready.iam.statements.decided`).
    """

    __slots__ = ("pieces",)

    def __init__(self, pieces: list[Any], span: Span | None = None) -> None:
        first = next(p for p in pieces if isinstance(p, Unknown))
        super().__init__(
            first.reason, span, next((p.cause for p in pieces if isinstance(p, Unknown) and p.cause), None)
        )
        self.pieces = tuple(pieces)

    def parts(self) -> list[Unknown]:
        return [part for piece in self.pieces if isinstance(piece, Unknown) for part in piece.parts()]

    def fill(self, text: str) -> str | None:
        out = []
        for piece in self.pieces:
            if isinstance(piece, Unknown):
                inner = piece.fill(text)
                out.append(text if inner is None else inner)
            else:
                out.append(str(piece))
        return "".join(out)


class Choice:
    """One of two values, depending on a condition that is not known statically."""

    __slots__ = ("cause", "condition", "span", "when_false", "when_true")

    def __init__(
        self,
        condition: str,
        when_true: Any,
        when_false: Any,
        span: Span | None = None,
        cause: Cause | None = None,
    ) -> None:
        self.condition = condition
        self.when_true = when_true
        self.when_false = when_false
        self.span = span
        self.cause = cause  # why the condition is not known, when that is known

    def branches(self) -> list[tuple[str, Any]]:
        return [
            (f"when {self.condition} is true", self.when_true),
            (f"when {self.condition} is false", self.when_false),
        ]

    def __repr__(self) -> str:
        return f"Choice({self.condition!r}, {self.when_true!r}, {self.when_false!r})"


class LDict(dict):
    """A mapping that knows where it, and each of its keys, were written."""

    __slots__ = ("key_spans", "span")

    def __init__(self, *args: Any, span: Span | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.span = span
        self.key_spans: dict[Any, Span] = {}

    def set(self, key: Any, value: Any, span: Span | None) -> None:
        self[key] = value
        if span is not None:
            self.key_spans[key] = span


class LList(list):
    """A list that knows where it, and each of its items, were written."""

    __slots__ = ("item_spans", "span")

    def __init__(self, items: Any = (), span: Span | None = None, item_spans: list[Span | None] | None = None):
        super().__init__(items)
        self.span = span
        self.item_spans: list[Span | None] = list(item_spans) if item_spans is not None else []

    def add(self, value: Any, span: Span | None) -> None:
        self.append(value)
        while len(self.item_spans) < len(self) - 1:
            self.item_spans.append(None)
        self.item_spans.append(span)

    def span_of(self, index: int) -> Span | None:
        if 0 <= index < len(self.item_spans) and self.item_spans[index] is not None:
            return self.item_spans[index]
        return self.span


class LStr(str):
    """A string with a location and, when it was produced from structure, that structure.

    A *symbolic* string stands for a value only known after apply that still identifies its
    resource: ``aws_iam_role.app.arn`` evaluates to ``"${aws_iam_role.app.arn}"`` with ``ref``
    set, so rules can tell it is that role's ARN (and certainly not ``"*"``).

    ``doc`` holds the structured value a JSON string was encoded from (``jsonencode(...)``, a
    policy-document data source), so policy parsing keeps the original spans. ``origin`` is the
    span of the first character of the text (a heredoc body), so JSON parsed from it gets exact
    lines.
    """

    span: Span | None = None
    origin: Span | None = None
    doc: Any = None
    ref: tuple[str, str] | None = None  # (resource id, attribute) for symbolic values such as an ARN

    def __new__(
        cls,
        text: str,
        span: Span | None = None,
        origin: Span | None = None,
        doc: Any = None,
        ref: tuple[str, str] | None = None,
    ) -> LStr:
        obj = super().__new__(cls, text)
        if span is not None:
            obj.span = span
        if origin is not None:
            obj.origin = origin
        if doc is not None:
            obj.doc = doc
        if ref is not None:
            obj.ref = ref
        return obj


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


def span_of(value: Any) -> Span | None:
    return getattr(value, "span", None)


def is_unknown(value: Any) -> bool:
    return isinstance(value, (Unknown, Choice))


def contains_unknown(value: Any, _depth: int = 0) -> bool:
    """True when ``value`` or anything inside it is unresolved."""
    if isinstance(value, (Unknown, Choice)):
        return True
    if _depth > 200:
        return False
    if isinstance(value, dict):
        return any(contains_unknown(v, _depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v, _depth + 1) for v in value)
    return False


def first_unknown(value: Any, _depth: int = 0) -> Unknown | Choice | None:
    if isinstance(value, (Unknown, Choice)):
        return value
    if _depth > 200:
        return None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        found = first_unknown(item, _depth + 1)
        if found is not None:
            return found
    return None


def plain(value: Any, _depth: int = 0) -> Any:
    """Strip decoration: LDict/LList/LStr become dict/list/str; Unknown and Choice stay."""
    if _depth > 500:
        return None
    if isinstance(value, dict):
        return {k: plain(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v, _depth + 1) for v in value]
    if isinstance(value, LStr):
        return str(value)
    return value


class Value:
    """An attribute as a rule sees it: the raw value, where it is, and whether it is known.

    A missing attribute is an unset ``Value`` (``is_set`` is False) located at its nearest
    existing parent, never an exception.
    """

    __slots__ = ("path", "raw", "span")

    def __init__(self, raw: Any, span: Span | None, path: str = "") -> None:
        self.raw = raw
        self.span = span
        self.path = path

    def __repr__(self) -> str:
        return f"Value({self.raw!r}, path={self.path!r})"

    @property
    def is_set(self) -> bool:
        return self.raw is not MISSING and self.raw is not None

    @property
    def is_unknown(self) -> bool:
        return isinstance(self.raw, (Unknown, Choice))

    @property
    def is_known(self) -> bool:
        return self.is_set and not self.is_unknown

    @property
    def unknown(self) -> Unknown | Choice | None:
        return self.raw if isinstance(self.raw, (Unknown, Choice)) else None

    @property
    def why_unknown(self) -> str:
        if isinstance(self.raw, Unknown):
            return self.raw.reason
        if isinstance(self.raw, Choice):
            return f"depends on condition {self.raw.condition}"
        return ""

    def get(self, path: str | int) -> Value:
        """Navigate into the value. ``"a.b"``; a list of blocks is entered at its first block."""
        current = self
        parts: list[str | int] = [path] if isinstance(path, int) else [p for p in path.split(".") if p]
        for part in parts:
            current = current._step(part)
        return current

    def _step(self, part: str | int) -> Value:
        raw = self.raw
        sub_path = f"{self.path}.{part}" if self.path else str(part)
        if isinstance(raw, list) and not isinstance(part, int) and not (isinstance(part, str) and part.isdigit()):
            # a list of nested blocks (Terraform, plan JSON): look inside the first one
            if not raw:
                return Value(MISSING, self.span, sub_path)
            first = Value(raw[0], raw.span_of(0) if isinstance(raw, LList) else self.span, self.path)
            return first._step(part)
        if isinstance(raw, dict):
            if part in raw:
                span = raw.key_spans.get(part) if isinstance(raw, LDict) else None
                return Value(raw[part], span or span_of(raw[part]) or self.span, sub_path)
            return Value(MISSING, self.span, sub_path)
        if isinstance(raw, list):
            index = int(part)
            if 0 <= index < len(raw):
                span = raw.span_of(index) if isinstance(raw, LList) else None
                return Value(raw[index], span or self.span, sub_path)
            return Value(MISSING, self.span, sub_path)
        if isinstance(raw, Choice):
            # each branch has its own sub-value: Policies: !If [C, {PolicyDocument: ...}, NoValue]
            when_true = Value(raw.when_true, self.span, self.path)._step(part).raw
            when_false = Value(raw.when_false, self.span, self.path)._step(part).raw
            if when_true is MISSING and when_false is MISSING:
                return Value(MISSING, self.span, sub_path)
            return Value(Choice(raw.condition, when_true, when_false, raw.span, raw.cause), self.span, sub_path)
        if isinstance(raw, Unknown):
            return Value(raw, self.span, sub_path)
        return Value(MISSING, self.span, sub_path)

    def items(self) -> Iterator[Value]:
        """The elements of a list (a scalar counts as a one-element list)."""
        raw = self.raw
        if isinstance(raw, list):
            for index, item in enumerate(raw):
                span = raw.span_of(index) if isinstance(raw, LList) else None
                yield Value(item, span or self.span, f"{self.path}[{index}]")
        elif self.is_set:
            yield self

    def entries(self) -> Iterator[tuple[Any, Value]]:
        raw = self.raw
        if isinstance(raw, dict):
            for key, item in raw.items():
                span = raw.key_spans.get(key) if isinstance(raw, LDict) else None
                yield key, Value(item, span or self.span, f"{self.path}.{key}" if self.path else str(key))

    def map(self, fn: Callable[[Any], Any]) -> Value:
        if not self.is_known:
            return self
        return Value(fn(self.raw), self.span, self.path)

    def as_list(self) -> list[Any]:
        if isinstance(self.raw, list):
            return list(self.raw)
        return [self.raw] if self.is_set else []

    def truthy(self) -> bool | None:
        """True/False for a known boolean-ish value ("true", 1, True); None when unknown or unset."""
        if not self.is_known:
            return None
        raw = self.raw
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            low = raw.strip().lower()
            if low in ("true", "1", "yes", "on", "enabled"):
                return True
            if low in ("false", "0", "no", "off", "disabled", ""):
                return False
            return None
        if isinstance(raw, (int, float)):
            return bool(raw)
        return None


def cause_of(value: Any, depth: int = 0) -> Cause | None:
    """The root cause of an unknown ``value`` (an Unknown, a Choice, a Value, or something holding one).

    Containers are searched shallowly (a list of statements, a document's fields) for the first
    unknown that knows its cause.
    """
    if depth > 4 or value is None:
        return None
    if isinstance(value, (Unknown, Choice)):
        if value.cause is not None:
            return value.cause
        if isinstance(value, Choice):
            return cause_of(value.when_true, depth + 1) or cause_of(value.when_false, depth + 1)
        return None
    if isinstance(value, Value):
        return cause_of(value.raw, depth + 1)
    if isinstance(value, str):
        return None
    if isinstance(value, dict):
        items: Any = value.values()
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in list(items)[:64]:
        found = cause_of(item, depth + 1)
        if found is not None:
            return found
    return None
