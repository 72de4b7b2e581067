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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from iamready.parsers.cloudformation.loader import Template

if TYPE_CHECKING:
    from iamready.model.graph import Graph
    from iamready.model.notes import Notification

__all__ = ["ConditionState", "Template", "build", "load_template", "read_parameters", "template_conditions"]


@dataclass(frozen=True)
class ConditionState:
    """A condition of the Conditions section: its value when fixed, and under the defaults."""

    name: str
    value: bool | None  # fixed by constants and --cfn-param values; None: decided at deploy time
    with_defaults: bool | None  # with parameter defaults as well


def load_template(path: str, cache: Any, notes: list[Notification]) -> Template | None:
    from iamready.parsers.cloudformation.loader import load_template as load

    return load(path, notes, cache)


def read_parameters(config: Any, notes: list[Notification]) -> dict[str, Any]:
    from iamready.parsers.cloudformation.params import read_parameters as read

    return read(config, notes)


def template_conditions(graph: Graph, path: str) -> dict[str, ConditionState]:
    """The conditions of one template, by name (empty when it has none or was not built)."""
    return dict(getattr(graph, "cfn_conditions", {}).get(path, {}))


def build(template: Template, graph: Graph, params: dict[str, Any]) -> None:
    from iamready.parsers.cloudformation.builder import build_template

    build_template(template, graph, params)
