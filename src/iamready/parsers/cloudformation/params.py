"""Parameter values given on the command line: ``--cfn-param NAME=VALUE`` and ``--cfn-param-file``.

A parameters file is JSON in one of the shapes people already have:

* the AWS CLI's ``[{"ParameterKey": "Env", "ParameterValue": "prod"}, ...]``;
* a plain object ``{"Env": "prod", "Subnets": ["a", "b"]}``;
* a CodePipeline template configuration ``{"Parameters": {"Env": "prod"}, "Tags": {...}}``.

Files are read in order; ``--cfn-param`` values win over files. A problem with a file is a
located ``config`` notification; its usable entries are still used.
"""

from __future__ import annotations

import os
from typing import Any

from iamready.model.notes import CONFIG, Notification
from iamready.model.span import Span


def read_parameters(config: Any, notes: list[Notification]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    cwd = getattr(config, "cwd", None) or os.getcwd()
    for name in getattr(config, "cfn_param_files", ()) or ():
        values.update(read_parameter_file(os.path.join(cwd, name), notes))
    values.update({str(k): v for k, v in (getattr(config, "cfn_params", None) or {}).items()})
    return values


def read_parameter_file(path: str, notes: list[Notification]) -> dict[str, Any]:
    from iamready.jsonpos import JsonPosError, loads
    from iamready.parsers.terraform.files import read_text

    text = read_text(path, notes)
    if text is None:
        return {}
    try:
        data, _ = loads(text, path)
    except JsonPosError as exc:
        notes.append(
            Notification(
                CONFIG, f"invalid JSON in parameters file: {exc.message}", Span(path, exc.line, exc.column), "error"
            )
        )
        return {}
    if isinstance(data, dict) and isinstance(data.get("Parameters"), dict):
        data = data["Parameters"]
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if _scalar_or_list(value):
                out[str(key)] = _plain(value)
            else:
                _bad(notes, f"value of parameter {key!r} must be a string, a number or a list", path, data, key)
        return out
    if isinstance(data, list):
        for index, item in enumerate(data):
            span = (data.span_of(index) if hasattr(data, "span_of") else None) or Span(path, 1)
            if not isinstance(item, dict) or "ParameterKey" not in item:
                notes.append(Notification(CONFIG, "each entry needs ParameterKey and ParameterValue", span, "error"))
                continue
            if item.get("UsePreviousValue") is True and "ParameterValue" not in item:
                continue  # the value is whatever the deployed stack has: unknown here
            value = item.get("ParameterValue")
            if not _scalar_or_list(value):
                notes.append(
                    Notification(CONFIG, f"ParameterValue of {item['ParameterKey']!r} must be a string", span, "error")
                )
                continue
            out[str(item["ParameterKey"])] = _plain(value)
        return out
    notes.append(
        Notification(
            CONFIG,
            "a parameters file must hold a list of {ParameterKey, ParameterValue} or an object of name: value",
            Span(path, 1),
            "error",
        )
    )
    return {}


def _scalar_or_list(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(v, (str, int, float, bool)) for v in value)
    return isinstance(value, (str, int, float, bool))


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _bad(notes: list[Notification], message: str, path: str, data: Any, key: Any) -> None:
    span = getattr(data, "key_spans", {}).get(key) or Span(path, 1)
    notes.append(Notification(CONFIG, message, span, "error"))
