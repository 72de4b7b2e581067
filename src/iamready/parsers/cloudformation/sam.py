"""The parts of the SAM transform (``Transform: AWS::Serverless-2016-10-31``) that grant permissions.

For each ``AWS::Serverless::Function`` the ``Globals.Function`` section is merged in (SAM's
rules: the resource's scalar wins, lists are concatenated global-first, maps are merged key by
key, an intrinsic function counts as a scalar; ``IgnoreGlobals`` honoured). When the function
sets no ``Role``, SAM creates the execution role ``<LogicalId>Role``; it is synthesized here as an
``AWS::IAM::Role`` declaration, before intrinsics are resolved:

* ``AssumeRolePolicyDocument``: the function's, else a trust of ``lambda.amazonaws.com``;
* ``ManagedPolicyArns``: ``AWSLambdaBasicExecutionRole``, X-Ray write access when ``Tracing`` is
  on, VPC access when ``VpcConfig`` is set, then every managed policy named in ``Policies`` (a name
  becomes ``arn:aws:iam::aws:policy/<path><Name>``, the path from the AWS managed policy snapshot; an
  ARN or intrinsic is kept);
* ``Policies``: the dead-letter-queue policy, then each inline policy document of ``Policies`` and
  each SAM policy template expanded to its statements (``iamready/data/sam_policy_templates.json``,
  generated from the ``aws-sam-translator`` package's own definitions by :mod:`iamready.refresh`),
  named ``<Role>Policy<index>`` as SAM does;
* the managed policy each pull event source (SQS, Kinesis, DynamoDB streams, MSK) adds;
* ``Path`` / ``PermissionsBoundary`` from ``RolePath`` / ``PermissionsBoundary``.

Synthesized values are located at the ``Policies`` entry they come from (the function's
``Policies`` property, or the function, for the rest). ``AWS::Serverless::StateMachine`` gets the
same treatment with a ``states.amazonaws.com`` trust and no default managed policy.
"""

from __future__ import annotations

import difflib
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iamready.model.notes import PARSE_ERROR, Notification
from iamready.model.span import Span
from iamready.model.value import Cause, LDict, LList, Unknown
from iamready.parsers.cloudformation.intrinsics import is_intrinsic

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
FUNCTION = "AWS::Serverless::Function"
STATE_MACHINE = "AWS::Serverless::StateMachine"
MANAGED_ARN = "arn:aws:iam::aws:policy/"

# Globals.Function may not hold these (SAM rejects the template)
_NOT_GLOBAL = ("Role", "Policies", "FunctionName", "Events")
_DLQ_ACTIONS = {"SQS": "sqs:SendMessage", "SNS": "sns:Publish"}
_EVENT_POLICIES = {
    "SQS": "AWSLambdaSQSQueueExecutionRole",
    "Kinesis": "AWSLambdaKinesisExecutionRole",
    "DynamoDB": "AWSLambdaDynamoDBExecutionRole",
    "MSK": "AWSLambdaMSKExecutionRole",
}


_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "data" / "sam_policy_templates.json"


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with open(_TEMPLATES, encoding="utf-8") as handle:
        return json.load(handle)


def policy_templates() -> dict[str, Any]:
    """Every SAM policy template: name -> {"parameters": [...], "definition": {"Statement": ...}}."""
    return _data()["templates"]


def managed_policy_arn(name: str) -> str:
    """The ARN SAM uses for a managed policy given by name in ``Policies`` (its path, such as
    ``service-role/``, from the AWS managed policy snapshot; a name AWS does not have stays at the root,
    where AWS-IAM-015 reports it)."""
    if name.startswith("arn:"):
        return name
    from iamready.awsdata import lookup

    entry = lookup(name)
    return entry.arn() if entry is not None else MANAGED_ARN + name


def is_sam(body: Any) -> bool:
    transform = body.get("Transform") if isinstance(body, dict) else None
    if isinstance(transform, str):
        return transform == SAM_TRANSFORM
    return isinstance(transform, list) and SAM_TRANSFORM in transform


