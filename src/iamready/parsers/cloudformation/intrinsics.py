"""Resolve CloudFormation intrinsic functions into the values rules see.

Conventions match the Terraform side:

* ``Ref`` to a parameter: the value given with ``--cfn-param`` / ``--cfn-param-file``, else its
  ``Default``, else ``Unknown`` (with one note per parameter). List parameters become lists.
* Pseudo parameters: ``AWS::Partition`` is ``"aws"``; the account, region, stack name, stack id
  and URL suffix are the symbolic strings ``"${AWS::AccountId}"``, ... that mean "the deploying
  account/region"; ``AWS::NoValue`` removes the property or list item.
* ``Ref`` / ``Fn::GetAtt`` to a resource: a string carrying ``ref`` = (resource id, attribute),
  with the name or ARN as text when the template sets the name (:mod:`.names`), else
  ``"${LogicalId}"`` / ``"${LogicalId.Attr}"``.
* ``Fn::If`` on a condition whose value is not fixed: ``Choice(condition, true, false)``, so the
  policy model considers each branch. A condition is *fixed* when it follows from constants and
  from parameters given on the command line; parameter defaults are routinely overridden at
  deploy time, so a condition over a default is not fixed (its value under the defaults is
  recorded too).
* Anything that cannot be resolved is ``Unknown`` with a reason, never an exception. Work is
  budgeted (steps, nesting, text length, conditions per expression) against hostile templates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from iamready.model.notes import UNRESOLVED, Notification
from iamready.model.span import Span
from iamready.model.value import (
    Cause,
    Choice,
    LDict,
    LList,
    LStr,
    PartialText,
    Unknown,
    contains_unknown,
    first_unknown,
    plain,
)
from iamready.parsers.cloudformation import names

MAX_STEPS = 5_000_000
MAX_DEPTH = 200
MAX_TEXT = 1_000_000
MAX_CHOICES = 6  # conditions combined in one string-building expression


class _NoValue:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NOVALUE"


NOVALUE: Any = _NoValue()

PSEUDO: dict[str, str] = {
    "AWS::Partition": "aws",
    "AWS::AccountId": "${AWS::AccountId}",
    "AWS::Region": "${AWS::Region}",
    "AWS::StackName": "${AWS::StackName}",
    "AWS::StackId": "${AWS::StackId}",
    "AWS::URLSuffix": "${AWS::URLSuffix}",
}

_SUB_VAR = re.compile(r"\$\{([^}]*)\}")
_RULES_ONLY = frozenset(
    {"Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn", "Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll"}
)


def is_intrinsic(value: Any) -> bool:
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = next(iter(value))
    return isinstance(key, str) and (key == "Ref" or key == "Condition" or key.startswith("Fn::"))


def _block_origin(text: Any, span: Span | None) -> Span | None:
    """Where the first character of a YAML block scalar (``|``) written at ``span`` is, when its lines are the
    source's lines: the line after the indicator, one source line per text line."""
    origin = getattr(text, "origin", None)
    if isinstance(origin, Span):
        return origin
    lines = str(text).rstrip("\n").count("\n") + 1
    if isinstance(span, Span) and lines > 1 and span.end_line - span.start_line == lines:
        return Span(span.path, span.start_line + 1, 1, span.start_line + 1, 1)
    return None


# the resources SAM creates for its own, referable as ``!Ref MyApi.Stage`` / ``!Ref MyFunction.Alias``
_SAM_REFERABLE = ("Stage", "Deployment", "DomainName", "Alias", "Version")


