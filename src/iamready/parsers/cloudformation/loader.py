"""Read a CloudFormation template (YAML or JSON) into ``LDict``/``LList`` values with spans.

YAML goes through PyYAML's *composer* (libyaml when available): it yields a node tree with line
and column marks and constructs no Python objects, so a custom tag is only a node tag. Nodes
become model values:

* mappings -> ``LDict`` whose ``key_spans`` cover each whole ``key: value`` entry;
* sequences -> ``LList`` whose ``item_spans`` cover each item;
* scalars -> ``str``/``int``/``float``/``bool``/``None`` by the YAML 1.1 implicit types (a
  timestamp such as ``2012-10-17`` stays a string, as CloudFormation reads it);
* short-form tags (``!Ref``, ``!Sub``, ``!GetAtt A.B``, ...) -> their long form
  (``{"Ref": ...}``, ``{"Fn::Sub": ...}``, ``{"Fn::GetAtt": ["A", "B"]}``).

CloudFormation rejects duplicate keys and YAML aliases. Duplicate keys are reported (the last
one wins, as libyaml does). Aliases are expanded, because ``aws cloudformation package`` and
``sam deploy`` expand them before upload, but every node is counted at each place it is used:
a template that expands past :data:`MAX_NODES` ("billion laughs") is refused.

Reading never raises: a file that cannot be read or parsed becomes a located notification and
``None``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from iamready.model.notes import PARSE_ERROR, Notification
from iamready.model.span import Span
from iamready.model.value import LDict, LList, Unknown

MAX_NODES = 1_000_000  # values in the template once every alias is expanded
MAX_DEPTH = 300  # nesting levels

# short-form tags whose long form is "Fn::<Name>"
FN_NAMES = frozenset(
    {
        "And",
        "Base64",
        "Cidr",
        "Contains",
        "EachMemberEquals",
        "EachMemberIn",
        "Equals",
        "FindInMap",
        "GetAZs",
        "GetAtt",
        "If",
        "ImportValue",
        "Join",
        "Length",
        "Not",
        "Or",
        "RefAll",
        "Select",
        "Split",
        "Sub",
        "ToJsonString",
        "Transform",
        "ValueOf",
        "ValueOfAll",
    }
)

_YAML_TAG = "tag:yaml.org,2002:"
# tags a YAML reader resolves plain values and collections to; any other tag (!!python/..., !!binary,
# !<tag:...>) is not CloudFormation: its value is unknown, never constructed
_PLAIN_TAGS = frozenset(_YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq"))
_COMMENT_MARK = "iamready"


@dataclass(frozen=True)
class ConditionState:
    """A condition of the Conditions section: its value when fixed, and under the defaults."""

    name: str
    value: bool | None  # fixed by constants and --cfn-param values; None: decided at deploy time
    with_defaults: bool | None  # with parameter defaults as well


@dataclass
class Template:
    """One parsed template."""

    path: str
    body: LDict
    syntax: str  # "yaml" | "json"
    comments: list[tuple[int, str]] = field(default_factory=list)  # comments mentioning iamready


class TemplateError(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = max(line, 1)
        self.column = max(column, 1)


def load_template(path: str, notes: list[Notification], cache: Any = None) -> Template | None:
    """Read and parse ``path``. Problems become notifications; ``None`` when nothing usable.

    With a :class:`~iamready.cache.ParseCache`, the parsed template (values, spans without the
    path, comments and parse notifications) is kept keyed by the file's content.
    """
    from iamready.parsers.terraform.files import read_text

    ahead = cache.take_read_ahead(path, "cfn") if cache is not None else None
    if ahead is not None:
        text, key = ahead
    else:
        read = read_text(path, notes)
        if read is None:
            return None
        text = read
        key = cache.key("cfn", text.encode("utf-8")) if cache is not None else None
    if key is not None:
        entry = cache.get(key)
        if entry is not None:
            try:
                return _decode_entry(entry, path, notes)
            except (TypeError, ValueError, IndexError, KeyError):
                pass  # an entry from another layout: parse again
    found: list[Notification] = []
    template = parse_template(text, path, found)
    notes.extend(found)
    if key is not None:
        cache.put(key, _encode_entry(template, found))
    return template


def parse_template(text: str, path: str, notes: list[Notification]) -> Template | None:
    if not text.strip():
        notes.append(Notification(PARSE_ERROR, "template is empty", Span(path, 1), "error"))
        return None
    stripped = text.lstrip("\ufeff \t\r\n")
    body: Any
    comments: list[tuple[int, str]] = []
    try:
        if path.endswith(".json") or stripped.startswith("{"):
            try:
                body, syntax = _json(text, path, notes), "json"
            except TemplateError as json_error:
                try:
                    body, comments = _yaml(text, path, notes)
                    syntax = "yaml"
                except TemplateError:
                    raise json_error from None
        else:
            body, comments = _yaml(text, path, notes)
            syntax = "yaml"
    except TemplateError as exc:
        notes.append(Notification(PARSE_ERROR, exc.message, Span(path, exc.line, exc.column), "error"))
        return None
    if not isinstance(body, dict):
        what = "empty" if body is None else f"a {_kind(body)}"
        notes.append(
            Notification(
                PARSE_ERROR,
                f"a CloudFormation template must be a mapping at the top level, not {what}",
                getattr(body, "span", None) or Span(path, 1),
                "error",
            )
        )
        return None
    return Template(path, body, syntax, comments)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else type(value).__name__


# -- JSON -------------------------------------------------------------------------------------
def _json(text: str, path: str, notes: list[Notification]) -> Any:
    from iamready.jsonpos import JsonPosError, loads

    try:
        value, duplicates = loads(text, path, max_depth=MAX_DEPTH)
    except JsonPosError as exc:
        raise TemplateError(f"invalid JSON: {exc.message}", exc.line, exc.column) from None
    for key, span in duplicates:
        notes.append(
            Notification(
                PARSE_ERROR,
                f"duplicate key {key!r} (line {span.start_line} repeats a key of the same object); "
                "CloudFormation rejects duplicate keys; the last one is used",
                span,
                "error",
            )
        )
    return value


# -- YAML -------------------------------------------------------------------------------------
def _yaml(text: str, path: str, notes: list[Notification]) -> tuple[Any, list[tuple[int, str]]]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # libyaml's own limit (1000 levels in most builds)
            _refuse_deep(text)
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            joiner = ", " if exc.problem.startswith("but ") else ": "
            problem = f"{exc.context}{joiner}{exc.problem}"
        raise TemplateError(
            f"invalid YAML: {problem}",
            (mark.line + 1) if mark else 1,
            (mark.column + 1) if mark else 1,
        ) from None
    except yaml.YAMLError as exc:
        raise TemplateError(f"invalid YAML: {exc}") from None
    except RecursionError:  # the pure-Python composer recurses once per level
        _refuse_deep(text)
        raise TemplateError(f"invalid YAML: nested more than {MAX_DEPTH} levels") from None
    if node is None:
        return None, []
    converter = _Converter(text, path, notes)
    try:
        value = converter.convert(node, 0)
    except RecursionError:
        raise TemplateError(f"nested more than {MAX_DEPTH} levels; not scanned") from None
    comments = converter.comments(node) if _COMMENT_MARK in text and "#" in text else []
    return value, comments


def _refuse_deep(text: str) -> None:
    """Raise the converter's own depth error, at the node where the converter would stop.

    Whether a YAML library refuses deep nesting, and at which depth, depends on how PyYAML was built
    (libyaml stops at 1000 levels, the pure-Python composer at Python's recursion limit, a libyaml
    built without the limit never). PyYAML's pure-Python scanner and parser have no depth limit and
    no recursion, so reading their event stream finds the first value nested more than
    :data:`MAX_DEPTH` levels, which is then what every build reports. Runs only on deep templates.
    """
    import yaml

    # one entry per open collection: [is a mapping, its next node is a key, inside a key]
    open_: list[list[bool]] = []
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionEndEvent):
                open_.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            is_key = False
            if open_ and open_[-1][0]:
                is_key = open_[-1][1]
                open_[-1][1] = not is_key
            in_key = is_key or bool(open_ and open_[-1][2])  # keys are not converted as values
            if not in_key and not isinstance(event, yaml.AliasEvent) and len(open_) > MAX_DEPTH:
                mark = event.start_mark
                raise TemplateError(f"nested more than {MAX_DEPTH} levels; not scanned", mark.line + 1, mark.column + 1)
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append([isinstance(event, yaml.MappingStartEvent), True, in_key])
    except yaml.YAMLError:
        return


class _Budget(TemplateError):
    pass


class _Converter:
    def __init__(self, text: str, path: str, notes: list[Notification]) -> None:
        import yaml

        self.yaml = yaml
        self.text = text
        self.path = path
        self.notes = notes
        self.lines = text.split("\n")
        self.line_offsets = [0]
        for line in self.lines[:-1]:
            self.line_offsets.append(self.line_offsets[-1] + len(line) + 1)
        self.memo: dict[int, tuple[Any, int, tuple[int, int]]] = {}
        self.expanded = 0
        self.aliases_noted = False
        self.constructor = yaml.constructor.SafeConstructor()

    # positions ---------------------------------------------------------------------------
    def _end(self, node: Any, start_line: int) -> tuple[int, int]:
        """(line, column) 0-based of the end of a node, without the lines that follow it."""
        yaml = self.yaml
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.flow_style is not True and node.value:
            last = node.value[-1]
            last = last[1] if isinstance(last, tuple) else last
            cached = self.memo.get(id(last))
            return cached[2] if cached is not None else self._end(last, last.start_mark.line)
        line, column = node.end_mark.line, node.end_mark.column
        if column == 0 and line > start_line:
            line -= 1
            while line > start_line and not self.lines[line].strip():
                line -= 1
            column = len(self.lines[line].rstrip()) if line < len(self.lines) else 0
        return line, column

    def _span(self, node: Any, end: tuple[int, int]) -> Span:
        start = node.start_mark
        return Span(self.path, start.line + 1, start.column + 1, end[0] + 1, end[1] + 1)

    # conversion --------------------------------------------------------------------------
    def convert(self, node: Any, depth: int) -> Any:
        return self._node(node, depth)[0]

    def _node(self, node: Any, depth: int) -> tuple[Any, int, tuple[int, int]]:
        """(value, expanded size, end position)."""
        cached = self.memo.get(id(node))
        if cached is not None:  # an alias: the same node used again
            self._note_alias(node)
            self.expanded += cached[1]
            if self.expanded > MAX_NODES:
                raise _Budget(
                    f"template expands to more than {MAX_NODES} values through the aliases of this YAML anchor "
                    "(an alias bomb?); not scanned",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                )
            return cached
        if depth > MAX_DEPTH:
            raise TemplateError(
                f"nested more than {MAX_DEPTH} levels; not scanned",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        self.expanded += 1
        if self.expanded > MAX_NODES:
            raise _Budget(
                f"template has more than {MAX_NODES} values; not scanned",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        before = self.expanded
        yaml = self.yaml
        tag = node.tag or ""
        short = tag[1:] if tag.startswith("!") and not tag.startswith("!!") else None
        if isinstance(node, yaml.MappingNode):
            value = self._mapping(node, depth)
        elif isinstance(node, yaml.SequenceNode):
            value = self._sequence(node, depth)
        else:
            value = self._scalar(node, short is not None)
        end = self._end(node, node.start_mark.line)
        if short is not None:
            value = self._short_form(node, short, value, end)
        elif tag and tag not in _PLAIN_TAGS:
            shown = "!!" + tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else f"!<{tag}>"
            span = self._span(node, end)
            self.notes.append(
                Notification(
                    PARSE_ERROR,
                    f"unknown tag {shown}; CloudFormation does not accept it, and iamready treats its value as unknown",
                    span,
                    "warning",
                )
            )
            value = Unknown(f"value tagged {shown} is not a CloudFormation value", span)
        result = (value, 1 + self.expanded - before, end)
        self.memo[id(node)] = result
        return result

    def _note_alias(self, node: Any) -> None:
        if self.aliases_noted:
            return
        self.aliases_noted = True
        self.notes.append(
            Notification(
                PARSE_ERROR,
                "this YAML anchor is used through aliases (*name), which iamready expands as "
                "`aws cloudformation package` and `sam deploy` do; CloudFormation itself rejects a template "
                "that still contains aliases",
                Span(self.path, node.start_mark.line + 1, node.start_mark.column + 1),
                "note",
            )
        )

    def _mapping(self, node: Any, depth: int) -> LDict:
        yaml = self.yaml
        out = LDict()
        key_lines: dict[Any, int] = {}
        merged: list[LDict] = []
        for key_node, value_node in node.value:
            if key_node.tag == _YAML_TAG + "merge":
                value, _, _ = self._node(value_node, depth + 1)
                sources = value if isinstance(value, list) else [value]
                merged.extend(s for s in sources if isinstance(s, LDict))
                continue
            if isinstance(key_node, yaml.ScalarNode):
                key: Any = key_node.value
            else:
                self.notes.append(
                    Notification(
                        PARSE_ERROR,
                        "a mapping key must be a plain value; CloudFormation rejects this key",
                        Span(self.path, key_node.start_mark.line + 1, key_node.start_mark.column + 1),
                        "error",
                    )
                )
                continue
            value, _, end = self._node(value_node, depth + 1)
            line = key_node.start_mark.line + 1
            if key in key_lines:
                self.notes.append(
                    Notification(
                        PARSE_ERROR,
                        f"duplicate key {key!r} (lines {key_lines[key]} and {line}); "
                        "CloudFormation rejects duplicate keys; the last one is used",
                        Span(self.path, line, key_node.start_mark.column + 1),
                        "error",
                    )
                )
                del out[key]  # last wins, in the position it was written
            key_lines[key] = line
            out.set(key, value, Span(self.path, line, key_node.start_mark.column + 1, end[0] + 1, end[1] + 1))
        for source in reversed(merged):  # "<<: *base": explicit keys win, earlier merges win
            for key, value in source.items():
                if key not in out:
                    out.set(key, value, source.key_spans.get(key))
        return out

    def _sequence(self, node: Any, depth: int) -> LList:
        out = LList()
        for item_node in node.value:
            value, _, end = self._node(item_node, depth + 1)
            out.add(value, self._span(item_node, end))
        return out

    def _scalar(self, node: Any, tagged: bool) -> Any:
        text = node.value
        if tagged or node.style:
            return text
        tag = node.tag
        try:
            if tag == _YAML_TAG + "str":
                return text
            if tag == _YAML_TAG + "int":
                return self.constructor.construct_yaml_int(node)
            if tag == _YAML_TAG + "float":
                return self.constructor.construct_yaml_float(node)
            if tag == _YAML_TAG + "bool":
                return self.constructor.construct_yaml_bool(node)
            if tag == _YAML_TAG + "null":
                return None
        except (ValueError, self.yaml.YAMLError):
            return text
        return text  # timestamps, binary and other types stay as written

    def _short_form(self, node: Any, name: str, value: Any, end: tuple[int, int]) -> Any:
        span = self._span(node, end)
        if name in ("Ref", "Condition"):
            key = name
        elif name in FN_NAMES:
            key = f"Fn::{name}"
            if name == "GetAtt" and isinstance(value, str):
                head, dot, tail = value.partition(".")
                value = LList([head, tail] if dot else [head], span=span, item_spans=[span, span] if dot else [span])
        else:
            self.notes.append(
                Notification(
                    PARSE_ERROR,
                    f"unknown tag !{name}; CloudFormation does not accept it, and iamready treats its value as unknown",
                    span,
                    "warning",
                )
            )
            return Unknown(f"value tagged !{name} is not a CloudFormation intrinsic function", span)
        out = LDict(span=span)
        out.set(key, value, span)
        return out

    # comments ----------------------------------------------------------------------------
    def comments(self, root: Any) -> list[tuple[int, str]]:
        """Comments that mention iamready: ``#`` after whitespace, outside quoted and block scalars."""
        quoted: list[tuple[int, int]] = []
        self._quoted_ranges(root, quoted, set())
        quoted.sort()
        starts = [r[0] for r in quoted]
        out = []
        offset = 0
        for number, line in enumerate(self.lines, start=1):
            if "#" in line and _COMMENT_MARK in line:
                for match in re.finditer("#", line):
                    col = match.start()
                    if col and line[col - 1] not in " \t":
                        continue
                    absolute = offset + col
                    index = bisect.bisect_right(starts, absolute) - 1
                    if index >= 0 and quoted[index][0] <= absolute < quoted[index][1]:
                        continue
                    comment = line[col:].rstrip("\r")
                    if _COMMENT_MARK in comment:
                        out.append((number, comment))
                    break
            offset += len(line) + 1
        return out

    def _offset(self, mark: Any) -> int:
        if mark.line >= len(self.line_offsets):
            return len(self.text)
        return self.line_offsets[mark.line] + mark.column

    def _quoted_ranges(self, node: Any, out: list[tuple[int, int]], seen: set[int]) -> None:
        stack = [node]
        yaml = self.yaml
        while stack:
            current = stack.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            if isinstance(current, yaml.ScalarNode):
                if current.style in ('"', "'", "|", ">"):
                    out.append((self._offset(current.start_mark), self._offset(current.end_mark)))
            elif isinstance(current, yaml.MappingNode):
                for key, value in current.value:
                    stack.append(key)
                    stack.append(value)
            elif isinstance(current, yaml.SequenceNode):
                stack.extend(current.value)