@dataclass
class Expanded:
    """The Resources section after the SAM transform."""

    resources: LDict  # logical id -> declaration (raw, intrinsics unresolved)
    origin: dict[str, str] = field(default_factory=dict)  # synthesized logical id -> SAM resource
    # synthesized role -> position in its Policies -> (the SAM policy template that wrote that entry, the
    # indexes of its statements that are SAM's text alone, no parameter the author gives in them): SAM's
    # wording, not the author's. Kept beside the declaration, never in it, so that the properties stay
    # exactly the ones CloudFormation's schema knows
    templates: dict[str, dict[int, tuple[str, tuple[int, ...]]]] = field(default_factory=dict)


def expand(body: LDict, resources: LDict, path: str, notes: list[Notification]) -> Expanded:
    globals_section = body.get("Globals")
    function_globals = _globals(globals_section, "Function", path, notes)
    out = LDict(span=resources.span)
    result = Expanded(out)
    for logical_id, decl in resources.items():
        span = resources.key_spans.get(logical_id) or resources.span or Span(path, 1)
        rtype = decl.get("Type") if isinstance(decl, dict) else None
        if rtype not in (FUNCTION, STATE_MACHINE) or not isinstance(decl, dict):
            out.set(logical_id, decl, span)
            continue
        props = decl.get("Properties")
        props = props if isinstance(props, LDict) else LDict(span=span)
        if rtype == FUNCTION and function_globals:
            props = merge(_ignore_globals(function_globals, decl.get("IgnoreGlobals")), props)
        new_decl = _copy(decl)
        new_decl.set("Properties", props, decl.key_spans.get("Properties") or span)
        out.set(logical_id, new_decl, span)
        role = _Role(logical_id, rtype, new_decl, props, span, path, notes)
        role_decl = role.build(resources)
        if role_decl is not None:
            out.set(role.logical_id, role_decl, role.span)
            result.origin[role.logical_id] = logical_id
            if role.templates:
                result.templates[role.logical_id] = role.templates
        if rtype == FUNCTION:
            _implicit_apis(props, span, resources, out, result, logical_id)
            _function_url(props, span, resources, out, result, logical_id)
    return result


def _function_url(props: LDict, span: Span, declared: LDict, out: LDict, result: Expanded, source: str) -> None:
    """``FunctionUrlConfig``: SAM creates the function URL ``<Function>Url`` (``!GetAtt MyFunctionUrl.FunctionUrl``)
    and, for ``AuthType: NONE``, the permissions that let everyone call it (aws-sam-translator 1.110.0)."""
    config = props.get("FunctionUrlConfig")
    logical_id = f"{source}Url"
    if not isinstance(config, LDict) or logical_id in declared or logical_id in out:
        return
    where = props.key_spans.get("FunctionUrlConfig") or span
    url = _d(where, ("TargetFunctionArn", _d(where, ("Ref", source))))
    for key in ("AuthType", "Cors", "InvokeMode"):
        if key in config:
            url.set(key, config[key], config.key_spans.get(key) or where)
    out.set(logical_id, _d(where, ("Type", "AWS::Lambda::Url"), ("Properties", url)), where)
    result.origin[logical_id] = source
    auth = config.get("AuthType")
    if not (isinstance(auth, str) and auth == "NONE"):
        return
    # AuthType NONE: SAM also adds the two statements that open the URL to everyone, located at AuthType (the
    # setting the author changes): invoking the URL, and invoking the function through the URL
    at = config.key_spans.get("AuthType") or where
    public = (
        (f"{source}UrlPublicPermissions", "lambda:InvokeFunctionUrl", ("FunctionUrlAuthType", "NONE")),
        (f"{source}URLInvokeAllowPublicAccess", "lambda:InvokeFunction", ("InvokedViaFunctionUrl", True)),
    )
    for permission_id, action, condition in public:
        if permission_id in declared or permission_id in out:
            continue
        properties = _d(
            at, ("Action", action), ("FunctionName", _d(at, ("Ref", source))), ("Principal", "*"), condition
        )
        out.set(permission_id, _d(at, ("Type", "AWS::Lambda::Permission"), ("Properties", properties)), at)
        result.origin[permission_id] = source