class Resolver:
    """Resolves the values of one template."""

    def __init__(
        self,
        path: str,
        body: LDict,
        resources: dict[str, LDict],
        resource_ids: dict[str, str],
        supplied: dict[str, Any],
        notes: list[Notification],
    ) -> None:
        self.path = path
        self.parameters = _mapping(body.get("Parameters"))
        self.mappings = _mapping(body.get("Mappings"))
        self.conditions = _mapping(body.get("Conditions"))
        self.resources = resources
        self.resource_ids = resource_ids
        self.supplied = supplied
        self.notes = notes
        self.steps = 0
        self.refs: dict[str, list[str]] | None = None  # what the node being resolved refers to
        self._mode: str | None = None  # None: resolving values; "fixed"/"defaults": evaluating a condition
        self._noted: set[str] = set()
        self._names: dict[str, str | None] = {}
        self._naming: set[str] = set()
        self._cyclic: set[str] = set()
        self._conditions: dict[tuple[str, str], bool | None] = {}
        self._evaluating: set[tuple[str, str]] = set()

    # -- notes -----------------------------------------------------------------------------
    def note(self, key: str, message: str, span: Span | None, level: str = "note") -> None:
        if self._mode is not None or key in self._noted:
            return
        self._noted.add(key)
        self.notes.append(Notification(UNRESOLVED, message, span or Span(self.path, 1), level))

    def _record(self, target_id: str, attr: str) -> None:
        if self.refs is not None:
            attrs = self.refs.setdefault(target_id, [])
            if attr not in attrs:
                attrs.append(attr)

    # -- values ----------------------------------------------------------------------------
    def resolve(self, value: Any, span: Span, attr: str = "", depth: int = 0) -> Any:
        """The resolved value; ``NOVALUE`` when it is ``AWS::NoValue``."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            return Unknown("template is too large to resolve completely", span)
        if depth > MAX_DEPTH:
            return Unknown(f"nested more than {MAX_DEPTH} levels", span)
        if isinstance(value, dict):
            if is_intrinsic(value) and next(iter(value)) != "Condition":
                key = next(iter(value))
                key_span = value.key_spans.get(key) if isinstance(value, LDict) else None
                return self.intrinsic(key, value[key], key_span or span, attr, depth + 1)
            out = LDict(span=getattr(value, "span", None) or span)
            statement = "Effect" in value
            for key, item in value.items():
                key_span = value.key_spans.get(key) if isinstance(value, LDict) else None
                resolved = self.resolve(item, key_span or span, _join(attr, key), depth + 1)
                if resolved is NOVALUE:
                    continue
                if isinstance(resolved, Choice) and not statement:
                    resolved = _distribute(resolved)
                if isinstance(resolved, Choice):
                    resolved = _absent(resolved, None)
                out.set(key, resolved, key_span)
            if "Effect" in out:
                return _hoist_statement(out, MAX_CHOICES)
            return out
        if isinstance(value, list):
            out_list = LList(span=getattr(value, "span", None) or span)
            for index, item in enumerate(value):
                item_span = (value.span_of(index) if isinstance(value, LList) else None) or span
                resolved = self.resolve(item, item_span, attr, depth + 1)
                if resolved is NOVALUE:
                    continue
                if isinstance(resolved, Choice):
                    resolved = _absent(resolved, LList(span=item_span))
                out_list.add(resolved, item_span)
            return out_list
        return value

    def intrinsic(self, name: str, arg: Any, span: Span, attr: str, depth: int) -> Any:
        handler = _HANDLERS.get(name)
        if handler is not None:
            return handler(self, arg, span, attr, depth)
        if name in _RULES_ONLY:
            return Unknown(f"{name} is only valid in the Rules section", span)
        if name in ("Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not"):
            value = self._condition_expr({name: arg}, span, depth)
            return value if value is not None else Unknown(f"{name} depends on values that are not known", span)
        cause = Cause(f"function {name} is not evaluated by iamready", span)  # said where a rule needs it
        return Unknown(f"function {name} is not evaluated by iamready", span, cause)

    def _arg(self, value: Any, span: Span, attr: str, depth: int) -> Any:
        resolved = self.resolve(value, span, attr, depth + 1)
        return None if resolved is NOVALUE else resolved

    # Ref ---------------------------------------------------------------------------------
    def _ref(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        name = self._arg(arg, span, attr, depth) if isinstance(arg, (dict, list)) else arg
        if not isinstance(name, str) or isinstance(name, Unknown):
            return Unknown("Ref needs the name of a parameter or resource", span)
        name = str(name)
        if name == "AWS::NoValue":
            return NOVALUE
        if name in PSEUDO:
            return LStr(PSEUDO[name], span)
        if name == "AWS::NotificationARNs":
            return Unknown("AWS::NotificationARNs is only known when the stack is deployed", span)
        if name in self.parameters:
            self._record(f"{self.path}::Parameters.{name}", attr)
            return self.parameter(name, span)
        if name in self.resources:
            self._record(self.resource_ids[name], attr)
            return self.ref_value(name, span)
        head, _, tail = name.partition(".")
        if tail in _SAM_REFERABLE and self._type(head).startswith("AWS::Serverless::"):
            self._record(self.resource_ids[head], attr)  # !Ref MyApi.Stage: what SAM creates for MyApi
            return self.getatt_value(head, tail, span)
        self.note(
            f"ref:{name}", f"Ref to {name!r}, which this template does not declare (CloudFormation rejects it)", span
        )
        return Unknown(f"Ref to {name!r}, which is not declared in this template", span)

    def parameter(self, name: str, span: Span) -> Any:
        decl = self.parameters.get(name)
        decl = decl if isinstance(decl, dict) else {}
        ptype = decl.get("Type")
        ptype = str(ptype) if isinstance(ptype, str) else "String"
        if name in self.supplied:
            raw = self.supplied[name]
        elif self._mode == "fixed":
            return Unknown(f"parameter {name} is not given on the command line", span)
        elif "Default" in decl:
            raw = decl["Default"]
        else:
            cause = Cause(  # said once, and only if a rule needs a value that depends on it
                f"parameter {name!r} has no value",
                self.parameters.key_spans.get(name) if isinstance(self.parameters, LDict) else span,
                f"pass --cfn-param {name}=... or --cfn-param-file",
                supplied=True,
            )
            return Unknown(f"parameter {name} has no value (pass --cfn-param {name}=...)", span, cause)
        if ptype.startswith("AWS::SSM::Parameter::Value<"):
            return Unknown(
                f"parameter {name} is read from SSM Parameter Store ({_text(raw)}) when the stack is deployed", span
            )
        if ptype == "CommaDelimitedList" or ptype.startswith("List<"):
            items = raw if isinstance(raw, list) else _text(raw).split(",")
            return LList([_text(i).strip() for i in items], span=span, item_spans=[span] * len(items))
        return LStr(_text(raw), span)

    def ref_value(self, logical_id: str, span: Span) -> LStr:
        rid = self.resource_ids[logical_id]
        rtype = self._type(logical_id)
        name = None if rtype in names.REF_SYMBOLIC else self.physical_name(logical_id)
        if name is None:
            return LStr(f"${{{logical_id}}}", span, ref=(rid, "Ref"))
        return LStr(names.ref_text(rtype, name, self._iam_path(logical_id)), span, ref=(rid, "Ref"))

    def _type(self, logical_id: str) -> str:
        decl = self.resources.get(logical_id)
        rtype = decl.get("Type") if isinstance(decl, dict) else None
        return str(rtype) if isinstance(rtype, str) else ""

    def physical_name(self, logical_id: str) -> str | None:
        """The name the template gives a resource, when it is a known string."""
        if logical_id in self._names:
            return self._names[logical_id]
        prop = names.NAME_PROPERTY.get(self._type(logical_id))
        if prop is None:
            return None
        if logical_id in self._naming:  # the name refers to itself: CloudFormation rejects the cycle
            self._cyclic.add(logical_id)
            return None
        value = self._property(logical_id, prop)
        name = str(value) if isinstance(value, str) and not isinstance(value, Unknown) and value else None
        if logical_id in self._cyclic:
            name = None
        self._names[logical_id] = name
        return name

    def _property(self, logical_id: str, prop: str) -> Any:
        decl = self.resources.get(logical_id)
        props = decl.get("Properties") if isinstance(decl, dict) else None
        if not isinstance(props, dict) or prop not in props:
            return None
        span = (props.key_spans.get(prop) if isinstance(props, LDict) else None) or Span(self.path, 1)
        saved_refs, saved_mode = self.refs, self._mode
        self.refs, self._mode = None, "name"
        self._naming.add(logical_id)
        try:
            return self.resolve(props[prop], span)
        finally:
            self._naming.discard(logical_id)
            self.refs, self._mode = saved_refs, saved_mode

    def _iam_path(self, logical_id: str) -> str:
        if self._type(logical_id) not in names.IAM_PATH_TYPES:
            return "/"
        value = self._property(logical_id, "Path")
        return str(value) if isinstance(value, str) and not isinstance(value, Unknown) and value else "/"

    # Fn::GetAtt ---------------------------------------------------------------------------
    def _getatt(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        if isinstance(arg, str):
            head, _, tail = arg.partition(".")
            parts: list[Any] = [head, tail]
        elif isinstance(arg, list) and len(arg) == 2:
            parts = [arg[0], self._arg(arg[1], span, attr, depth) if isinstance(arg[1], dict) else arg[1]]
        else:
            return Unknown("Fn::GetAtt needs [LogicalId, Attribute]", span)
        logical_id, attribute = parts
        if not isinstance(logical_id, str) or not isinstance(attribute, str) or isinstance(attribute, Unknown):
            return Unknown("Fn::GetAtt attribute is not known", span)
        if logical_id not in self.resources:
            self.note(
                f"ref:{logical_id}",
                f"Fn::GetAtt refers to {logical_id!r}, which this template does not declare "
                "(CloudFormation rejects it)",
                span,
            )
            return Unknown(f"Fn::GetAtt refers to {logical_id!r}, which is not declared in this template", span)
        self._record(self.resource_ids[logical_id], attr)
        return self.getatt_value(logical_id, str(attribute), span)

    def getatt_value(self, logical_id: str, attribute: str, span: Span) -> LStr:
        rid = self.resource_ids[logical_id]
        rtype = self._type(logical_id)
        name = self.physical_name(logical_id) if attribute in names.GETATT.get(rtype, {}) else None
        if name is not None:
            text = names.getatt_text(rtype, attribute, name, self._iam_path(logical_id))
            if text is not None:
                return LStr(text, span, ref=(rid, attribute))
        return LStr(f"${{{logical_id}.{attribute}}}", span, ref=(rid, attribute))

    # Fn::Sub ------------------------------------------------------------------------------
    def _sub(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        variables: dict[str, Any] = {}
        template_span = span
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            template, raw_vars = arg[0], arg[1]
            template_span = arg.span_of(0) if isinstance(arg, LList) else None
            for key, value in raw_vars.items():
                key_span = (raw_vars.key_spans.get(key) if isinstance(raw_vars, LDict) else None) or span
                variables[str(key)] = self._arg(value, key_span, attr, depth)
        else:
            template = arg
        if isinstance(template, dict):
            template = self._arg(template, span, attr, depth)
        if not isinstance(template, str) or isinstance(template, Unknown):
            return template if isinstance(template, Unknown) else Unknown("Fn::Sub needs a string", span)
        origin = _block_origin(template, template_span)
        template = str(template)
        parts: list[tuple[bool, Any]] = []  # (is literal text, value)
        position = 0
        for match in _SUB_VAR.finditer(template):
            parts.append((True, template[position : match.start()]))
            position = match.end()
            inner = match.group(1)
            if inner.startswith("!"):
                parts.append((True, "${" + inner[1:] + "}"))
                continue
            parts.append((False, self._sub_var(inner.strip(), variables, span, attr)))
        parts.append((True, template[position:]))
        parts = [(literal, value) for literal, value in parts if not (literal and value == "")]
        if len(parts) == 1 and not parts[0][0]:
            single = parts[0][1]  # "${Name}" alone: keeps what the value stands for
            if isinstance(single, (Unknown, Choice)):
                return single
            if isinstance(single, str):
                return LStr(str(single), span, ref=getattr(single, "ref", None))
        result = self._fold([value for _, value in parts], lambda items: self._concat(items, "", span, "Fn::Sub"), span)
        if origin is not None and isinstance(result, LStr) and result.count("\n") == template.count("\n"):
            # a script written as a block scalar keeps its lines: what is found in it is located on its line
            return LStr(str(result), result.span, origin=origin, doc=result.doc, ref=result.ref)
        return result

    def _sub_var(self, name: str, variables: dict[str, Any], span: Span, attr: str) -> Any:
        if name in variables:
            return variables[name]
        if name in PSEUDO or name in ("AWS::NoValue", "AWS::NotificationARNs"):
            return self._ref(name, span, attr, 0)
        if name in self.parameters or name in self.resources:
            return self._ref(name, span, attr, 0)
        head, dot, tail = name.partition(".")
        if dot and head in self.resources:
            self._record(self.resource_ids[head], attr)
            return self.getatt_value(head, tail, span)
        self.note(
            f"sub:{name}",
            f"Fn::Sub refers to ${{{name}}}, which is not a parameter, resource or variable "
            "(CloudFormation rejects it)",
            span,
        )
        return Unknown(f"Fn::Sub refers to ${{{name}}}, which is not declared", span)

    def _concat(self, items: list[Any], delimiter: str, span: Span, what: str) -> Any:
        texts: list[Any] = []
        total = 0
        partial = False
        for item in items:
            if item is NOVALUE:
                return Unknown(f"{what}: AWS::NoValue cannot be part of a string", span)
            if isinstance(item, Unknown):  # the known parts still say something
                partial = True
                if texts and delimiter:
                    texts.append(delimiter)
                texts.append(item)
                continue
            if isinstance(item, (list, dict)) or item is None:
                return Unknown(f"{what}: a {'list' if isinstance(item, list) else 'map'} is not a string", span)
            text = _text(item)
            total += len(text) + len(delimiter)
            if total > MAX_TEXT:
                return Unknown(f"{what} builds a string longer than {MAX_TEXT} characters", span)
            if texts and delimiter:
                texts.append(delimiter)
            texts.append(text)
        if partial:
            return PartialText(texts, span)
        return LStr("".join(texts), span)

    def _fold(
        self, items: list[Any], combine: Callable[[list[Any]], Any], span: Span, budget: int = MAX_CHOICES
    ) -> Any:
        """Apply ``combine`` to ``items``; a ``Choice`` among them makes the result a ``Choice``."""
        for index, item in enumerate(items):
            if isinstance(item, Choice):
                if budget <= 0:
                    return Unknown("depends on too many conditions to resolve", span)
                true_items = [*items[:index], item.when_true, *items[index + 1 :]]
                false_items = [*items[:index], item.when_false, *items[index + 1 :]]
                when_true = self._fold(true_items, combine, span, budget - 1)
                when_false = self._fold(false_items, combine, span, budget - 1)
                return _choice(item.condition, when_true, when_false, span)
        return combine(items)

    # Fn::Join / Select / Split / FindInMap ----------------------------------------------
    def _join(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("Fn::Join needs [delimiter, list]", span)
        delimiter = self._arg(arg[0], span, attr, depth)
        items = self._arg(arg[1], span, attr, depth)
        if isinstance(delimiter, Unknown):
            return Unknown(delimiter.reason, span, delimiter.cause)
        if not isinstance(delimiter, str):
            return Unknown("Fn::Join delimiter must be a string", span)

        def combine(values: list[Any]) -> Any:
            collection = values[0]
            if isinstance(collection, Unknown):
                return Unknown(collection.reason, span, collection.cause)
            if not isinstance(collection, list):
                return Unknown("Fn::Join needs a list", span)
            return self._fold(
                list(collection), lambda parts: self._concat(parts, str(delimiter), span, "Fn::Join"), span
            )

        return self._fold([items], combine, span)

    def _select(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("Fn::Select needs [index, list]", span)
        index = self._arg(arg[0], span, attr, depth)
        items = self._arg(arg[1], span, attr, depth)

        def combine(values: list[Any]) -> Any:
            position, collection = values
            if isinstance(position, Unknown) or isinstance(collection, Unknown):
                unknown = position if isinstance(position, Unknown) else collection
                return Unknown(unknown.reason, span, unknown.cause)
            try:
                number = int(str(position))
            except ValueError:
                return Unknown(f"Fn::Select index {position!r} is not a number", span)
            ref = getattr(collection, "ref", None)
            if ref is not None and str(collection).startswith("${") and str(collection).endswith("}"):
                # a list attribute known when deployed (!GetAtt Broker.OpenWireEndpoints): its item, symbolically
                return LStr(f"{str(collection)[:-1]}[{number}]}}", span, ref=ref)
            if not isinstance(collection, list):
                return Unknown("Fn::Select needs a list", span)
            if not 0 <= number < len(collection):
                return Unknown(f"Fn::Select index {number} is outside the list of {len(collection)}", span)
            return collection[number]

        return self._fold([index, items], combine, span)

    def _split(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("Fn::Split needs [delimiter, string]", span)
        delimiter = self._arg(arg[0], span, attr, depth)
        source = self._arg(arg[1], span, attr, depth)

        def combine(values: list[Any]) -> Any:
            sep, text = values
            for value in (sep, text):
                if isinstance(value, Unknown):
                    return Unknown(value.reason, span, value.cause)
            if not isinstance(sep, str) or not isinstance(text, str) or not sep:
                return Unknown("Fn::Split needs a delimiter and a string", span)
            pieces = str(text).split(str(sep))
            return LList([LStr(p, span) for p in pieces], span=span, item_spans=[span] * len(pieces))

        return self._fold([delimiter, source], combine, span)

    def _find_in_map(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) not in (3, 4):
            return Unknown("Fn::FindInMap needs [map, top-level key, second-level key]", span)
        keys = [self._arg(a, span, attr, depth) for a in arg[:3]]
        default = None
        if len(arg) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
            default = self._arg(arg[3]["DefaultValue"], span, attr, depth)

        def combine(values: list[Any]) -> Any:
            for value in values:
                if isinstance(value, Unknown):
                    return default if default is not None else Unknown(value.reason, span, value.cause)
                if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                    return Unknown("Fn::FindInMap keys must be strings", span)
            current: Any = self.mappings
            for key in values:
                if not isinstance(current, dict) or _text(key) not in current:
                    if default is not None:
                        return default
                    where = ".".join(_text(v) for v in values)
                    return Unknown(f"Fn::FindInMap: {where} is not in the Mappings section", span)
                current = current[_text(key)]
            return _located(current, span)

        return self._fold(keys, combine, span)

    # Fn::If and conditions ---------------------------------------------------------------
    def _if(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 3 or not isinstance(arg[0], str):
            return Unknown("Fn::If needs [condition name, value if true, value if false]", span)
        name = str(arg[0])
        fixed = self.condition(name, span)
        item_spans = arg.item_spans if isinstance(arg, LList) else []
        true_span = (item_spans[1] if len(item_spans) > 1 else None) or span
        false_span = (item_spans[2] if len(item_spans) > 2 else None) or span
        if fixed is True:
            return self.resolve(arg[1], true_span, attr, depth + 1)
        if fixed is False:
            return self.resolve(arg[2], false_span, attr, depth + 1)
        when_true = self.resolve(arg[1], true_span, attr, depth + 1)
        when_false = self.resolve(arg[2], false_span, attr, depth + 1)
        return _choice(name, when_true, when_false, span)

    def condition(self, name: str, span: Span | None = None, mode: str = "fixed") -> bool | None:
        """True/False when the condition's value is fixed (``mode="defaults"``: using defaults too)."""
        key = (name, mode)
        if key in self._conditions:
            return self._conditions[key]
        if key in self._evaluating:
            self.note(f"cycle:{name}", f"condition {name!r} depends on itself", span)
            return None
        decl = self.conditions.get(name)
        if decl is None:
            self.note(
                f"cond:{name}",
                f"condition {name!r} is not declared in the Conditions section (CloudFormation rejects it)",
                span,
            )
            self._conditions[key] = None
            return None
        decl_span = (self.conditions.key_spans.get(name) if isinstance(self.conditions, LDict) else None) or span
        saved_mode, saved_refs = self._mode, self.refs
        self._mode, self.refs = mode, None
        self._evaluating.add(key)
        try:
            value = self._condition_expr(decl, decl_span or Span(self.path, 1), 0)
        finally:
            self._evaluating.discard(key)
            self._mode, self.refs = saved_mode, saved_refs
        self._conditions[key] = value
        return value

    def _condition_expr(self, expr: Any, span: Span, depth: int) -> bool | None:
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, bool):
            return expr
        if not isinstance(expr, dict) or len(expr) != 1:
            return None
        op, arg = next(iter(expr.items()))
        mode = self._mode if self._mode in ("fixed", "defaults") else "fixed"
        if op == "Condition" and isinstance(arg, str):
            return self.condition(str(arg), span, mode)
        if op == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
            saved_mode, saved_refs = self._mode, self.refs
            self._mode, self.refs = mode, None
            try:
                left = self.resolve(arg[0], span, "", depth + 1)
                right = self.resolve(arg[1], span, "", depth + 1)
            finally:
                self._mode, self.refs = saved_mode, saved_refs
            return _equals(left, right)
        if op == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
            value = self._condition_expr(arg[0], span, depth + 1)
            return None if value is None else not value
        if op in ("Fn::And", "Fn::Or") and isinstance(arg, list):
            values = [self._condition_expr(a, span, depth + 1) for a in arg]
            decisive = op == "Fn::Or"  # Or: any True decides; And: any False decides
            if decisive in values:
                return decisive
            if None in values:
                return None
            return not decisive
        return None

    # the rest -----------------------------------------------------------------------------
    def _base64(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        # the text before encoding: what rules looking for secrets in user data want to read
        return self._arg(arg, span, attr, depth)

    def _import_value(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        name = self._arg(arg, span, attr, depth)
        shown = f" {_text(name)!r}" if isinstance(name, str) and not isinstance(name, Unknown) else ""
        return Unknown(f"Fn::ImportValue{shown}: the value is exported by another stack", span)

    def _get_azs(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        return Unknown("Fn::GetAZs: the Availability Zones are only known when the stack is deployed", span)

    def _cidr(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        self._arg(arg, span, attr, depth)  # references still count
        return Unknown("Fn::Cidr is not evaluated by iamready", span)

    def _transform(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        name = arg.get("Name") if isinstance(arg, dict) else None
        shown = f" {name}" if isinstance(name, str) else ""
        cause = Cause(f"Fn::Transform{shown}: macros are not expanded by iamready", span)
        return Unknown(f"Fn::Transform{shown}: macros are not expanded by iamready", span, cause)

    def _to_json_string(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        value = self._arg(arg, span, attr, depth)
        if contains_unknown(value):
            unknown = first_unknown(value)
            reason = unknown.reason if isinstance(unknown, Unknown) else "depends on a condition"
            return Unknown(f"Fn::ToJsonString: {reason}", span)
        return LStr(json.dumps(plain(value), separators=(",", ":")), span, doc=value)

    def _length(self, arg: Any, span: Span, attr: str, depth: int) -> Any:
        value = self._arg(arg, span, attr, depth)
        if isinstance(value, list):
            return len(value)
        return Unknown("Fn::Length needs a list that is known", span)


_HANDLERS: dict[str, Callable[[Resolver, Any, Span, str, int], Any]] = {
    "Ref": Resolver._ref,
    "Fn::GetAtt": Resolver._getatt,
    "Fn::Sub": Resolver._sub,
    "Fn::Join": Resolver._join,
    "Fn::Select": Resolver._select,
    "Fn::Split": Resolver._split,
    "Fn::FindInMap": Resolver._find_in_map,
    "Fn::If": Resolver._if,
    "Fn::Base64": Resolver._base64,
    "Fn::ImportValue": Resolver._import_value,
    "Fn::GetAZs": Resolver._get_azs,
    "Fn::Cidr": Resolver._cidr,
    "Fn::Transform": Resolver._transform,
    "Fn::ToJsonString": Resolver._to_json_string,
    "Fn::Length": Resolver._length,
}


# -- helpers --------------------------------------------------------------------------------
def _mapping(value: Any) -> LDict:
    return value if isinstance(value, LDict) else LDict(value) if isinstance(value, dict) else LDict()


def _join(attr: str, key: Any) -> str:
    return f"{attr}.{key}" if attr else str(key)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(value)
    return str(value)


def _located(value: Any, span: Span) -> Any:
    if isinstance(value, str) and not isinstance(value, LStr):
        return LStr(value, span)
    return value


def _choice(condition: str, when_true: Any, when_false: Any, span: Span) -> Any:
    if when_true is NOVALUE and when_false is NOVALUE:
        return NOVALUE
    if when_true is not NOVALUE and when_false is not NOVALUE and _same(when_true, when_false):
        return when_true
    return Choice(condition, when_true, when_false, span)


def _absent(choice: Choice, absent: Any, depth: int = 0) -> Choice:
    """A Choice with ``AWS::NoValue`` branches replaced by what "absent" means where it sits."""
    branches = []
    for branch in (choice.when_true, choice.when_false):
        if branch is NOVALUE:
            branch = absent
        elif isinstance(branch, Choice) and depth < MAX_CHOICES:
            branch = _absent(branch, absent, depth + 1)
        branches.append(branch)
    if branches[0] is choice.when_true and branches[1] is choice.when_false:
        return choice
    return Choice(choice.condition, branches[0], branches[1], choice.span)


def _distribute(choice: Choice) -> Any:
    """``!If [C, [a, b], [c]]`` as the list ``[a if C, b if C, c unless C]`` (items in both stay plain).

    Rules read list properties (``Policies``, ``ManagedPolicyArns``, ...) item by item; a list of
    per-item choices lets them see every item of either branch. An absent item is an empty list,
    as for ``- !If [C, item, !Ref AWS::NoValue]``.
    """
    branches = []
    for branch in (choice.when_true, choice.when_false):
        if branch is NOVALUE or branch is None:
            branches.append([])
        elif isinstance(branch, list):
            spans = [branch.span_of(i) if isinstance(branch, LList) else None for i in range(len(branch))]
            branches.append([(item, spans[i] or choice.span) for i, item in enumerate(branch)])
        else:
            return choice
    true_items, false_items = branches
    out = LList(span=choice.span)
    compare = len(true_items) * len(false_items) <= 10_000
    for item, item_span in true_items:
        if compare and any(_same(item, other) for other, _ in false_items):
            out.add(item, item_span)
        else:
            out.add(Choice(choice.condition, item, LList(span=item_span), choice.span), item_span)
    for item, item_span in false_items:
        if not (compare and any(_same(item, other) for other, _ in true_items)):
            out.add(Choice(choice.condition, LList(span=item_span), item, choice.span), item_span)
    return out


_STATEMENT_FIELDS = (
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
)


def _hoist_statement(statement: LDict, budget: int) -> Any:
    """A policy statement whose fields depend on conditions, as a Choice of whole statements.

    ``Action: !If [IsProd, s3:GetObject, "*"]`` and ``Resource: !If [IsProd, arn, "*"]`` give two
    statements, one per value of IsProd, so a rule sees which combination is deployed and can
    name the condition.
    """
    field = next((k for k in _STATEMENT_FIELDS if isinstance(statement.get(k), Choice)), None)
    if field is None:
        return statement
    if budget <= 0:
        return statement
    condition = statement[field].condition
    branches = []
    for pick in (True, False):
        branch = LDict(span=statement.span)
        for key, value in statement.items():
            if isinstance(value, Choice) and value.condition == condition:
                value = value.when_true if pick else value.when_false
                if value is None:
                    continue  # AWS::NoValue in this branch
            branch.set(key, value, statement.key_spans.get(key))
        branches.append(_hoist_statement(branch, budget - 1))
    return _choice(condition, branches[0], branches[1], statement.span or Span("", 1))


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, (Choice, Unknown)) or isinstance(right, (Choice, Unknown)):
        return False
    if contains_unknown(left) or contains_unknown(right):
        return False
    return plain(left) == plain(right) and getattr(left, "ref", None) == getattr(right, "ref", None)


def _comparable(value: Any) -> Any:
    """A value Fn::Equals can compare, or None when it is not known."""
    if isinstance(value, (Unknown, Choice)) or value is NOVALUE or value is None:
        return None
    if isinstance(value, list):
        items = [_comparable(v) for v in value]
        return None if any(i is None for i in items) else items
    if isinstance(value, dict):
        return None
    text = _text(value)
    if getattr(value, "ref", None) is not None or "${" in text:
        return None  # a symbolic value (an ARN only known after deploy, the deploying region)
    return text


def _equals(left: Any, right: Any) -> bool | None:
    a, b = _comparable(left), _comparable(right)
    if a is None or b is None:
        return None
    return a == b