# -- the parse cache: marshal-able tuples -------------------------------------------------------
_CACHE_LAYOUT = 1
_Sp = tuple[int, int, int, int] | None


def _sp(span: Span | None) -> _Sp:
    return None if span is None else (span.start_line, span.start_col, span.end_line, span.end_col)


def _span(path: str, sp: _Sp) -> Span | None:
    return None if sp is None else Span(path, sp[0], sp[1], sp[2], sp[3])


def _encode_entry(template: Template | None, found: list[Notification]) -> tuple[Any, ...]:
    notes = tuple((n.kind, n.message, n.level, _sp(n.span)) for n in found)
    if template is None:
        return (_CACHE_LAYOUT, None, None, (), notes)
    body = _encode(template.body, {})
    return (_CACHE_LAYOUT, template.syntax, body, tuple(template.comments), notes)


def _encode(value: Any, memo: dict[int, Any]) -> Any:
    if isinstance(value, (LDict, LList)):
        cached = memo.get(id(value))
        if cached is not None:  # a subtree used again through a YAML alias stays shared
            return cached
        if isinstance(value, LDict):
            encoded: Any = (
                "M",
                _sp(value.span),
                tuple((k, _sp(value.key_spans.get(k)), _encode(v, memo)) for k, v in value.items()),
            )
        else:
            encoded = (
                "L",
                _sp(value.span),
                tuple((_sp(value.span_of(i)), _encode(v, memo)) for i, v in enumerate(value)),
            )
        memo[id(value)] = encoded
        return encoded
    if isinstance(value, Unknown):
        return ("U", _sp(value.span), value.reason)
    return value


