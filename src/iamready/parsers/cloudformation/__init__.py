"""CloudFormation templates (JSON and YAML, short-form tags, SAM) into the resource graph.

The engine calls three functions:

* :func:`load_template` reads one file (:mod:`.loader`): YAML through the composer with spans,
  short-form tags in their long form, duplicate keys reported, alias bombs refused; JSON with
  positions. ``None`` (with a located notification) when the file is unusable.
* :func:`read_parameters` collects ``--cfn-param`` / ``--cfn-param-file`` values (:mod:`.params`).
* :func:`build` adds the template's nodes to the graph:

  - each entry of ``Resources``: a :class:`~iamready.model.graph.Resource` with id
    ``"<path>::<LogicalId>"``, address = the logical id, ``attrs`` = the resolved ``Properties``
    (:mod:`.intrinsics`), ``meta`` = ``Condition`` (and ``ConditionValue``, see below),
    ``Metadata`` (raw: suppressions read it), ``DependsOn``; SAM resources are expanded first
    (:mod:`.sam`), so a function's implicit execution role is a node too;
  - each parameter: type ``"parameter"``, address ``"Parameters.<Name>"``, ``attrs`` = its
    declaration (``Type``, ``Default``, ``NoEcho``, ...);
  - each output: type ``"output"``, address ``"Outputs.<Name>"``, ``attrs`` = the resolved entry;
  - ``ref`` edges for every ``Ref``, ``Fn::GetAtt``, ``Fn::Sub`` reference and ``DependsOn``.

A resource whose ``Condition`` is fixed to false (by constants or ``--cfn-param`` values) is not
created by CloudFormation and is left out. Condition values are recorded per template, see
:func:`template_conditions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from iamready.parsers.cloudformation.loader import ConditionState, Template

if TYPE_CHECKING:
    from iamready.model.graph import Graph
    from iamready.model.notes import Notification

__all__ = ["ConditionState", "Template", "build", "load_template", "read_parameters", "template_conditions"]


def load_template(path: str, cache: Any, notes: list[Notification]) -> Template | None:
    from iamready.parsers.cloudformation.loader import load_template as load

    return load(path, notes, cache)


def not_a_template(template: Template | None) -> str | None:
    """Why a parsed file is not a CloudFormation template, or None when it is one.

    A template is a mapping with ``AWSTemplateFormatVersion``, or a SAM ``Transform``, or a
    ``Resources`` mapping whose entries have an ``AWS::``/``Alexa::``/``Custom::`` ``Type``; the
    layout around it (indentation, comments, a byte order mark, ``---``) does not matter.
    """
    if template is None:
        return "it could not be parsed"
    body = template.body
    if "AWSTemplateFormatVersion" in body:
        return None
    transform = body.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    if any(isinstance(t, str) and t.startswith("AWS::Serverless") for t in transforms):
        return None
    resources = body.get("Resources")
    if not isinstance(resources, dict):
        return "no AWSTemplateFormatVersion, no Transform: AWS::Serverless and no Resources mapping at the top level"
    for entry in resources.values():
        rtype = entry.get("Type") if isinstance(entry, dict) else None
        if isinstance(rtype, str) and rtype.startswith(("AWS::", "Alexa::", "Custom::")):
            return None
    return "its Resources have no AWS:: Type"


def read_parameters(config: Any, notes: list[Notification]) -> dict[str, Any]:
    from iamready.parsers.cloudformation.params import read_parameters as read

    return read(config, notes)


def template_conditions(graph: Graph, path: str) -> dict[str, ConditionState]:
    """The conditions of one template, by name (empty when it has none or was not built)."""
    return dict(getattr(graph, "cfn_conditions", {}).get(path, {}))


def build(template: Template, graph: Graph, params: dict[str, Any]) -> None:
    from iamready.parsers.cloudformation.builder import build_template

    build_template(template, graph, params)