# SAM creates one API for the functions whose Api / HttpApi events name none: templates refer to it
# (!Sub "https://${ServerlessRestApi}.execute-api...") and CloudFormation accepts that
_IMPLICIT_APIS = {
    "Api": ("RestApiId", "ServerlessRestApi", "AWS::ApiGateway::RestApi"),
    "HttpApi": ("ApiId", "ServerlessHttpApi", "AWS::ApiGatewayV2::Api"),
}


def _implicit_apis(props: LDict, span: Span, declared: LDict, out: LDict, result: Expanded, source: str) -> None:
    events = props.get("Events")
    if not isinstance(events, dict):
        return
    for event in events.values():
        kind = event.get("Type") if isinstance(event, dict) else None
        if kind not in _IMPLICIT_APIS:
            continue
        id_key, logical_id, rtype = _IMPLICIT_APIS[kind]
        event_props = event.get("Properties")
        if isinstance(event_props, dict) and id_key in event_props:
            continue  # the event names its own API
        if logical_id not in declared and logical_id not in out:
            out.set(logical_id, _d(span, ("Type", rtype), ("Properties", LDict(span=span))), span)
            result.origin[logical_id] = source


# -- Globals ----------------------------------------------------------------------------------
def _globals(section: Any, kind: str, path: str, notes: list[Notification]) -> LDict | None:
    if not isinstance(section, LDict):
        return None
    value = section.get(kind)
    if not isinstance(value, LDict):
        return None
    out = LDict(span=value.span)
    for key, item in value.items():
        key_span = value.key_spans.get(key)
        if key in _NOT_GLOBAL:
            notes.append(
                Notification(
                    PARSE_ERROR,
                    f"Globals.{kind}.{key} is not supported by SAM (the transform rejects the template); ignored",
                    key_span or value.span or Span(path, 1),
                    "error",
                )
            )
            continue
        out.set(key, item, key_span)
    return out


def _ignore_globals(globals_value: LDict, ignore: Any) -> LDict:
    if ignore == "*":
        return LDict()
    if isinstance(ignore, list):
        kept = LDict(span=globals_value.span)
        for key, item in globals_value.items():
            if key not in ignore:
                kept.set(key, item, globals_value.key_spans.get(key))
        return kept
    return globals_value


def _token(value: Any) -> str:
    if isinstance(value, dict):
        return "primitive" if is_intrinsic(value) else "dict"
    if isinstance(value, list):
        return "list"
    return "primitive"


def merge(global_value: Any, local_value: Any) -> Any:
    """SAM's Globals merge: see the module docstring."""
    token = _token(global_value)
    if token != _token(local_value) or token == "primitive":
        return local_value
    if token == "list":
        out = LList(span=getattr(local_value, "span", None))
        for source in (global_value, local_value):
            for index, item in enumerate(source):
                out.add(item, source.span_of(index) if isinstance(source, LList) else None)
        return out
    out_dict = LDict(span=getattr(local_value, "span", None))
    for key, item in global_value.items():
        out_dict.set(key, item, global_value.key_spans.get(key) if isinstance(global_value, LDict) else None)
    for key, item in local_value.items():
        key_span = local_value.key_spans.get(key) if isinstance(local_value, LDict) else None
        out_dict.set(key, merge(global_value[key], item) if key in global_value else item, key_span)
    return out_dict


# -- the execution role -----------------------------------------------------------------------
def _d(span: Span, *items: tuple[str, Any]) -> LDict:
    out = LDict(span=span)
    for key, value in items:
        out.set(key, value, span)
    return out


def _l(span: Span, items: list[Any]) -> LList:
    return LList(items, span=span, item_spans=[span] * len(items))


def _copy(decl: LDict) -> LDict:
    out = LDict(span=decl.span)
    for key, value in decl.items():
        out.set(key, value, decl.key_spans.get(key))
    return out


def _no_value(value: Any) -> bool:
    return isinstance(value, dict) and value.get("Ref") == "AWS::NoValue" and len(value) == 1


