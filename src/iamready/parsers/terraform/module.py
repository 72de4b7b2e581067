"""Terraform modules: load directories, instantiate modules, evaluate blocks into graph nodes.

A directory is a module. Directories that no other scanned directory calls are root modules;
local module calls (``source = "./x"``) are instantiated with their inputs, so findings inside a
module carry the caller's address prefix (``module.iam.aws_iam_role.app``) and point at the
line in the module's own file. ``count`` and ``for_each`` give one instance per element when the
collection is known, and one instance with an unknown key (``[?]``) when it is not.

Evaluation is lazy and memoised: a local, variable, output or resource attribute is evaluated
the first time something asks for it, and a cycle is reported instead of followed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from iamready.model.graph import TERRAFORM, Graph, Resource
from iamready.model.notes import INTERNAL_ERROR, PARSE_ERROR, SKIPPED, UNRESOLVED, Notification
from iamready.model.span import Span
from iamready.model.value import MISSING, Cause, Choice, LDict, LList, LStr, Unknown, cause_of
from iamready.parsers.terraform import evaluator as E
from iamready.parsers.terraform.attributes import PLAN_FIX
from iamready.parsers.terraform.edges import link_refs as _link_refs
from iamready.parsers.terraform.evaluator import Budget, BudgetExceeded, EvalError, ObjectRef, Scope, ev
from iamready.parsers.terraform.functions import FUNCTIONS, LAZY_FUNCTIONS
from iamready.parsers.terraform.moduledir import ModuleDir

META_ARGUMENTS = {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"}
MAX_MODULE_DEPTH = 32
MAX_MODULES_JSON = 16 * 1024 * 1024


class TerraformLoader:
    """Builds graph nodes for all Terraform modules of one scan."""

    def __init__(
        self,
        graph: Graph,
        boundaries: list[str],
        *,
        variables: dict[str, str] | None = None,
        var_files: list[str] | None = None,
        parse_dir: Callable[[str], ModuleDir | None] | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.graph = graph
        self.boundaries = [os.path.realpath(r) for r in boundaries]  # the repositories being scanned
        self.cli_variables = variables or {}
        self.var_files = var_files or []
        self.parse_dir = parse_dir
        self.budget = budget or Budget()
        self.functions, self.lazy_functions = FUNCTIONS, LAZY_FUNCTIONS  # what the evaluator may call
        self.notes = graph.notifications
        self.modules: dict[str, ModuleDir] = {}
        self._noted: set[tuple[str, str]] = set()
        self.budget_noted = False
        self._installed: dict[str, dict[str, tuple[str, str]]] = {}

    # -- services for the evaluator -------------------------------------------------------
    def is_inside_scan(self, real_path: str) -> bool:
        """Inside the repository being scanned (see :func:`iamready.discovery.repository_root`)."""
        real = os.path.realpath(real_path)
        return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.boundaries)

    def note_unresolved(self, message: str, span: Span | None, level: str = "note") -> None:
        key = (message, str(span))
        if key in self._noted:
            return
        self._noted.add(key)
        self.notes.append(Notification(UNRESOLVED, message, span, level))

    def unsupported_function(self, name: str, span: Span) -> Cause:
        """Said only when a rule needs a value that uses the function (see :class:`Cause`)."""
        return Cause(f"function {name}() is not evaluated by iamready", span, PLAN_FIX)

    def installed(self, root_dir: str) -> dict[str, tuple[str, str]]:
        """What ``terraform init`` installed for the root module in ``root_dir``: module key (call names
        joined by dots, ``"iam.policy"``) -> (directory, recorded source), read from Terraform's own record
        ``.terraform/modules/modules.json``. Nothing is downloaded; no init, no entries."""
        real = os.path.realpath(root_dir)
        if real in self._installed:
            return self._installed[real]
        table: dict[str, tuple[str, str]] = {}
        self._installed[real] = table
        record = os.path.join(real, ".terraform", "modules", "modules.json")
        if not os.path.isfile(record):
            return table
        from iamready.parsers.terraform.files import read_text

        text = read_text(record, self.notes, MAX_MODULES_JSON)
        if text is None:
            return table
        try:
            data = json.loads(text)
        except ValueError as exc:
            self.notes.append(
                Notification(
                    PARSE_ERROR,
                    f"not valid JSON ({exc}); installed modules are not read (run terraform init -backend=false again)",
                    Span(record, 1),
                    "warning",
                )
            )
            return table
        entries = data.get("Modules") if isinstance(data, dict) else None
        for entry in entries if isinstance(entries, list) else ():
            if not isinstance(entry, dict):
                continue
            key, directory, source = entry.get("Key"), entry.get("Dir"), entry.get("Source")
            if isinstance(key, str) and key and isinstance(directory, str) and directory:
                table[key] = (os.path.join(real, directory), source if isinstance(source, str) else "")
        return table

    # -- loading --------------------------------------------------------------------------
    def add_module_dir(self, module: ModuleDir) -> None:
        self.modules[os.path.realpath(module.directory)] = module
        self._record_comments(module)

    def _record_comments(self, module: ModuleDir) -> None:
        for tf in module.files:
            if tf.comments:
                self.graph.comments[tf.path] = list(tf.comments)

    def module_at(self, directory: str) -> ModuleDir | None:
        real = os.path.realpath(directory)
        if real in self.modules:
            return self.modules[real]
        if self.parse_dir is None or not os.path.isdir(real):
            return None
        module = self.parse_dir(real)
        if module is not None:
            self.modules[real] = module
            self._record_comments(module)
        return module

    def roots(self) -> list[ModuleDir]:
        called: set[str] = set()
        for real, module in self.modules.items():
            for node, _path in module.modules.values():
                source = _literal_attr(node, "source")
                if isinstance(source, str) and _is_local_source(source):
                    target = os.path.realpath(os.path.join(module.directory, source))
                    if target != real:
                        called.add(target)
        roots = [m for real, m in sorted(self.modules.items()) if real not in called]
        if not roots and self.modules:  # everything calls everything: treat each as a root
            roots = [m for _, m in sorted(self.modules.items())]
        return roots

    def run(self) -> None:
        for module in self.roots():
            instance = ModuleInstance(self, module, (), module.directory, None, (os.path.realpath(module.directory),))
            try:
                self._root_tfvars(instance)
                instance.build()
            except Exception as exc:  # a bug of ours ends this root module, not the scan
                first = module.files[0].path if module.files else module.directory
                self.notes.append(
                    Notification(
                        INTERNAL_ERROR,
                        f"internal error while building Terraform module {module.directory} "
                        f"({type(exc).__name__}: {exc}); its remaining resources are not checked",
                        Span(first, 1),
                        "error",
                    )
                )

    # -- root variables --------------------------------------------------------------------
    def _root_tfvars(self, instance: ModuleInstance) -> None:
        directory = instance.module.directory
        files: list[str] = []
        for name in ("terraform.tfvars", "terraform.tfvars.json"):
            if os.path.isfile(os.path.join(directory, name)):
                files.append(os.path.join(directory, name))
        try:
            listing = sorted(os.listdir(directory))
        except OSError:
            listing = []
        files.extend(
            os.path.join(directory, n)
            for n in listing
            if n.endswith((".auto.tfvars", ".auto.tfvars.json")) and os.path.isfile(os.path.join(directory, n))
        )
        for path in [f for f in files if not self.is_inside_scan(f)]:  # a symbolic link out of the tree
            files.remove(path)
            outside = "symbolic link points outside the scanned directory; not followed"
            self.notes.append(Notification(SKIPPED, outside, Span(path, 1), "note"))
        files.extend(self.var_files)
        values: dict[str, tuple[Any, Span | None]] = {}
        for path in files:
            for name, value, span in self._read_tfvars(path, instance):
                values[name] = (value, span)
        for name, text in self.cli_variables.items():
            values[name] = (CliText(text), None)
        instance.root_values = values

    def _read_tfvars(self, path: str, instance: ModuleInstance) -> Iterable[tuple[str, Any, Span]]:
        from iamready.parsers.terraform.files import read_tfvars

        assignments, node = read_tfvars(path, self, instance)
        if node is not None:
            self.graph.add(node)
        return assignments


@dataclass(frozen=True)
class ModuleCall:
    """One module call on the way from a root module to a resource: ``module.app`` at ``span``."""

    address: str  # "module.app", "module.app.module.policy[\"x\"]"
    span: Span  # the module block, in the caller's file
    remote: bool  # it brings in a registry or git module (read from .terraform/modules)


class CliText(str):
    """A ``--var NAME=VALUE`` value, parsed once the variable's declared type is known."""

    __slots__ = ()


