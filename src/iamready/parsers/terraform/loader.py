"""The Terraform loader: module directories, root modules, modules installed by ``terraform init``
(read from ``.terraform/modules/modules.json``, never downloaded), root variables (``--var``,
``--var-file``, ``*.auto.tfvars``), and the services the evaluator asks of it (notes, functions,
the scan boundary). :meth:`TerraformLoader.run` instantiates every root module
(:class:`~iamready.parsers.terraform.module.ModuleInstance`) and builds its graph nodes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

from iamready.model.graph import Graph
from iamready.model.notes import INTERNAL_ERROR, PARSE_ERROR, SKIPPED, UNRESOLVED, Notification
from iamready.model.span import Span
from iamready.model.value import Cause
from iamready.parsers.terraform.attributes import PLAN_FIX
from iamready.parsers.terraform.blocks import _is_local_source, _literal_attr
from iamready.parsers.terraform.evaluator import Budget
from iamready.parsers.terraform.functions import FUNCTIONS, LAZY_FUNCTIONS
from iamready.parsers.terraform.module import ModuleInstance
from iamready.parsers.terraform.moduledir import ModuleDir
from iamready.parsers.terraform.types import CliText

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

    def standing_cause(self, cause: Cause) -> None:
        """A root cause said even when no rule needs a value that depends on it (see :class:`Cause`)."""
        if all(known.key != cause.key for known in self.graph.causes):
            self.graph.causes.append(cause)

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
