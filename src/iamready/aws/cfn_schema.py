"""Which properties each CloudFormation resource type has, to catch misspelt settings.

A property the resource type does not have (``KmsKeyId`` for ``KMSKeyId``,
``EnableLogFileValidations``) is ignored by nothing in iamready's rules: the rule reads the real
name, finds it unset, and either reports the wrong thing or nothing. CloudFormation would reject
the template at deploy time, but a scan runs before that. :func:`unknown_property_notes` says so,
with the nearest valid name.

The knowledge comes from the CloudFormation resource schemas as shipped in the ``cfn-lint``
package: ``python -m iamready.devtools cfn-properties`` writes a compact snapshot
(``_data/cfn_properties.json``: for each resource type iamready's code names, its property names,
nested where a property is an object or a list of objects) and records the package and version it
came from. ``tests/aws/test_cfn_schema.py`` checks the snapshot against the installed package.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from pathlib import Path
from typing import Any

from iamready.model.notes import Notification
from iamready.model.value import Choice, LDict, Unknown

SNAPSHOT = Path(__file__).resolve().parent / "_data" / "cfn_properties.json"
UNKNOWN_PROPERTY = "unknown-property"
_TYPE_RE = re.compile(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")
_MAX_DEPTH = 8

# A property tree: property name -> its own tree (an object, or a list of objects), or None when
# its value is not checked further (a string, a number, a free-form JSON document such as a policy).
Tree = dict[str, Any]


@functools.lru_cache(maxsize=1)
def snapshot() -> dict[str, Any]:
    with open(SNAPSHOT, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def properties(resource_type: str) -> Tree | None:
    """The property tree of a resource type, or None when the snapshot does not describe it."""
    tree = snapshot()["types"].get(resource_type)
    return tree if isinstance(tree, dict) else None


def unknown_property_notes(graph: Any) -> list[Notification]:
    """A notification for each property a CloudFormation resource of a described type does not have."""
    types = snapshot()["types"]
    notes: list[Notification] = []
    macros: dict[str, list[str]] = getattr(graph, "macro_transforms", {})
    for resource in graph.resources(list(types), framework="cloudformation"):
        if resource.span.path in macros:
            continue  # a macro rewrites the template before CloudFormation reads the properties
        tree = types[resource.type]
        if isinstance(tree, dict) and tree and isinstance(resource.attrs, dict):
            _walk(resource, resource.attrs, tree, "", notes, 0)
    return notes


def _walk(resource: Any, value: Any, tree: Tree, path: str, notes: list[Notification], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, Choice):
        for _, branch in value.branches():
            _walk(resource, branch, tree, path, notes, depth + 1)
        return
    if isinstance(value, list):
        for item in value:
            _walk(resource, item, tree, path, notes, depth + 1)
        return
    if not isinstance(value, dict) or isinstance(value, Unknown):
        return
    spans = value.key_spans if isinstance(value, LDict) else {}
    for key, item in value.items():
        if not isinstance(key, str) or key.startswith(("Fn::", "\x00")) or key == "Ref":
            continue
        where = f"{path}.{key}" if path else key
        if key not in tree:
            notes.append(
                Notification(
                    UNKNOWN_PROPERTY,
                    f"{resource.address}: {resource.type} has no property {where}{_nearest(key, tree, path)}; "
                    "CloudFormation rejects it and iamready's rules do not see the setting",
                    spans.get(key) or getattr(value, "span", None) or resource.span,
                    "warning",
                )
            )
            continue
        sub = tree[key]
        if isinstance(sub, dict) and sub:
            _walk(resource, item, sub, where, notes, depth + 1)


def _nearest(key: str, tree: Tree, path: str) -> str:
    names = list(tree)
    folded = {name.lower(): name for name in names}
    match = folded.get(key.lower())
    if match is None:
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.75)
        match = close[0] if close else None
    if match is None:
        return ""
    return f" (did you mean {path + '.' if path else ''}{match}?)"


# -- generating the snapshot (python -m iamready.devtools cfn-properties) ------------------------
def named_types(roots: list[Path]) -> list[str]:
    """The CloudFormation resource types iamready's code names (rules, helpers): those it reads."""
    found: set[str] = set()
    for root in roots:
        for path in root.rglob("*.py"):
            found.update(_TYPE_RE.findall(path.read_text(encoding="utf-8")))
    return sorted(found)


def generate(types: list[str]) -> dict[str, Any]:
    """The snapshot for ``types`` from the schemas of the installed cfn-lint (us-east-1 catalogue)."""
    import importlib
    from importlib.metadata import version

    import cfnlint

    base = Path(cfnlint.__file__).resolve().parent / "data" / "schemas"
    index: dict[str, str] = importlib.import_module("cfnlint.data.schemas.providers.us_east_1").types
    out: dict[str, Any] = {}
    for name in types:
        digest = index.get(name)
        if digest is None:
            continue  # a type the catalogue does not know (a SAM transform type, a typo in a docstring)
        schema = json.loads((base / "resources" / f"{digest}.json").read_text(encoding="utf-8"))
        tree = _tree(schema, schema, 0, frozenset())
        if tree:  # a schema without a property list (free-form) is not checked at all
            out[name] = tree
    return {
        "source": {"package": "cfn-lint", "version": version("cfn-lint"), "schemas": "providers/us_east_1"},
        "types": out,
    }


def _tree(schema: dict[str, Any], node: dict[str, Any], depth: int, seen: frozenset[str]) -> Tree | None:
    if depth > _MAX_DEPTH or not isinstance(node, dict):
        return None
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = schema.get("definitions", {}).get(ref.rsplit("/", 1)[-1])
        return None if ref in seen or target is None else _tree(schema, target, depth, seen | {ref})
    if "items" in node:
        return _tree(schema, node["items"], depth, seen)
    props = node.get("properties")
    if isinstance(props, dict) and props and not node.get("patternProperties"):
        if node.get("additionalProperties") not in (None, False):
            return None  # free-form object: not checked
        return {str(k): _tree(schema, v, depth + 1, seen) for k, v in sorted(props.items())}
    merged: Tree = {}
    for combinator in ("oneOf", "anyOf", "allOf"):
        for sub in node.get(combinator, ()):
            tree = _tree(schema, sub, depth, seen)
            if isinstance(tree, dict):
                merged.update(tree)
    return merged or None
