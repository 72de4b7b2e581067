"""A Terraform module directory as parsed: its files and its blocks indexed by kind and name,
with the duplicates Terraform would reject reported where they are."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from iamready.model.notes import PARSE_ERROR, Notification
from iamready.model.span import Span


@dataclass
class TfFile:
    path: str
    body: tuple[Any, ...]
    comments: tuple[tuple[int, str], ...] = ()
    json: bool = False


@dataclass
class ModuleDir:
    directory: str
    files: list[TfFile] = field(default_factory=list)
    variables: dict[str, tuple[Any, str]] = field(default_factory=dict)
    locals: dict[str, tuple[Any, str]] = field(default_factory=dict)
    resources: dict[tuple[str, str], tuple[Any, str]] = field(default_factory=dict)
    data: dict[tuple[str, str], tuple[Any, str]] = field(default_factory=dict)
    modules: dict[str, tuple[Any, str]] = field(default_factory=dict)
    outputs: dict[str, tuple[Any, str]] = field(default_factory=dict)
    providers: list[tuple[Any, str]] = field(default_factory=list)
    resource_types: set[str] = field(default_factory=set)

    def index(self, notes: list[Notification]) -> None:
        for tf in self.files:
            for node in tf.body:
                if node[0] != "B":
                    continue
                _, sp, btype, labels, _body = node
                where = Span(tf.path, sp[0], sp[1], sp[2], sp[3])
                if btype != "locals":  # locals: one name per module, checked below
                    _note_duplicate_arguments(_body, tf.path, notes)
                if btype == "resource" and len(labels) == 2:
                    self._put(
                        self.resources,
                        (labels[0], labels[1]),
                        node,
                        tf.path,
                        notes,
                        f"resource {labels[0]}.{labels[1]}",
                        where,
                    )
                    self.resource_types.add(labels[0])
                elif btype == "data" and len(labels) == 2:
                    self._put(
                        self.data,
                        (labels[0], labels[1]),
                        node,
                        tf.path,
                        notes,
                        f"data {labels[0]}.{labels[1]}",
                        where,
                    )
                elif btype == "module" and len(labels) == 1:
                    self._put(self.modules, labels[0], node, tf.path, notes, f"module {labels[0]}", where)
                elif btype == "variable" and len(labels) == 1:
                    self._put(self.variables, labels[0], node, tf.path, notes, f"variable {labels[0]}", where)
                elif btype == "output" and len(labels) == 1:
                    self._put(self.outputs, labels[0], node, tf.path, notes, f"output {labels[0]}", where)
                elif btype == "provider" and len(labels) == 1:
                    self.providers.append((node, tf.path))
                elif btype == "locals":
                    for item in node[4]:
                        if item[0] == "A":
                            name = item[2]
                            self._put(
                                self.locals,
                                name,
                                item,
                                tf.path,
                                notes,
                                f"local {name}",
                                Span(tf.path, *item[1]),
                            )

    @staticmethod
    def _put(
        table: dict[Any, Any],
        key: Any,
        node: Any,
        path: str,
        notes: list[Notification],
        what: str,
        where: Span,
    ) -> None:
        if key in table:
            notes.append(
                Notification(
                    PARSE_ERROR,
                    f"duplicate {what}: also declared at "
                    f"{os.path.basename(table[key][1])}:{table[key][0][1][0]}; this one is ignored",
                    where,
                    "error",
                )
            )
            return
        table[key] = (node, path)


def _note_duplicate_arguments(body: tuple[Any, ...], path: str, notes: list[Notification]) -> None:
    """Terraform rejects an argument set twice in one block ("Attribute redefined"); the last one is read."""
    seen: dict[str, int] = {}
    for item in body:
        if item[0] == "A":
            if item[2] in seen:
                notes.append(
                    Notification(
                        PARSE_ERROR,
                        f'argument "{item[2]}" is set twice: already set at {os.path.basename(path)}:{seen[item[2]]}; '
                        "Terraform rejects this; the last value is used",
                        Span(path, *item[1]),
                        "error",
                    )
                )
            seen[item[2]] = item[1][0]
        elif item[0] == "B":
            _note_duplicate_arguments(item[4], path, notes)
