"""Terraform module instances: a module directory instantiated with its inputs, its blocks evaluated
into graph nodes.

A directory is a module. Directories that no other scanned directory calls are root modules;
local module calls (``source = "./x"``) are instantiated with their inputs, so findings inside a
module carry the caller's address prefix (``module.iam.aws_iam_role.app``) and point at the
line in the module's own file. ``count`` and ``for_each`` give one instance per element when the
collection is known, and one instance with an unknown key (``[?]``) when it is not.

Evaluation is lazy and memoised: a local, variable, output or resource attribute is evaluated
the first time something asks for it, and a cycle is reported instead of followed.

The rest of the Terraform front end, one idea a module: ``loader`` (directories, roots, installed
modules, root variables), ``moduledir`` (a parsed directory), ``blocks`` (reading and evaluating
blocks), ``refs`` (what a reference to a resource or module call evaluates to), ``types`` (type
constraints), ``edges`` (references become graph edges), ``evaluator`` and ``functions``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from iamready.model.graph import TERRAFORM, Graph, Resource
from iamready.model.notes import INTERNAL_ERROR, Notification
from iamready.model.span import Span
from iamready.model.value import MISSING, Cause, Choice, LDict, LList, LStr, Unknown, cause_of, contains_unknown, plain
from iamready.parsers.terraform import evaluator as E
from iamready.parsers.terraform.attributes import PLAN_FIX
from iamready.parsers.terraform.blocks import (
    _UNKNOWN_KEY,
    _block_attr,
    _eval_body,
    _instance_scope,
    _InstanceMap,
    _is_local_source,
    _key_suffix,
    _label,
    _literal_attr,
    _same_source,
    _why,
)
from iamready.parsers.terraform.edges import link_refs as _link_refs
from iamready.parsers.terraform.evaluator import BudgetExceeded, EvalError, Scope, ev
from iamready.parsers.terraform.moduledir import ModuleDir
from iamready.parsers.terraform.refs import InstanceRef, ModuleRef
from iamready.parsers.terraform.types import CliText, _literal_mode, convert_type

if TYPE_CHECKING:
    from iamready.parsers.terraform.loader import TerraformLoader

MAX_MODULE_DEPTH = 32


@dataclass(frozen=True)
class ModuleCall:
    """One module call on the way from a root module to a resource: ``module.app`` at ``span``."""

    address: str  # "module.app", "module.app.module.policy[\"x\"]"
    span: Span  # the module block, in the caller's file
    remote: bool  # it brings in a registry or git module (read from .terraform/modules)


def _when_created(value: Any, meta: str) -> Any:
    """What a ``count``/``for_each`` is when the resource exists at all.

    ``count = var.enabled ? 1 : 0`` or ``for_each = local.create ? var.roles : {}`` with a condition
    that is not known only decides whether the instances exist; what each of them holds is known.
    When every outcome of the conditions is known and all but one are empty (``0``, ``null``, ``{}``,
    ``[]``), the instances are those of the non-empty outcome (for ``count``, the largest), so their
    content is checked; when every outcome is empty, there is no instance. Anything else (an outcome that
    is itself unknown, two different collections) is returned as it was.
    """
    if not isinstance(value, Choice):
        return value
    outcomes: list[Any] = []

    def walk(item: Any, depth: int) -> bool:
        if isinstance(item, Choice):
            return depth < 8 and walk(item.when_true, depth + 1) and walk(item.when_false, depth + 1)
        if E._is_unknown(item) or (contains_unknown(item) and meta == "count"):
            return False
        outcomes.append(item)
        return True

    if not walk(value, 0):
        return value
    present = [o for o in outcomes if o is not None and o != 0 and not (isinstance(o, (dict, list)) and not o)]
    if not present:  # empty whichever way (enabled ? local.policy_map : {} with an empty map): no instance
        return outcomes[0]
    if meta == "count":
        if any(isinstance(o, bool) or not isinstance(o, (int, float)) for o in present):
            return value
        return max(present)
    first = plain(present[0])
    if any(plain(o) != first for o in present[1:]):
        return value
    return present[0]


# ---------------------------------------------------------------------------------------------
class ModuleInstance:
    """One instance of a module: the root, or a module call (one per count/for_each element)."""

    def __init__(
        self,
        loader: TerraformLoader,
        module: ModuleDir,
        path: tuple[str, ...],
        root_dir: str,
        caller: tuple[ModuleInstance, Any, Scope, str] | None,
        stack: tuple[str, ...],
        address_prefix: str = "",
    ) -> None:
        self.loader = loader
        self.module = module
        self.path = path
        self.root_dir = root_dir
        self.caller = caller  # (instance, module block, scope with each/count, call name)
        self.stack = stack
        self.prefix = address_prefix
        self.root_values: dict[str, tuple[Any, Span | None]] = {}
        self._vars: dict[str, tuple[Any, dict[str, str]]] = {}
        self._locals: dict[str, tuple[Any, dict[str, str]]] = {}
        self._outputs: dict[str, tuple[Any, dict[str, str]]] = {}
        self._groups: dict[tuple[str, str, str], Any] = {}  # (kind, type, name) -> group value
        self._instances: dict[tuple[str, str, str], list[InstanceRef]] = {}
        self._module_groups: dict[str, Any] = {}
        self._module_children: dict[str, list[tuple[Any, ModuleInstance | None, ModuleRef]]] = {}
        self._in_progress: dict[Any, None] = {}  # what is being evaluated, in order (cycle detection)
        self._expand_causes: dict[int, Cause] = {}  # id(block) -> why its count/for_each is not known
        self._modes: dict[Any, str] = {}
        self.remote = False  # this module, or one that calls it, is an installed registry or git module
        # the module calls that instantiate this module, outermost first: (call address, the call's block,
        # whether it brings in an installed registry or git module); () for a root module
        self.calls: tuple[ModuleCall, ...] = ()

    # -- names ----------------------------------------------------------------------------
    def resolve_root(self, name: str, scope: Scope, node: Any) -> Any:
        if name in self.module.resource_types:
            return self.resource_group("resource", name, None, scope, node)
        if name in ("var", "local", "module", "data", "path", "each", "count", "terraform", "self"):
            raise EvalError(f"{name} cannot be used alone", node[1])
        raise EvalError(f"unknown name {name!r}", node[1])

    def resolve_namespace(self, base: str, name: str, scope: Scope, node: Any) -> Any:
        if base == "var":
            return self.variable(name, scope, node)
        if base == "local":
            return self.local(name, scope, node)
        if base == "module":
            return self.module_group(name, scope, node)
        if base == "path":
            if name == "module":
                rel = os.path.relpath(self.module.directory, self.root_dir)
                return LStr(rel, scope.span(node[1]))
            if name == "root":
                return LStr(".", scope.span(node[1]))
            if name == "cwd":
                return LStr(self.root_dir, scope.span(node[1]))
            raise EvalError(f"path.{name} does not exist", node[1])
        if base == "terraform":
            if name == "workspace":
                return LStr("default", scope.span(node[1]))
            return Unknown(f"terraform.{name} is not known statically", scope.span(node[1]))
        if base in ("each", "count"):
            raise EvalError(
                f"{base}.{name} used outside a resource with {'for_each' if base == 'each' else 'count'}",
                node[1],
            )
        if base == "self":
            return Unknown("self is only known at apply time", scope.span(node[1]))
        if base in self.module.resource_types:
            return self.resource_group("resource", base, name, scope, node)
        if base == "data":
            return NotImplemented
        if base in scope.bindings:
            return NotImplemented
        # a resource type declared nowhere in this module
        raise EvalError(f"reference to undeclared resource {base}.{name}", node[1])

    def resolve_data(self, dtype: str, name: str, scope: Scope, node: Any) -> Any:
        return self.resource_group("data", dtype, name, scope, node)

    # -- variables, locals ------------------------------------------------------------------
    def _memo(
        self,
        store: dict[str, tuple[Any, dict[str, str]]],
        key: tuple[str, str],
        scope: Scope,
        compute: Callable[[dict[str, str]], Any],
        span: Span,
    ) -> Any:
        """Evaluate once; every later use still records what the value refers to."""
        if key[1] in store:
            value, refs = store[key[1]]
        else:
            if key in self._in_progress:
                return self._cycle(key, span)
            refs = {}
            self._in_progress[key] = None
            try:
                value = compute(refs)
            finally:
                self._in_progress.pop(key, None)
            store[key[1]] = (value, refs)
        if scope.refs is not None:
            for target in refs:
                scope.refs.setdefault(target, "")
        return value

    def variable(self, name: str, scope: Scope, node: Any) -> Any:
        decl = self.module.variables.get(name)
        if decl is None:
            raise EvalError(f"undeclared input variable {name!r}", node[1])
        return self._memo(
            self._vars,
            ("var", name),
            scope,
            lambda refs: self._variable_value(name, decl, refs),
            scope.span(node[1]),
        )

    def _variable_value(self, name: str, decl: tuple[Any, str], refs: dict[str, str]) -> Any:
        block, path = decl
        span = Span(path, *block[1])
        type_attr = _block_attr(block, "type")
        type_node = type_attr[3] if type_attr is not None else None
        own_scope = Scope(self, path, None, refs)

        def typed(value: Any) -> Any:
            return convert_type(self, value, type_node, own_scope)

        if self.caller is not None:
            caller, call_block, caller_scope, call_name = self.caller
            arg = _block_attr(call_block, name)
            if arg is not None:
                call_scope = Scope(caller, caller_scope.file, caller_scope.bindings, refs)
                return typed(caller._eval_guarded(arg[3], call_scope, f"module.{call_name} input {name}"))
        elif name in self.root_values:
            given = self.root_values[name][0]
            if isinstance(given, CliText):
                given = self._cli_value(name, given, type_node, block, path)
            return typed(given)
        default = _block_attr(block, "default")
        if default is not None:
            return typed(self._eval_guarded(default[3], own_scope, f"default of variable {name}"))
        if self.caller is not None:
            reason = f"input {name} of module.{self.caller[3]} is not set"
            _caller, call_block, caller_scope, call_name = self.caller
            call_span = Span(caller_scope.file, *call_block[1])
            cause = Cause(f"module.{call_name} does not set its input {name!r}", call_span, f"set {name} = ... there")
        else:
            reason = f"variable {name} has no value (pass --var {name}=... or a tfvars file)"
            cause = Cause(
                f"variable {name!r} has no value", span, f"pass --var {name}=... or a tfvars file", supplied=True
            )
        return Unknown(reason, span, cause)

    def _cli_value(self, name: str, text: str, type_node: Any, block: Any, path: str) -> Any:
        """A ``--var`` value: the text itself for untyped and primitive variables, else an HCL expression."""
        span = Span(path, *block[1])
        if _literal_mode(type_node):
            return LStr(str(text), span)
        from iamready.parsers.terraform.hcl import HclSyntaxError, parse_expression

        try:
            node = parse_expression(str(text), block[1][0], block[1][1])
        except HclSyntaxError:
            self.loader.note_unresolved(
                f"--var {name}: the value is not a valid expression; it is not used", span, "warning"
            )
            return Unknown(f"--var {name} is not a valid expression", span)
        return self._eval_guarded(node, Scope(self, path), f"--var {name}")

    def local(self, name: str, scope: Scope, node: Any) -> Any:
        decl = self.module.locals.get(name)
        if decl is None:
            raise EvalError(f"undeclared local value {name!r}", node[1])
        item, path = decl
        return self._memo(
            self._locals,
            ("local", name),
            scope,
            lambda refs: self._eval_guarded(item[3], Scope(self, path, None, refs), f"local.{name}"),
            scope.span(node[1]),
        )

    def _cycle(self, key: Any, span: Span) -> Unknown:
        keys = list(self._in_progress)
        chain = [*keys[keys.index(key) :], key] if key in keys else [key]
        text = " -> ".join(_label(k) for k in chain)
        self.loader.note_unresolved(f"reference cycle: {text}; its value is unknown", span, "warning")
        return Unknown(f"reference cycle through {_label(key)}", span)

    def _eval_guarded(self, expr: Any, scope: Scope, what: str) -> Any:
        budget = self.loader.budget
        budget.enter()
        try:
            return self._eval_noting(expr, scope, what)
        finally:
            budget.leave()

    def _eval_noting(self, expr: Any, scope: Scope, what: str) -> Any:
        try:
            return ev(expr, scope)
        except EvalError as exc:
            sp = exc.sp or expr[1]
            span = scope.span(sp)
            if isinstance(exc, E.LimitExceeded):  # a safety limit refused it: said whether needed or not
                self.loader.note_unresolved(f"{what}: {exc.message}", span, "warning")
                return Unknown(f"{what}: {exc.message}", span)
            # an expression Terraform would reject: said only if a rule needs the value
            cause = Cause(f"{what}: {exc.message}", span, "correct the expression", "warning")
            return Unknown(f"{what}: {exc.message}", span, cause)
        except BudgetExceeded as exc:
            span = scope.span(expr[1])
            if not exc.whole_scan:
                self.loader.note_unresolved(
                    f"{what}: evaluation takes more than {self.loader.budget.per_value} steps; its value is unknown",
                    span,
                    "warning",
                )
                return Unknown(f"{what}: evaluation took too many steps", span)
            if not self.loader.budget_noted:
                self.loader.budget_noted = True
                self.loader.note_unresolved(
                    f"{what}: evaluation budget exhausted; this and the remaining values are unknown", span, "warning"
                )
            return Unknown("evaluation budget exhausted", span)
        except RecursionError:
            span = scope.span(expr[1])
            self.loader.note_unresolved(f"{what}: expression nested too deeply to evaluate", span, "warning")
            return Unknown("expression nested too deeply", span)
        except Exception as exc:  # a bug of ours must not end the scan: report it where it happened
            span = scope.span(expr[1])
            self.loader.notes.append(
                Notification(
                    INTERNAL_ERROR,
                    f"{what}: internal error while evaluating ({type(exc).__name__}: {exc}); the value is unknown",
                    span,
                    "error",
                )
            )
            return Unknown(f"{what}: internal error", span)

    # -- resources and data sources --------------------------------------------------------
    def resource_group(self, kind: str, rtype: str, name: str | None, scope: Scope, node: Any) -> Any:
        if name is None:
            raise EvalError(f"{rtype} needs a resource name", node[1])
        key = (kind, rtype, name)
        table = self.module.resources if kind == "resource" else self.module.data
        if (rtype, name) not in table:
            label = f"data.{rtype}.{name}" if kind == "data" else f"{rtype}.{name}"
            raise EvalError(f"reference to undeclared {label}", node[1])
        if key in self._groups:
            return self._groups[key]
        instances, mode = self.instances(kind, rtype, name)
        if mode == "single":
            value: Any = instances[0] if instances else None
        elif mode == "count":
            value = LList(instances)
        elif mode == "for_each":
            value = _InstanceMap({str(i.key[0]): i for i in instances})
        else:  # unknown collection: a single instance stands for all of them
            value = instances[0] if instances else None
        self._groups[key] = value
        return value

    def instances(self, kind: str, rtype: str, name: str) -> tuple[list[InstanceRef], str]:
        key = (kind, rtype, name)
        if key in self._instances:
            return self._instances[key], self._modes[key]
        table = self.module.resources if kind == "resource" else self.module.data
        block, path = table[(rtype, name)]
        if key in self._in_progress:
            keys = list(self._in_progress)
            chain = " -> ".join(_label(k) for k in [*keys[keys.index(key) :], key])
            raise EvalError(f"reference cycle: {chain}")
        self._in_progress[key] = None
        try:
            keys, mode = self._expand(block, path, f"{rtype}.{name}")
        finally:
            self._in_progress.pop(key, None)
        label = f"data.{rtype}.{name}" if kind == "data" else f"{rtype}.{name}"
        refs = [InstanceRef(self, kind, rtype, name, block, path, k, mode, label) for k in keys]
        self._instances[key] = refs
        self._modes[key] = mode
        return refs, mode

    def _expand(self, block: Any, path: str, label: str) -> tuple[list[Any], str]:
        count = _block_attr(block, "count")
        for_each = _block_attr(block, "for_each")
        scope = Scope(self, path)
        if count is not None:
            value = _when_created(self._eval_guarded(count[3], scope, f"count of {label}"), "count")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                if not E._is_unknown(value):
                    self.loader.note_unresolved(f"count of {label} is not a number", scope.span(count[1]), "warning")
                self._expand_causes[id(block)] = cause_of(value) or Cause(
                    f"count of {label} is not known ({_why(value)}); it is checked as one instance",
                    scope.span(count[1]),
                    PLAN_FIX,
                )
                return [_UNKNOWN_KEY], "unknown"
            n = int(value)
            if n > E.MAX_ITEMS:
                self.loader.note_unresolved(
                    f"count of {label} is {n}; only the first {E.MAX_ITEMS} are checked",
                    scope.span(count[1]),
                    "warning",
                )
                n = E.MAX_ITEMS
            return list(range(max(n, 0))), "count"
        if for_each is not None:
            value = _when_created(self._eval_guarded(for_each[3], scope, f"for_each of {label}"), "for_each")
            if isinstance(value, dict):
                return [(k, value[k]) for k in sorted(value)], "for_each"
            if isinstance(value, list) and not any(E._is_unknown(v) for v in value):
                return [(str(v), v) for v in sorted({str(v) for v in value})], "for_each"
            # said only if a rule needs each.key/each.value of the instance that stands for all of them
            self._expand_causes[id(block)] = cause_of(value) or Cause(
                f"for_each of {label} is not known ({_why(value)}); it is checked as one instance",
                scope.span(for_each[1]),
                PLAN_FIX,
            )
            return [_UNKNOWN_KEY], "unknown"
        return [None], "single"

    # -- module calls -----------------------------------------------------------------------
    def module_group(self, name: str, scope: Scope, node: Any) -> Any:
        if name in self._module_groups:
            return self._module_groups[name]
        if name not in self.module.modules:
            raise EvalError(f"reference to undeclared module {name!r}", node[1])
        children = self.module_children(name)
        block, _ = self.module.modules[name]
        refs = [ref for _, _, ref in children]
        if _block_attr(block, "count") is not None and not (len(refs) == 1 and refs[0].key is _UNKNOWN_KEY):
            value: Any = LList(refs)
        elif _block_attr(block, "for_each") is not None and not (len(refs) == 1 and refs[0].key is _UNKNOWN_KEY):
            value = _InstanceMap({str(r.key[0]): r for r in refs})
        else:
            value = refs[0] if refs else None
        self._module_groups[name] = value
        return value

    def module_children(self, name: str) -> list[tuple[Any, ModuleInstance | None, ModuleRef]]:
        if name in self._module_children:
            return self._module_children[name]
        block, path = self.module.modules[name]
        self._module_children[name] = []  # guards re-entry while expanding
        keys, mode = self._expand(block, path, f"module.{name}")
        source = _literal_attr(block, "source")
        span = Span(path, *block[1])
        target: ModuleDir | None = None
        problem = ""
        remote = False
        missing = False  # a registry or git module `terraform init` has not installed
        if not isinstance(source, str) or source is MISSING:
            problem = f"module.{name} has no literal source"
        elif not _is_local_source(source):
            remote = True
            directory, problem, missing = self._installed_copy(name, source)
            if not problem:
                if not self.loader.is_inside_scan(directory):
                    problem = (
                        f"module.{name}: the installed copy of {source!r} is outside the repository being scanned "
                        "and is not read"
                    )
                else:
                    target = self.loader.module_at(directory)
                    if target is None:
                        problem = (
                            f"module.{name}: the installed copy of {source!r} has no Terraform files "
                            "(run terraform init -backend=false again)"
                        )
        else:
            directory = os.path.realpath(os.path.join(self.module.directory, source))
            if not self.loader.is_inside_scan(directory):
                problem = f"module.{name} source {source!r} is outside the repository being scanned and is not read"
            elif directory in self.stack:
                problem = f"module.{name} sources {source!r}, which is already being instantiated (a module cycle)"
                self.loader.note_unresolved(problem, span, "warning")
            elif len(self.stack) >= MAX_MODULE_DEPTH:
                problem = f"module.{name} is nested more than {MAX_MODULE_DEPTH} levels deep"
            else:
                target = self.loader.module_at(directory)
                if target is None:
                    problem = f"module.{name} source {source!r} has no Terraform files"
        cause = None
        if problem:
            # one root cause per call, said whether or not a rule needs its outputs, with the checks that did
            message, _, fix = problem.partition("\x00")
            problem = message
            cause = Cause(f"{message}; its outputs and resources are not checked", span, fix)
            if missing:  # one `terraform init` in the root module's directory installs every call of it: said once
                cause.group = self.root_dir
                cause.label = f"module.{name} ({source!r})"
            if "cycle" not in problem:
                self.loader.standing_cause(cause)
        out = []
        for key in keys:
            suffix = _key_suffix(key, mode)
            address = f"{self.prefix}module.{name}{suffix}"
            call_scope = _instance_scope(self, path, key, mode, block)
            child = None
            if target is not None:
                child = ModuleInstance(
                    self.loader,
                    target,
                    (*self.path, name),
                    self.root_dir,
                    (self, block, call_scope, name),
                    (*self.stack, os.path.realpath(target.directory)),
                    address + ".",
                )
                child.remote = remote or self.remote
                child.calls = (*self.calls, ModuleCall(address, span, remote))
            ref = ModuleRef(self, name, key, child, problem or None, span, address, cause)
            out.append((key, child, ref))
        self._module_children[name] = out
        return out

    def _installed_copy(self, name: str, source: str) -> tuple[str, str, bool]:
        """(directory, "", False) of the copy ``terraform init`` installed for this call, or ("", why not, whether
        it is not installed at all)."""
        key = ".".join((*self.path, name))
        installed = self.loader.installed(self.root_dir)
        if key not in installed:
            where = "this directory" if not self.path else "the root module's directory"
            return (  # the fix after a NUL: the cause says it once
                "",
                f"module.{name} comes from {source!r}, which is not installed\x00run terraform init -backend=false "
                f"in {where} and scan again (iamready reads .terraform/modules and never downloads)",
                True,
            )
        directory, recorded = installed[key]
        if recorded and not _same_source(recorded, source):
            return (
                "",
                f"module.{name}: .terraform/modules holds {recorded!r}, but the source is now {source!r}: "
                "run terraform init -backend=false again",
                False,
            )
        return os.path.realpath(directory), "", False

    def output(self, name: str, scope: Scope, sp: Any) -> Any:
        decl = self.module.outputs.get(name)
        if decl is None:
            raise EvalError(f"module has no output {name!r}", sp)
        block, path = decl
        attr = _block_attr(block, "value")

        def compute(refs: dict[str, str]) -> Any:
            if attr is None:
                return None
            return self._eval_guarded(attr[3], Scope(self, path, None, refs), f"output {name}")

        return self._memo(self._outputs, ("output", name), scope, compute, scope.span(sp))

    # -- building graph nodes ---------------------------------------------------------------
    def build(self) -> None:
        graph = self.loader.graph
        scope_id = self.root_dir
        for kind, table in (("resource", self.module.resources), ("data", self.module.data)):
            for rtype, name in sorted(table):
                instances, _ = self.instances(kind, rtype, name)
                for inst in instances:
                    inst.build_node(graph, scope_id)
        for name in sorted(self.module.modules):
            for _key, child, ref in self.module_children(name):
                ref.build_node(graph, scope_id)
                if child is not None:
                    child.build()
        self._build_declarations(graph, scope_id)

    def _build_declarations(self, graph: Graph, scope_id: str) -> None:
        for name, (block, path) in sorted(self.module.variables.items()):
            attrs = LDict(span=Span(path, *block[1]))
            scope = Scope(self, path)
            for item in block[4]:
                if item[0] == "A" and item[2] in ("default", "sensitive", "description", "nullable"):
                    attrs.set(item[2], self._eval_guarded(item[3], scope, f"variable {name}"), Span(path, *item[1]))
            self._add_decl(graph, scope_id, "variable", f"var.{name}", name, block, path, attrs)
        for name, (block, path) in sorted(self.module.outputs.items()):
            attrs = LDict(span=Span(path, *block[1]))
            refs: dict[str, str] = {}
            scope = Scope(self, path, None, refs)
            for item in block[4]:
                if item[0] == "A" and item[2] in ("value", "sensitive", "description"):
                    value = (
                        self.output(name, scope, item[1])
                        if item[2] == "value"
                        else self._eval_guarded(item[3], scope, f"output {name}")
                    )
                    attrs.set(item[2], value, Span(path, *item[1]))
            refs = {target: "value" for target in refs}
            node = self._add_decl(graph, scope_id, "output", f"output.{name}", name, block, path, attrs)
            _link_refs(graph, node, refs)
        for name, (item, path) in sorted(self.module.locals.items()):
            attrs = LDict(span=Span(path, *item[1]))
            refs = {}
            attrs.set(
                "value",
                self.local(name, Scope(self, path, None, refs), ("ref", item[1], name)),
                Span(path, *item[1]),
            )
            node = self._add_decl(graph, scope_id, "locals", f"local.{name}", name, item, path, attrs)
            _link_refs(graph, node, {target: "value" for target in refs})
        for index, (block, path) in enumerate(self.module.providers):
            pname = block[3][0]
            refs = {}
            scope = Scope(self, path, None, refs)
            attrs = _eval_body(self, block[4], scope, f"provider {pname}")
            alias = attrs.get("alias")
            address = f"provider.{pname}" + (f".{alias}" if isinstance(alias, str) else "")
            if index and any(r.address == self.prefix + address for r in graph.resources(f"provider.{pname}")):
                address += f"#{index}"
            node = self._add_decl(
                graph, scope_id, f"provider.{pname}", address, pname, block, path, attrs, kind="provider"
            )
            _link_refs(graph, node, refs)

    def _add_decl(
        self,
        graph: Graph,
        scope_id: str,
        rtype: str,
        address: str,
        name: str,
        block: Any,
        path: str,
        attrs: LDict,
        kind: str | None = None,
    ) -> Resource:
        full = self.prefix + address
        return graph.add(
            Resource(
                id=f"{scope_id}::{full}",
                address=full,
                type=rtype,
                framework=TERRAFORM,
                span=Span(path, *block[1]),
                attrs=attrs,
                kind=kind or rtype,
                scope=scope_id,
                name=name,
                module_path=self.path,
            )
        )