def _literal_mode(type_node: Any) -> bool:
    """Terraform takes ``--var`` values literally for untyped and primitive-typed variables."""
    if type_node is None:
        return True
    if type_node[0] == "ref":
        return type_node[2] in ("string", "number", "bool")
    if type_node[0] == "tmpl":  # legacy quoted type hints: "string", "list", "map"
        return type_node[2] == ("string",)
    return False


def convert_type(instance: ModuleInstance, value: Any, type_node: Any, scope: Scope, depth: int = 0) -> Any:
    """Convert ``value`` to a declared variable type, the way Terraform does, as far as it matters here.

    Primitive conversions (``"3"`` to a number, ``true`` to ``"true"``), sets (distinct and sorted),
    and ``optional(type, default)`` attributes of objects (the default fills a missing attribute).
    A value that does not fit is left as it is: this is not a type checker.
    """
    if type_node is None or depth > 50 or isinstance(value, (Unknown, Choice)) or value is None:
        return value
    kind = type_node[0]
    if kind == "ref":
        name = type_node[2]
        span = getattr(value, "span", None)
        if name == "string" and isinstance(value, (bool, int, float)) and not isinstance(value, str):
            return LStr(E.to_string(value), span)
        if name == "number" and isinstance(value, str):
            try:
                return int(value) if re.fullmatch(r"-?\d+", value.strip()) else float(value)
            except ValueError:
                return value
        if name == "bool" and isinstance(value, str) and value in ("true", "false"):
            return value == "true"
        return value
    if kind != "call" or not type_node[3]:
        return value
    name, args = type_node[2], type_node[3]
    element = args[0]
    if name in ("list", "set") and isinstance(value, list):
        items = LList(span=getattr(value, "span", None))
        for index, item in enumerate(value):
            span = value.span_of(index) if isinstance(value, LList) else None
            items.add(convert_type(instance, item, element, scope, depth + 1), span)
        if name == "set" and all(isinstance(i, str) and not isinstance(i, Unknown) for i in items):
            order = sorted(range(len(items)), key=lambda i: str(items[i]))
            unique: LList = LList(span=items.span)
            for i in order:
                if not unique or str(unique[-1]) != str(items[i]):
                    unique.add(items[i], items.span_of(i))
            return unique
        return items
    if name == "map" and isinstance(value, dict):
        out = LDict(span=getattr(value, "span", None))
        for key, item in value.items():
            span = value.key_spans.get(key) if isinstance(value, LDict) else None
            out.set(key, convert_type(instance, item, element, scope, depth + 1), span)
        return out
    if name == "object" and isinstance(value, dict) and element[0] == "object":
        out = LDict(span=getattr(value, "span", None))
        for key, item in value.items():
            out.set(key, item, value.key_spans.get(key) if isinstance(value, LDict) else None)
        for key_node, attr_type, _sp in element[2]:
            key = key_node[2] if key_node[0] == "lit" else E.expr_text(key_node)
            optional_default: Any = MISSING
            if attr_type[0] == "call" and attr_type[2] == "optional" and attr_type[3]:
                if len(attr_type[3]) > 1:
                    optional_default = attr_type[3][1]
                attr_type = attr_type[3][0]
            if key in out and out[key] is not None:
                out[key] = convert_type(instance, out[key], attr_type, scope, depth + 1)
            elif optional_default is not MISSING:
                default = instance._eval_guarded(optional_default, scope, f"default of optional attribute {key}")
                out.set(
                    key, convert_type(instance, default, attr_type, scope, depth + 1), scope.span(optional_default[1])
                )
            elif key not in out:
                out.set(key, None, None)
        return out
    return value


