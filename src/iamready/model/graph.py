"""The resource graph shared by Terraform, CloudFormation and plan inputs.

Nodes are resources, data sources and module calls; edges are references (``kind="ref"``, with
the attribute path that holds the reference) and semantic links that rules ask about
(``attaches``: a policy applies to a principal, ``member``: a user is in a group,
``writes_to``: a trail or report writes to a bucket, ``protects``: a public-access block or a
bucket policy applies to a bucket, ``boundary``: a permission boundary limits a principal).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from iamready.model.span import Span
from iamready.model.value import MISSING, Cause, LDict, Value

if TYPE_CHECKING:
    from iamready.model.notes import Notification

# A policy document written on a resource (iamready.iam.policy.PolicyDocument, which has ``holder``).
# The model stores them for the IAM layer above it and does not know their type.
PolicyDocument = Any

TERRAFORM = "terraform"
CLOUDFORMATION = "cloudformation"


@dataclass(eq=False)
class Resource:
    """A resource, data source or module call, fully evaluated where possible."""

    id: str  # unique across the scan: "<scope>::<address>"
    address: str  # what users see: "aws_iam_role.app", "module.m.aws_iam_role.app[0]", "AppRole"
    type: str  # "aws_iam_role", "AWS::IAM::Role", "module"
    framework: str  # "terraform" | "cloudformation"
    span: Span
    attrs: LDict = field(default_factory=LDict)
    kind: str = "resource"  # "resource" | "data" | "module"
    scope: str = ""  # the root module directory or the template file
    name: str = ""  # Terraform local name, CloudFormation logical id
    module_path: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def attr(self, path: str) -> Value:
        """Read an attribute by dotted path. Never raises; missing is an unset Value."""
        return Value(self.attrs, self.span, "").get(path) if path else Value(self.attrs, self.span, "")

    def has(self, path: str) -> bool:
        return self.attr(path).raw is not MISSING

    def __repr__(self) -> str:
        return f"Resource({self.address!r}, {self.type!r})"


class Graph:
    """All resources of one scan and the links between them."""

    def __init__(self) -> None:
        # adjacency kept as plain dicts (node -> neighbour -> edge kind -> data), in the order added:
        # importing networkx costs ~0.3 s, more than a pre-commit scan (graph questions that need
        # networkx live in iamready.permissions.reach)
        self._succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self._pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
        self._by_id: dict[str, Resource] = {}
        self._by_type: dict[str, list[Resource]] = {}
        self.policies: list[PolicyDocument] = []
        self.notifications: list[Notification] = []
        # root causes said whether or not a rule needs them (a module call whose code is not read), with
        # every check that needed them (iamready.results.cause_notes)
        self.causes: list[Cause] = []
        # comments that mention iamready, per file: [(line, text)] (inline suppressions)
        self.comments: dict[str, list[tuple[int, str]]] = {}
        # template path -> the macros (Transform) it names, other than SAM and AWS::LanguageExtensions
        self.macro_transforms: dict[str, list[str]] = {}
        self._policies_by_holder: dict[str, list[PolicyDocument]] = {}
        self._by_type_scope: dict[str, dict[str, list[Resource]]] = {}  # type -> scope -> resources, on demand

    # -- building -------------------------------------------------------------------------
    def add(self, resource: Resource) -> Resource:
        if resource.id in self._by_id:
            return self._by_id[resource.id]
        self._by_id[resource.id] = resource
        self._by_type.setdefault(resource.type, []).append(resource)
        self._by_type_scope.pop(resource.type, None)
        self._node(resource.id)
        return resource

    def _node(self, node_id: str) -> None:
        if node_id not in self._succ:
            self._succ[node_id] = {}
            self._pred[node_id] = {}

    def link(self, src: Resource, dst: Resource, kind: str = "ref", attr: str | None = None) -> None:
        if src.id == dst.id and kind == "ref":
            return
        data = self._succ.get(src.id, {}).get(dst.id, {}).get(kind)
        if data is not None:
            if attr and attr not in data["attrs"]:
                data["attrs"].append(attr)
            return
        self._node(src.id)
        self._node(dst.id)
        data = {"attrs": [attr] if attr else []}
        self._succ[src.id].setdefault(dst.id, {})[kind] = data
        self._pred[dst.id].setdefault(src.id, {})[kind] = data

    def add_policy(self, doc: PolicyDocument) -> None:
        self.policies.append(doc)
        self._policies_by_holder.setdefault(doc.holder.id, []).append(doc)

    # -- queries --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, resource: object) -> bool:
        return isinstance(resource, Resource) and resource.id in self._by_id

    def get(self, resource_id: str) -> Resource | None:
        return self._by_id.get(resource_id)

    def resources(self, type: str | Iterable[str] | None = None, framework: str | None = None) -> Iterator[Resource]:
        if type is None:
            items: Iterable[Resource] = self._by_id.values()
        elif isinstance(type, str):
            items = self._by_type.get(type, ())
        else:
            items = [r for t in type for r in self._by_type.get(t, ())]
        for resource in items:
            if framework is None or resource.framework == framework:
                yield resource

    def resources_in(self, scope: str, type: str | Iterable[str]) -> list[Resource]:
        """Resources of ``type`` (one or several) in one scan scope, in the order they were added;
        indexed on first use, so rules that ask for every resource can do so in linear time."""
        out: list[Resource] = []
        for name in (type,) if isinstance(type, str) else type:
            index = self._by_type_scope.get(name)
            if index is None:
                index = self._by_type_scope[name] = {}
                for resource in self._by_type.get(name, ()):
                    index.setdefault(resource.scope, []).append(resource)
            out.extend(index.get(scope, ()))
        return out

    def types(self) -> set[str]:
        return {t for t, items in self._by_type.items() if items}

    def references(
        self, resource: Resource, type: str | Iterable[str] | None = None, kind: str = "ref"
    ) -> list[Resource]:
        """Resources that ``resource`` points to through edges of ``kind``."""
        out = []
        for dst, kinds in self._succ.get(resource.id, {}).items():
            if kind in kinds:
                target = self._by_id[dst]
                if _type_matches(target, type):
                    out.append(target)
        return sorted(out, key=_order) if len(out) > 1 else out

    def referrers(
        self, resource: Resource, type: str | Iterable[str] | None = None, kind: str = "ref"
    ) -> list[Resource]:
        """Resources that point to ``resource`` through edges of ``kind``."""
        out = []
        for src, kinds in self._pred.get(resource.id, {}).items():
            if kind in kinds:
                source = self._by_id[src]
                if _type_matches(source, type):
                    out.append(source)
        return sorted(out, key=_order) if len(out) > 1 else out

    def edge_attrs(self, src: Resource, dst: Resource, kind: str = "ref") -> list[str]:
        data = self._succ.get(src.id, {}).get(dst.id, {}).get(kind)
        return list(data["attrs"]) if data is not None else []

    def edges(self, kind: str | None = None) -> Iterator[tuple[Resource, Resource, str]]:
        for src, neighbours in list(self._succ.items()):
            for dst, kinds in list(neighbours.items()):
                for key in list(kinds):
                    if kind is None or key == kind:
                        yield self._by_id[src], self._by_id[dst], key

    def policies_of(self, holder: Resource) -> list[PolicyDocument]:
        """Policy documents written on ``holder`` itself (inline, trust, bucket policy, ...)."""
        return list(self._policies_by_holder.get(holder.id, ()))


def _type_matches(resource: Resource, type: str | Iterable[str] | None) -> bool:
    if type is None:
        return True
    if isinstance(type, str):
        return resource.type == type
    return resource.type in type


def _order(resource: Resource) -> tuple:
    return (resource.span.path, resource.span.start_line, resource.address)
