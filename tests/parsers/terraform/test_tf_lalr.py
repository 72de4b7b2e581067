"""Our LALR driver (parsers/terraform/lalr.py) runs python-hcl2's grammar exactly as Lark does: the same
trees, tokens, positions and syntax errors, on every Terraform file of this repository and on broken
versions of them."""

from __future__ import annotations

import functools
import random
from pathlib import Path
from typing import Any

import pytest

from iamready.parsers.terraform import hcl, lalr

ROOT = Path(__file__).resolve().parents[3]


@functools.lru_cache(maxsize=1)
def lark_parser() -> Any:
    return hcl._build(hcl._grammar()[0])  # Lark's own parser of the same grammar, with our line continuations


@functools.lru_cache(maxsize=1)
def corpus() -> list[Path]:
    """The repository's Terraform files, and the benchmark's synthetic module layouts."""
    import sys
    import tempfile

    found = [p for folder in ("rules", "samples", "tests") for p in sorted((ROOT / folder).rglob("*.tf"))]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import estate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generated = Path(tempfile.mkdtemp(prefix="iamready-lalr-corpus-"))
    estate.generate_module_collection(generated / "collection")
    estate.generate_privesc_module(generated / "privesc")
    estate.generate_module(generated / "module", 20)
    found += sorted(generated.rglob("*.tf"))
    return [p for p in found if p.stat().st_size < 200_000]


def shape(node: Any) -> Any:
    """A tree as plain data: rules by name, tokens with their type, text and positions."""
    if node is None:
        return None
    if hasattr(node, "data"):
        return (str(node.data), [shape(c) for c in node.children])
    return (node.type, str(node), node.line, node.column, node.end_line, node.end_column)


def lark_outcome(source: str, text: str) -> Any:
    """What the parser gave before our driver: Lark's tree, or its error as hcl.py reported it."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    try:
        return ("tree", shape(lark_parser().parse(source)))
    except UnexpectedToken as exc:
        token = exc.token
        shown = "end of file" if token.type == "$END" else hcl._shown(str(token))
        return ("error", f"unexpected {shown}", exc.line, exc.column)
    except UnexpectedCharacters as exc:
        return (
            "error",
            f"unexpected character {text[exc.pos_in_stream : exc.pos_in_stream + 1]!r}",
            exc.line,
            exc.column,
        )


def our_outcome(source: str, text: str) -> Any:
    try:
        return ("tree", shape(hcl._parse_tree(source, text)))
    except hcl.HclSyntaxError as exc:
        return ("error", exc.message, exc.line, exc.column)


def test_the_same_trees_as_lark_on_every_terraform_file_of_the_repository() -> None:
    files = corpus()
    assert len(files) > 350
    for path in files:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        assert our_outcome(text + "\n", text) == lark_outcome(text + "\n", text), path


def test_the_same_errors_as_lark_on_broken_files() -> None:
    rng = random.Random(17)
    files = corpus()
    errors = 0
    for _ in range(1500):
        text = rng.choice(files).read_text(encoding="utf-8", errors="surrogateescape")
        cut = rng.randrange(len(text) + 1)
        kind = rng.randrange(4)
        if kind == 0:
            broken = text[:cut]  # truncated
        elif kind == 1:
            broken = text[:cut] + rng.choice("{}[]()=,.:?!\"'$%`~\\@;<>|&*+-/^#\t\x00é") + text[cut:]
        elif kind == 2:
            broken = text[:cut] + text[cut + rng.randrange(1, 20) :]  # a piece cut out
        else:
            broken = text[:cut] + "\n" + rng.choice(["+ 1", "? a : b", "&& x", "* 2", "== y", "|| z"]) + text[cut:]
        ours, theirs = our_outcome(broken + "\n", broken), lark_outcome(broken + "\n", broken)
        assert ours == theirs, (broken, ours, theirs)
        errors += ours[0] == "error"
    assert errors > 300  # most of them are broken


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "# only a comment",
        "a = 1",
        'a = "${b}"\n',
        "a = 1\n  + 2\n",
        "a = [\n  1,\n  2\n]\n",
        "x {",
        "= 1",
        "a = 1 +",
    ],
)
def test_small_inputs(text: str) -> None:
    assert our_outcome(text + "\n", text) == lark_outcome(text + "\n", text)


def test_expressions_inside_templates_parse_the_same() -> None:
    for expression in ("var.a", "a ? b : c", "[for x in y : x]", "{ a = 1 }", "f(a...)", "a[*].b", "!", "a +"):
        source = "x=" + expression + "\n"
        assert our_outcome(source, expression) == lark_outcome(source, expression), expression


def test_tables_survive_marshal_and_compile_their_expressions_back(tmp_path: Path) -> None:
    path = hcl.build_tables(tmp_path)
    data = hcl._load_tables(path)
    assert data is not None
    tables = lalr.Tables(data)
    saved = [m for spec in data["lexers"] for m in spec[0]]
    assert saved and all(m[2] is not None for m in saved)  # compiled code kept for this Python
    lexer = tables.lexer(tables.root)
    import re

    for restored, (source, flags, _) in zip(lexer.mres, data["lexers"][data["root"]][0]):
        assert restored.pattern == source and restored.flags == re.compile(source, flags).flags
        for sample in ('resource "a" "b" {', "  x = 1", "# note\n", "${var.a}"):
            mine, reference = restored.match(sample), re.compile(source, flags).match(sample)
            assert (mine and (mine.span(), mine.lastgroup)) == (reference and (reference.span(), reference.lastgroup))
    # code from another Python's re engine is not trusted: the expressions are compiled from source
    source, flags, compiled = saved[0]
    assert lalr._restore((source, flags, compiled), ("another", "python")).pattern == source