class _Role:
    def __init__(
        self,
        source_id: str,
        rtype: str,
        decl: LDict,
        props: LDict,
        span: Span,
        path: str,
        notes: list[Notification],
    ) -> None:
        self.source_id = source_id
        self.rtype = rtype
        self.decl = decl
        self.props = props
        self.source_span = span
        self.path = path
        self.notes = notes
        self.logical_id = f"{source_id}Role"
        self.span = props.key_spans.get("Policies") or span
        self.managed = LList(span=self.span)
        self.inline = LList(span=self.span)
        self._managed_seen: set[str] = set()
        # position in ``inline`` -> (the SAM policy template it expands, its statements without parameters)
        self.templates: dict[int, tuple[str, tuple[int, ...]]] = {}

    def build(self, declared: LDict) -> LDict | None:
        role = self.props.get("Role")
        condition: Any = self.decl.get("Condition")
        getatt = _d(self.source_span, ("Fn::GetAtt", _l(self.source_span, [self.logical_id, "Arn"])))
        if role is not None:
            if not (isinstance(role, dict) and "Fn::If" in role and isinstance(role["Fn::If"], list)):
                return None  # the function names its role: SAM creates none (and ignores Policies)
            args = role["Fn::If"]
            if len(args) != 3 or not (_no_value(args[1]) or _no_value(args[2])):
                return None
            # Role: !If [Cond, !Ref AWS::NoValue, arn]: SAM creates the role for the NoValue branch
            replaced = LList(span=getattr(args, "span", None))
            for index, item in enumerate(args):
                span = args.span_of(index) if isinstance(args, LList) else self.source_span
                replaced.add(getatt if index and _no_value(item) else item, span)
            self.props.set("Role", _d(self.source_span, ("Fn::If", replaced)), self.props.key_spans.get("Role"))
            if not (_no_value(args[1]) and _no_value(args[2])):
                condition = args[0] if _no_value(args[1]) else None
        else:
            self.props.set("Role", getatt, self.source_span)
        if self.logical_id in declared:
            self.notes.append(
                Notification(
                    PARSE_ERROR,
                    f"SAM creates the execution role {self.logical_id} for {self.source_id}, but the template "
                    "already declares a resource with that logical id",
                    declared.key_spans.get(self.logical_id) or self.source_span,
                    "error",
                )
            )
            return None
        return self._declaration(condition)

    def _declaration(self, condition: Any) -> LDict:
        props = self.props
        span = self.span
        function = self.rtype == FUNCTION
        trust = props.get("AssumeRolePolicyDocument") if function else None
        if trust is None:
            service = "lambda.amazonaws.com" if function else "states.amazonaws.com"
            statement = _d(
                span,
                ("Action", _l(span, ["sts:AssumeRole"])),
                ("Effect", "Allow"),
                ("Principal", _d(span, ("Service", _l(span, [service])))),
            )
            trust = _d(span, ("Version", "2012-10-17"), ("Statement", _l(span, [statement])))
        if function:
            self._add_managed(managed_policy_arn("AWSLambdaBasicExecutionRole"), span)
            tracing = props.get("Tracing")
            if tracing is not None and tracing != "Disabled":
                self._add_managed(managed_policy_arn("AWSXrayWriteOnlyAccess"), props.key_spans.get("Tracing", span))
            if props.get("VpcConfig") is not None:
                self._add_managed(
                    managed_policy_arn("AWSLambdaVPCAccessExecutionRole"), props.key_spans.get("VpcConfig", span)
                )
        else:
            tracing = props.get("Tracing")
            if isinstance(tracing, dict) and tracing.get("Enabled") is True:
                self._add_managed(managed_policy_arn("AWSXrayWriteOnlyAccess"), props.key_spans.get("Tracing", span))
        # SAM lists the dead-letter-queue policy first, then the Policies entries
        dlq = props.get("DeadLetterQueue") if function else None
        if isinstance(dlq, dict) and dlq.get("Type") in _DLQ_ACTIONS:
            dlq_span = props.key_spans.get("DeadLetterQueue", span)
            statement = _d(
                dlq_span,
                ("Action", _DLQ_ACTIONS[str(dlq["Type"])]),
                ("Resource", dlq.get("TargetArn")),
                ("Effect", "Allow"),
            )
            document = _d(dlq_span, ("Version", "2012-10-17"), ("Statement", _l(dlq_span, [statement])))
            self.inline.add(
                _d(dlq_span, ("PolicyName", "DeadLetterQueuePolicy"), ("PolicyDocument", document)), dlq_span
            )
        policies = props.get("Policies")
        if policies is not None:
            entries = policies if isinstance(policies, list) else [policies]
            for index, entry in enumerate(entries):
                entry_span = (policies.span_of(index) if isinstance(policies, LList) else None) or span
                self._entry(index, entry, entry_span)
        events = props.get("Events") if function else None
        if isinstance(events, LDict):  # pull event sources add the managed policy their poller needs
            for event_name, event in events.items():
                event_type = event.get("Type") if isinstance(event, dict) else None
                if isinstance(event_type, str) and event_type in _EVENT_POLICIES:
                    self._add_managed(
                        managed_policy_arn(_EVENT_POLICIES[event_type]), events.key_spans.get(event_name, span)
                    )
        role_props = LDict(span=span)
        role_props.set("AssumeRolePolicyDocument", trust, props.key_spans.get("AssumeRolePolicyDocument", span))
        role_props.set("ManagedPolicyArns", self.managed, span)
        if self.inline:
            role_props.set("Policies", self.inline, span)
        for source, target in (("RolePath", "Path"), ("PermissionsBoundary", "PermissionsBoundary")):
            if props.get(source) is not None:
                role_props.set(target, props[source], props.key_spans.get(source, span))
        decl = _d(span, ("Type", "AWS::IAM::Role"), ("Properties", role_props))
        if condition is not None:
            decl.set("Condition", condition, span)
        if self.decl.get("Metadata") is not None:  # suppressions written on the function apply to its role
            decl.set("Metadata", self.decl["Metadata"], self.decl.key_spans.get("Metadata", span))
        return decl

    def _add_managed(self, value: Any, span: Span) -> None:
        if isinstance(value, str):
            if value in self._managed_seen:
                return
            self._managed_seen.add(value)
        self.managed.add(value, span)

    def _policy_name(self, index: int) -> str:
        return f"{self.logical_id}Policy{index}"

    def _entry(self, index: int, entry: Any, span: Span) -> None:
        kind = _kind(entry)
        if kind == "managed":
            self._add_managed(managed_policy_arn(str(entry)) if isinstance(entry, str) else entry, span)
        elif kind == "statement":
            self.inline.add(self._inline(index, entry, span), span)
        elif kind == "template":
            self.templates[len(self.inline)] = (str(next(iter(entry))), _fixed_statements(entry))
            self.inline.add(self._inline(index, self._template(entry, span), span), span)
        elif kind == "if":
            self._if_entry(index, entry, span)
        else:
            self.notes.append(
                Notification(
                    PARSE_ERROR,
                    f"{self.source_id}.Policies[{index}] is not a managed policy, a policy document or a "
                    "SAM policy template; SAM rejects it",
                    span,
                    "error",
                )
            )

    def _if_entry(self, index: int, entry: LDict, span: Span) -> None:
        args = entry["Fn::If"]
        if not isinstance(args, list) or len(args) != 3:
            self._add_managed(entry, span)
            return
        kinds = {_kind(a) for a in args[1:] if not _no_value(a)}
        branches = LList(span=getattr(args, "span", None))
        for position, item in enumerate(args):
            item_span = (args.span_of(position) if isinstance(args, LList) else None) or span
            if position == 0 or _no_value(item):
                branches.add(item, item_span)
            elif kinds == {"managed"}:
                branches.add(managed_policy_arn(str(item)) if isinstance(item, str) else item, item_span)
            elif _kind(item) == "template":
                branches.add(self._inline(index, self._template(item, item_span), item_span), item_span)
            else:
                branches.add(self._inline(index, item, item_span), item_span)
        value = _d(span, ("Fn::If", branches))
        if kinds == {"managed"}:
            self.managed.add(value, span)
            return
        if kinds == {"template"}:  # whichever branch applies, SAM wrote it
            names = dict.fromkeys(str(next(iter(a))) for a in args[1:] if not _no_value(a))
            self.templates[len(self.inline)] = (" or ".join(names), ())  # branches: statements not told apart
        self.inline.add(value, span)

    def _inline(self, index: int, document: Any, span: Span) -> LDict:
        return _d(span, ("PolicyName", self._policy_name(index)), ("PolicyDocument", document))

    def _template(self, entry: LDict, span: Span) -> LDict:
        name, params = next(iter(entry.items()))
        definition = policy_templates().get(name)
        if definition is None:  # said once, where it is written, with every check that needed its statements
            reason = f"SAM policy template {name} is not known to iamready"
            nearest = difflib.get_close_matches(str(name), list(policy_templates()), n=1)
            cause = Cause(
                f"{self.source_id}: {reason} (its statements are unknown"
                + (f"; the nearest SAM template is {nearest[0]})" if nearest else ")"),
                span,
                f"check the name against SAM's policy templates ({len(policy_templates())} known to iamready, from "
                f"{_data().get('source', {}).get('package', 'aws-sam-translator')} "
                f"{_data().get('source', {}).get('version', '')}); a template SAM does not have fails the transform",
            )
            return _d(span, ("Version", "2012-10-17"), ("Statement", _l(span, [Unknown(reason, span, cause)])))
        values = params if isinstance(params, dict) else {}
        missing = [p for p in definition["parameters"] if p not in values]
        for parameter in missing:
            self.notes.append(
                Notification(
                    PARSE_ERROR,
                    f"{self.source_id}: SAM policy template {name} needs the parameter {parameter} "
                    "(the transform rejects the template)",
                    span,
                    "error",
                )
            )
        parameters = set(definition["parameters"])
        statements = definition["definition"]["Statement"]
        statements = statements if isinstance(statements, list) else [statements]
        return _d(
            span,
            ("Version", "2012-10-17"),
            ("Statement", _l(span, [_substitute(s, values, parameters, name, span) for s in statements])),
        )