def _is_local_source(source: str) -> bool:
    return source.startswith("./") or source.startswith("../") or source in (".", "..")


def _same_source(recorded: str, source: str) -> bool:
    """Whether modules.json's record is of this source: Terraform records registry sources with their
    host (``registry.terraform.io/ns/name/provider//sub``) and git sources as written."""

    def norm(text: str) -> str:
        text = text.strip().split("?", 1)[0].rstrip("/")
        for prefix in ("git::", "https://", "registry.terraform.io/"):
            text = text.removeprefix(prefix)
        return text.replace(".git//", "//").removesuffix(".git")

    return norm(recorded) == norm(source)


def _literal_attr(block: Any, name: str) -> Any:
    for item in block[4]:
        if item[0] == "A" and item[2] == name:
            expr = item[3]
            if expr[0] == "tmpl" and len(expr[2]) == 1 and isinstance(expr[2][0], str):
                return expr[2][0]
            if expr[0] == "tmpl" and not expr[2]:
                return ""
            if expr[0] == "lit":
                return expr[2]
            return MISSING
    return None


def _block_attr(block: Any, name: str) -> Any:
    for item in block[4]:
        if item[0] == "A" and item[2] == name:
            return item
    return None


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
            cause = Cause(f"variable {name!r} has no value", span, f"pass --var {name}=... or a tfvars file")
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
            value = self._eval_guarded(count[3], scope, f"count of {label}")
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
            value = self._eval_guarded(for_each[3], scope, f"for_each of {label}")
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
        if not isinstance(source, str) or source is MISSING:
            problem = f"module.{name} has no literal source"
        elif not _is_local_source(source):
            remote = True
            directory, problem = self._installed_copy(name, source)
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
        if problem and "cycle" not in problem:
            self.loader.note_unresolved(f"{problem}; its outputs and resources are not checked", span)
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
            ref = ModuleRef(self, name, key, child, problem or None, span, address)
            out.append((key, child, ref))
        self._module_children[name] = out
        return out

    def _installed_copy(self, name: str, source: str) -> tuple[str, str]:
        """(directory, "") of the copy ``terraform init`` installed for this call, or ("", why not)."""
        key = ".".join((*self.path, name))
        installed = self.loader.installed(self.root_dir)
        if key not in installed:
            where = "this directory" if not self.path else "the root module's directory"
            return "", (
                f"module.{name} comes from {source!r}, which is not installed: run terraform init -backend=false "
                f"in {where} and scan again (iamready reads .terraform/modules and never downloads)"
            )
        directory, recorded = installed[key]
        if recorded and not _same_source(recorded, source):
            return "", (
                f"module.{name}: .terraform/modules holds {recorded!r}, but the source is now {source!r}: "
                "run terraform init -backend=false again"
            )
        return os.path.realpath(directory), ""

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