def _decode_entry(entry: Any, path: str, notes: list[Notification]) -> Template | None:
    layout, syntax, body, comments, cached_notes = entry
    if layout != _CACHE_LAYOUT:
        raise ValueError("cache layout")
    decoded_notes = [Notification(kind, message, _span(path, sp), level) for kind, message, level, sp in cached_notes]
    template = None
    if syntax is not None:
        value = _decode(body, path, {})
        if not isinstance(value, LDict):
            raise ValueError("cached body")
        template = Template(path, value, syntax, [(line, text) for line, text in comments])
    notes.extend(decoded_notes)
    return template


def _decode(value: Any, path: str, memo: dict[int, Any]) -> Any:
    if not isinstance(value, tuple):
        return value
    cached = memo.get(id(value))
    if cached is not None:
        return cached
    tag, sp, payload = value
    if tag == "M":
        out: Any = LDict(span=_span(path, sp))
        for key, key_sp, item in payload:
            out.set(key, _decode(item, path, memo), _span(path, key_sp))
    elif tag == "L":
        out = LList(span=_span(path, sp))
        for item_sp, item in payload:
            out.add(_decode(item, path, memo), _span(path, item_sp))
    elif tag == "U":
        return Unknown(payload, _span(path, sp))
    else:
        raise ValueError(f"cached value tagged {tag!r}")
    memo[id(value)] = out
    return out