def _fixed_statements(entry: LDict) -> tuple[int, ...]:
    """Indexes of the template's statements in which no parameter appears: SAM's text alone (the
    ``Resource: "*"`` of ``CloudWatchPutMetricPolicy``), which the author cannot change."""
    definition = policy_templates().get(str(next(iter(entry))))
    if definition is None:
        return ()
    parameters = set(definition["parameters"])
    statements = definition["definition"]["Statement"]
    statements = statements if isinstance(statements, list) else [statements]
    return tuple(i for i, statement in enumerate(statements) if not _uses_parameter(statement, parameters))


def _uses_parameter(value: Any, parameters: set[str]) -> bool:
    if isinstance(value, dict):
        if len(value) == 1 and value.get("Ref") in parameters:
            return True
        return any(_uses_parameter(v, parameters) for v in value.values())
    if isinstance(value, list):
        return any(_uses_parameter(v, parameters) for v in value)
    return False


def _kind(entry: Any) -> str:
    if isinstance(entry, str) and not isinstance(entry, Unknown):
        return "managed"
    if isinstance(entry, dict):
        if is_intrinsic(entry):
            return "if" if "Fn::If" in entry else "managed"
        if "Statement" in entry:
            return "statement"
        if len(entry) == 1:
            return "template"
    return "invalid"


def _substitute(value: Any, params: dict[str, Any], parameters: set[str], template: str, span: Span) -> Any:
    """A template's definition with each ``{"Ref": <parameter>}`` replaced by the value the template
    gives (as SAM does); every other intrinsic is left for the CloudFormation resolver."""
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("Ref"), str) and value["Ref"] in parameters:
            return _parameter(value["Ref"], params, template, span)
        return _d(span, *((k, _substitute(v, params, parameters, template, span)) for k, v in value.items()))
    if isinstance(value, list):
        return _l(span, [_substitute(v, params, parameters, template, span) for v in value])
    return value


def _parameter(name: str, params: dict[str, Any], template: str, span: Span) -> Any:
    if name in params:
        return params[name]
    return Unknown(f"SAM policy template {template}: parameter {name} is not given", span)