_UNKNOWN_KEY: Any = Unknown("collection is not known")


def _label(key: Any) -> str:
    """How a cycle message names what is being evaluated."""
    if isinstance(key, tuple) and len(key) == 3:
        kind, rtype, name = key
        return f"data.{rtype}.{name}" if kind == "data" else f"{rtype}.{name}"
    if isinstance(key, tuple) and len(key) == 2:
        return f"{key[0]}.{key[1]}"
    return str(key)


def _provider_map(expr: Any, scope: Scope) -> Any:
    """``providers = { aws = aws.replica }``: provider configurations by the names the module uses.

    Keys and values name provider configurations (``aws``, ``aws.replica``), not values: they are
    read as written, never evaluated (evaluating ``aws.replica`` would look for a resource type).
    """
    if expr[0] != "object":
        return LStr(E.expr_text(expr), scope.span(expr[1]))
    out = LDict(span=scope.span(expr[1]))
    for key, value, sp in expr[2]:
        if key[0] == "lit":
            name = key[2]
        elif key[0] == "tmpl" and all(isinstance(part, str) for part in key[2]):  # a quoted key
            name = "".join(key[2])
        else:
            name = E.expr_text(key)
        out.set(str(name), LStr(E.expr_text(value), scope.span(value[1])), scope.span(sp))
    return out


def _why(value: Any) -> str:
    if isinstance(value, Unknown):
        return value.reason
    if isinstance(value, Choice):
        return f"depends on condition {value.condition}"
    return f"a {E.type_name(value)}"


def _key_suffix(key: Any, mode: str) -> str:
    if mode == "count":
        return f"[{key}]"
    if mode == "for_each":
        return "[" + json.dumps(str(key[0])) + "]"
    if mode == "unknown":
        return "[?]"
    return ""


def _instance_scope(instance: ModuleInstance, path: str, key: Any, mode: str, block: Any = None) -> Scope:
    if mode == "count":
        return Scope(instance, path, {"count": LDict({"index": key})})
    if mode == "for_each":
        return Scope(instance, path, {"each": LDict({"key": LStr(str(key[0])), "value": key[1]})})
    if mode == "unknown":
        unknown = Unknown(
            "the instance key is not known (count/for_each over an unknown collection)",
            None,
            instance._expand_causes.get(id(block)),
        )
        return Scope(
            instance,
            path,
            {"each": LDict({"key": unknown, "value": unknown}), "count": LDict({"index": unknown})},
        )
    return Scope(instance, path)


