"""Account-wide controls for the baseline profile (``--profile baseline``).

A baseline rule looks at each scanned scope on its own: each Terraform root module (with the
modules it calls) and each CloudFormation template. A missing control is reported at the
first file of the scope, with a message naming the scope, so users see which deployment
lacks what.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from iamready.model.graph import CLOUDFORMATION, TERRAFORM
from iamready.model.span import Span
from iamready.model.value import Choice, Unknown, Value

if TYPE_CHECKING:
    from iamready.context import Context
    from iamready.model.graph import Graph, Resource
    from iamready.rule import Finding, Unresolved


@dataclass(frozen=True)
class Scope:
    id: str  # Resource.scope: the root module directory or the template file
    framework: str
    span: Span  # line 1 of the scope's first file
    label: str  # "Terraform root module infra/baseline", "template stacks/iam.yaml"

    def resources(self, graph: Graph, types: str | tuple[str, ...]) -> list[Resource]:
        return graph.resources_in(self.id, types)


_DECLARATIONS = {"variable", "output", "locals", "tfvars", "module"}


def scopes(ctx: Context, framework: str | None = None) -> Iterator[Scope]:
    """The scanned scopes, in path order."""
    graph = ctx.graph
    cwd = getattr(ctx.config, "cwd", None) or os.getcwd()
    files: dict[tuple[str, str], set[str]] = {}
    for resource in graph.resources():
        if resource.type == "tfvars" or (framework and resource.framework != framework):
            continue
        if resource.framework == TERRAFORM and resource.module_path:
            files.setdefault((resource.framework, resource.scope), set())
            continue
        files.setdefault((resource.framework, resource.scope), set()).add(resource.span.path)
    for (kind, scope_id), paths in sorted(files.items(), key=lambda item: item[0][1]):
        if not paths:
            continue
        first = sorted(paths)[0]
        where = _relative(scope_id, cwd)
        if kind == CLOUDFORMATION:
            label = f"template {where}"
        elif scope_id.endswith(".json"):  # a plan file is its own scope
            label = f"Terraform plan {where}"
        else:
            label = f"Terraform root module {where}"
        yield Scope(scope_id, kind, Span(first, 1, 1, 1, 1), label)


def _relative(path: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return path
    if rel == ".":
        return os.path.basename(os.path.abspath(path)) or path
    return rel.replace(os.sep, "/")


# -- AWS Config managed rules ---------------------------------------------------------------
CONFIG_RULE_TYPES = (
    "aws_config_config_rule",
    "aws_config_organization_managed_rule",
    "aws_config_conformance_pack",
    "aws_config_organization_conformance_pack",
    "AWS::Config::ConfigRule",
    "AWS::Config::OrganizationConfigRule",
    "AWS::Config::ConformancePack",
    "AWS::Config::OrganizationConformancePack",
)
_IDENTIFIER_ATTRS = {
    "aws_config_config_rule": "source.source_identifier",
    "aws_config_organization_managed_rule": "rule_identifier",
    "aws_config_conformance_pack": "template_body",
    "aws_config_organization_conformance_pack": "template_body",
    "AWS::Config::ConfigRule": "Source.SourceIdentifier",
    "AWS::Config::OrganizationConfigRule": "OrganizationManagedRuleMetadata.RuleIdentifier",
    "AWS::Config::ConformancePack": "TemplateBody",
    "AWS::Config::OrganizationConformancePack": "TemplateBody",
}


@dataclass
class ConfigRules:
    identifiers: dict[str, Resource]  # managed rule identifier -> a resource deploying it
    unknown: list[tuple[Resource, Value]]  # rules whose identifier could not be read


def config_rules(graph: Graph, scope: Scope) -> ConfigRules:
    found: dict[str, Resource] = {}
    unknown: list[tuple[Resource, Value]] = []
    for resource in scope.resources(graph, CONFIG_RULE_TYPES):
        value = resource.attr(_IDENTIFIER_ATTRS[resource.type])
        if value.is_unknown or isinstance(value.raw, (Unknown, Choice)):
            unknown.append((resource, value))
            continue
        if not value.is_set:
            continue
        for text in _strings(value.raw):
            for identifier in re.findall(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b", text):
                found.setdefault(identifier, resource)
    return ConfigRules(found, unknown)


def missing_config_rule(ctx: Context, identifiers: tuple[str, ...]) -> Iterator[Finding | Unresolved]:
    """For each scope, a finding when it deploys none of the managed Config rules ``identifiers``
    (any of them will do), a note when a rule's identifier cannot be read."""
    from iamready.rule import Finding, Unresolved

    wanted = identifiers[0] + (f" (or {', '.join(identifiers[1:])})" if len(identifiers) > 1 else "")
    for scope in scopes(ctx):
        found = config_rules(ctx.graph, scope)
        if any(identifier in found.identifiers for identifier in identifiers):
            continue
        if found.unknown:
            resource, value = found.unknown[0]
            yield Unresolved(
                f"{scope.label}: whether {resource.address} deploys {identifiers[0]} is not known "
                f"({value.why_unknown})",
                at=value,
                resource=resource,
            )
            continue
        yield Finding(f"{scope.label} deploys no AWS Config rule {wanted}", at=scope.span, key=scope.id)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str) and not isinstance(value, Unknown):
        yield str(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


__all__ = ["CLOUDFORMATION", "TERRAFORM", "ConfigRules", "Scope", "config_rules", "scopes"]
