"""What a reference to a resource, data source or module call evaluates to: an :class:`InstanceRef`
(one instance of a resource: attributes evaluated on demand, computed ones known after apply) or a
:class:`ModuleRef` (one instance of a module call: its outputs); both build their graph node."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from iamready.model.graph import TERRAFORM, Graph, Resource
from iamready.model.span import Span
from iamready.model.value import MISSING, Cause, LDict, Unknown
from iamready.parsers.terraform.blocks import (
    _UNKNOWN_KEY,
    META_ARGUMENTS,
    _block_attr,
    _eval_body,
    _instance_scope,
    _key_suffix,
    _provider_map,
)
from iamready.parsers.terraform.edges import link_refs as _link_refs
from iamready.parsers.terraform.evaluator import ObjectRef, Scope

if TYPE_CHECKING:
    from iamready.parsers.terraform.module import ModuleInstance


# ---------------------------------------------------------------------------------------------
class InstanceRef(ObjectRef):
    """One instance of a resource or data source; attributes are evaluated on demand."""

    def __init__(
        self,
        instance: ModuleInstance,
        kind: str,
        rtype: str,
        name: str,
        block: Any,
        path: str,
        key: Any,
        mode: str,
        label: str,
    ) -> None:
        self.instance = instance
        self.kind = kind
        self.rtype = rtype
        self.name = name
        self.block = block
        self.path = path
        self.key = key
        self.mode = mode
        self.address = instance.prefix + label + _key_suffix(key, mode)
        self.stands_for_all = mode == "unknown"
        self.id = f"{instance.root_dir}::{self.address}"
        self._attrs: dict[str, Any] = {}
        self._busy: set[str] = set()
        self.refs: dict[str, str] = {}
        self._built: LDict | None = None

    def scope(self, refs: dict[str, str] | None = None) -> Scope:
        base = _instance_scope(self.instance, self.path, self.key, self.mode, self.block)
        base.refs = refs
        return base

    def attr_value(self, name: str) -> Any:
        if name in self._attrs:
            return self._attrs[name]
        if name in self._busy:
            return Unknown(f"{self.address}.{name} refers to itself")
        self._busy.add(name)
        try:
            items = tuple(
                i
                for i in self.block[4]
                if (i[0] == "A" and i[2] == name)
                or (i[0] == "B" and (i[2] == name or (i[2] == "dynamic" and i[3] and i[3][0] == name)))
            )
            body = _eval_body(self.instance, items, self.scope(self.refs), self.address) if items else {}
            value: Any = body.get(name, MISSING)
        finally:
            self._busy.discard(name)
        self._attrs[name] = value
        return value

    def get_attr(self, name: str, scope: Scope, sp: Any) -> Any:
        if scope.refs is not None:
            scope.refs.setdefault(self.id, "")
        from iamready.parsers.terraform.attributes import computed_attribute

        if self.kind == "data" and self.rtype == "aws_iam_policy_document" and name in ("json", "minified_json"):
            from iamready.parsers.terraform.policy_document import render

            return render(self, scope.span(sp), minified=name == "minified_json")
        value = self.attr_value(name)
        if value is not MISSING and (value is not None or self.kind != "resource"):
            return value
        # null is "not set": the provider computes the attribute (a name from name_prefix, an id)
        return computed_attribute(self, name, scope.span(sp))

    def build_node(self, graph: Graph, scope_id: str) -> Resource:
        missing = tuple(i for i in self.block[4] if not (i[0] == "A" and i[2] in self._attrs))
        attrs = _eval_body(self.instance, missing, self.scope(self.refs), self.address, META_ARGUMENTS)
        attrs.span = Span(self.path, *self.block[1])
        for item in self.block[4]:  # attributes already read by others keep their identity and order
            if item[0] == "A" and item[2] in self._attrs and item[2] not in META_ARGUMENTS:
                attrs.set(item[2], self._attrs[item[2]], Span(self.path, *item[1]))
        self._built = attrs
        rtype = self.rtype if self.kind == "resource" else f"data.{self.rtype}"
        meta: dict[str, Any] = {"tf_type": self.rtype}
        if self.mode != "single":
            meta["instance_key"] = (
                None if self.key is _UNKNOWN_KEY else (self.key if self.mode == "count" else self.key[0])
            )
        if self.kind == "data" and self.rtype == "aws_iam_policy_document":
            from iamready.parsers.terraform.policy_document import render

            meta["document"] = render(self, Span(self.path, *self.block[1]))
        if self.instance.calls:
            meta["module_calls"] = self.instance.calls
        node = graph.add(
            Resource(
                id=self.id,
                address=self.address,
                type=rtype,
                framework=TERRAFORM,
                span=Span(self.path, *self.block[1]),
                attrs=attrs,
                kind=self.kind,
                scope=scope_id,
                name=self.name,
                module_path=self.instance.path,
                meta=meta,
            )
        )
        _link_refs(graph, node, self.refs)
        return node


class ModuleRef(ObjectRef):
    """One instance of a module call; its attributes are the module's outputs."""

    def __init__(
        self,
        caller: ModuleInstance,
        name: str,
        key: Any,
        child: ModuleInstance | None,
        problem: str | None,
        span: Span,
        address: str,
        cause: Cause | None = None,
    ) -> None:
        self.caller = caller
        self.cause = cause  # why the module's code is not read
        self.name = name
        self.key = key
        self.child = child
        self.problem = problem
        self.span = span
        self.address = address
        self.id = f"{caller.root_dir}::{address}"
        self.stands_for_all = key is _UNKNOWN_KEY

    def get_attr(self, name: str, scope: Scope, sp: Any) -> Any:
        if scope.refs is not None:
            scope.refs.setdefault(self.id, "")
        if self.child is None:  # one root cause per module call: said once, with what needed its outputs
            problem = self.problem or f"module.{self.name} is not available"
            return Unknown(problem, scope.span(sp), self.cause or Cause(problem, self.span))
        return self.child.output(name, scope, sp)

    def build_node(self, graph: Graph, scope_id: str) -> Resource:
        block, path = self.caller.module.modules[self.name]
        refs: dict[str, str] = {}
        scope = _instance_scope(
            self.caller,
            path,
            self.key,
            "count"
            if isinstance(self.key, int)
            else ("for_each" if isinstance(self.key, tuple) else ("unknown" if self.key is _UNKNOWN_KEY else "single")),
            block,
        )
        scope.refs = refs
        attrs = _eval_body(self.caller, block[4], scope, self.address, META_ARGUMENTS | {"providers"})
        attrs.span = self.span
        providers = _block_attr(block, "providers")
        if providers is not None:
            attrs.set("providers", _provider_map(providers[3], scope), scope.span(providers[1]))
        meta = {"problem": self.problem, "child_prefix": self.address + "."}
        node = graph.add(
            Resource(
                id=self.id,
                address=self.address,
                type="module",
                framework=TERRAFORM,
                span=self.span,
                attrs=attrs,
                kind="module",
                scope=scope_id,
                name=self.name,
                module_path=self.caller.path,
                meta=meta,
            )
        )
        _link_refs(graph, node, refs)
        return node