class _InstanceMap(LDict):
    """The instances of a for_each resource, by key; splat works on the values."""

    __slots__ = ()
    is_instances = True


def _eval_body(
    instance: ModuleInstance,
    body: tuple[Any, ...],
    scope: Scope,
    what: str,
    skip: set[str] | frozenset[str] = frozenset(),
    attr_prefix: str = "",
) -> LDict:
    """Evaluate a block body: attributes, nested blocks (as lists of objects), dynamic blocks."""
    out = LDict()
    for item in body:
        if item[0] == "A":
            name = item[2]
            if name in skip:
                continue
            if scope.refs is None:
                value = instance._eval_guarded(item[3], scope, f"{what}.{name}")
            else:
                sub: dict[str, str] = {}
                value = instance._eval_guarded(
                    item[3], Scope(scope.instance, scope.file, scope.bindings, sub), f"{what}.{name}"
                )
                for target, inner in sub.items():
                    scope.refs.setdefault(target, f"{attr_prefix}{name}" + (f".{inner}" if inner else ""))
            out.set(name, value, scope.span(item[1]))
        else:
            _, sp, btype, labels, inner = item
            if btype in skip:
                continue
            if btype == "dynamic" and labels:
                _dynamic(instance, item, scope, what, out)
                continue
            value = _eval_body(instance, inner, scope, f"{what}.{btype}", frozenset(), f"{attr_prefix}{btype}.")
            value.span = scope.span(sp)
            if labels:
                value.set("__labels__", list(labels), None)
            existing = out.get(btype)
            if not isinstance(existing, LList):
                existing = LList(span=scope.span(sp))
                out.set(btype, existing, scope.span(sp))
            existing.add(value, scope.span(sp))
    return out


def _dynamic(instance: ModuleInstance, item: Any, scope: Scope, what: str, out: LDict) -> None:
    _, sp, _btype, labels, inner = item
    name = labels[0]
    for_each = next((i for i in inner if i[0] == "A" and i[2] == "for_each"), None)
    iterator = next((i for i in inner if i[0] == "A" and i[2] == "iterator"), None)
    content = next((i for i in inner if i[0] == "B" and i[2] == "content"), None)
    it_name = name
    if iterator is not None and iterator[3][0] == "ref":
        it_name = iterator[3][2]
    existing = out.get(name)
    if not isinstance(existing, LList):
        existing = LList(span=scope.span(sp))
        out.set(name, existing, scope.span(sp))
    if for_each is None or content is None:
        return
    coll = instance._eval_guarded(for_each[3], scope, f"{what}.dynamic {name}.for_each")
    if E._is_unknown(coll):
        reason = _why(coll)
        cause = cause_of(coll) or Cause(
            f"dynamic {name!r} blocks iterate over an unknown collection ({reason}); they are not checked",
            scope.span(for_each[1]),
            PLAN_FIX,
        )
        existing.add(
            Unknown(f"dynamic {name} blocks over an unknown collection: {reason}", scope.span(sp), cause),
            scope.span(sp),
        )
        return
    try:
        pairs = E._iterate(coll, sp)
    except EvalError as exc:
        instance.loader.note_unresolved(f"{what}.dynamic {name}: {exc.message}", scope.span(sp), "warning")
        return
    for key, value in pairs:
        inner_scope = scope.child(**{it_name: LDict({"key": key, "value": value})})
        block_value = _eval_body(instance, content[4], inner_scope, f"{what}.{name}", frozenset(), f"{name}.")
        block_value.span = scope.span(content[1])
        existing.add(block_value, scope.span(content[1]))


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
        if value is not MISSING:
            return value
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
    ) -> None:
        self.caller = caller
        self.name = name
        self.key = key
        self.child = child
        self.problem = problem
        self.span = span
        self.address = address
        self.id = f"{caller.root_dir}::{address}"

    def get_attr(self, name: str, scope: Scope, sp: Any) -> Any:
        if scope.refs is not None:
            scope.refs.setdefault(self.id, "")
        if self.child is None:
            return Unknown(self.problem or f"module.{self.name} is not available", scope.span(sp))
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
