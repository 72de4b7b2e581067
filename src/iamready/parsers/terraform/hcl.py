"""HCL text to a compact syntax tree, through python-hcl2's grammar.

We run python-hcl2's own Lark grammar and convert the raw Lark tree straight into small tuples,
skipping python-hcl2's rule objects and dict serialisation (which lose positions and cost about
half of the parse time). Tuples are cheap to build, to evaluate and to cache with ``marshal``.

Node layouts (``sp`` is ``(line, col, end_line, end_col)``, 1-based, end exclusive)::

    ("lit", sp, value)                       literal: str, int, float, bool, None
    ("tmpl", sp, parts)                      template; parts: str | S | expr | ("T_IF", ...) | ("T_FOR", ...)
    ("S", text, line, col, base_col)         literal template text with its source position (heredocs and
                                             template files): ``base_col`` is the column where the text of
                                             each following line starts (``<<-`` removes the indentation)
    ("T_IF", cond, then_parts, else_parts)
    ("T_FOR", key_name | None, value_name, collection, body_parts)
    ("heredoc", sp, parts, origin_line)      heredoc body as a template; origin_line = its first line
    ("tuple", sp, items)
    ("object", sp, ((key, value, key_sp), ...))
    ("ref", sp, name)                        a bare identifier: var, local, aws_s3_bucket, each, ...
    ("attr", sp, expr, name)
    ("index", sp, expr, key_expr)
    ("splat", sp, expr, ops)                 ops: (("attr", name) | ("index", expr), ...)
    ("call", sp, name, args, expand_last)
    ("cond", sp, condition, when_true, when_false)
    ("bin", sp, op, left, right)
    ("un", sp, op, operand)
    ("for_t", sp, key_name | None, value_name, collection, value, condition | None)
    ("for_o", sp, key_name | None, value_name, collection, key, value, condition | None, grouping)

A body is a tuple of ``("A", sp, name, expr)`` attributes and ``("B", sp, type, labels, body)``
blocks.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from iamready.parsers.terraform.lalr import CONTINUATION_OPERATORS

Sp = tuple[int, int, int, int]
Node = tuple[Any, ...]


class HclSyntaxError(Exception):
    """A syntax error with a location (1-based line and column)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


_TABLES_FORMAT = b"iamready-hcl2-lalr-1"


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    """The parse tables of python-hcl2's grammar, for our LALR driver (:mod:`.lalr`), loaded once.

    Building them with Lark costs about 3 s; loading them (marshal) a few milliseconds, without
    importing Lark. The file is looked for in the installed package (the wheel ships it, built at build
    time), then in our cache directory; when neither has it, the tables are built and saved to the
    cache directory (written to a temporary file and renamed, so concurrent runs never read half a file).
    """
    from iamready.parsers.terraform import lalr

    grammar_text, name = _grammar()
    for candidate in _table_locations(name):
        data = _load_tables(candidate)
        if data is not None:
            try:
                return lalr.Tables(data)
            except (KeyError, TypeError, ValueError, IndexError):  # another shape: rebuild
                continue
    data = lalr.extract(_build(grammar_text))
    directory = _cache_directory()
    if directory is not None:
        save_tables(data, directory / name)
    return lalr.Tables(data)


def _build(grammar_text: str) -> Any:
    from lark import Lark

    # positions come from the tokens (the converter reads no ``.meta``): no propagate_positions
    return Lark(grammar_text, parser="lalr", postlex=_LineContinuations())


class _LineContinuations:
    """Token pass between Lark's lexer and parser that python-hcl2's grammar expects: a newline (or
    comment) token directly before a binary operator is folded into the operator's text, so that an
    expression may continue on the next line; any other newline token passes through unchanged.

    Ours rather than python-hcl2's, so that parsing never imports the python-hcl2 package (whose
    import pulls in much more than the grammar).
    """

    always_accept: tuple[str, ...] = ()

    def process(self, stream: Any) -> Any:
        newline = None
        for token in stream:
            if token.type == "NL_OR_COMMENT":
                if newline is not None:
                    yield newline
                newline = token
                continue
            if newline is not None:
                if token.type in CONTINUATION_OPERATORS:
                    token = token.update(value=f"{newline}{token}")
                else:
                    yield newline
                newline = None
            yield token
        if newline is not None:
            yield newline


@functools.lru_cache(maxsize=1)
def _grammar() -> tuple[str, str]:
    """python-hcl2's grammar text, and the file name of its tables (grammar hash and Python version: the
    tables hold compiled regular expressions).

    The grammar is found without importing python-hcl2 (its package imports more than we need).
    """
    import hashlib
    import importlib.util
    import sys

    spec = importlib.util.find_spec("hcl2")
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if not locations:
        raise ImportError("python-hcl2 is not installed")
    text = (Path(locations[0]) / "hcl2.lark").read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return text, f"hcl2-{digest}-py{python}.tables"


def _cache_directory() -> Path | None:
    from iamready.cache import cache_dir

    return cache_dir()


def _table_locations(name: str) -> list[Path]:
    out = [Path(__file__).resolve().parent / "_tables" / name]  # shipped in the wheel
    directory = _cache_directory()
    if directory is not None:
        out.append(directory / name)
    return out


def _load_tables(path: Path) -> Any:
    """The tables' data, or None when the file is absent, foreign or damaged."""
    import marshal

    try:
        with open(path, "rb") as handle:
            if handle.readline().rstrip(b"\n") != _TABLES_FORMAT:
                return None
            data = marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):  # absent, damaged or foreign: rebuild
        return None
    return data if isinstance(data, dict) else None


def save_tables(data: dict[str, Any], target: Path) -> bool:
    """Write the tables to ``target`` atomically. False when that is not possible."""
    import marshal

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tables-", dir=str(target.parent))
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_TABLES_FORMAT + b"\n")
                handle.write(marshal.dumps(data))
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, ValueError):
        return False
    return True


def build_tables(directory: Path) -> Path:
    """Build the tables into ``directory`` (the wheel build ships them) and return the file."""
    from iamready.parsers.terraform import lalr

    grammar_text, name = _grammar()
    target = directory / name
    if not save_tables(lalr.extract(_build(grammar_text)), target):
        raise OSError(f"cannot write {target}")
    return target


def warm() -> None:
    """Build (or load) the grammar so the first real parse does not pay for it."""
    _parser()


_COMMENT_MARK = "iamready"


_HEREDOC_START = re.compile(r"<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n")


def _heredoc_ends(text: str) -> str:
    """Terraform ends a heredoc at a line holding its marker and blanks (``POLICY  ``: HCL trims the line);
    the grammar wants the marker alone. Blanks after a marker line are dropped, nothing moves."""
    if "<<" not in text:
        return text
    markers = set(_HEREDOC_START.findall(text))
    if not markers:
        return text
    alternatives = "|".join(map(re.escape, sorted(markers)))
    ends = re.compile(rf"^([ \t]*(?:{alternatives}))[ \t]+(?=\r?$)", re.M)
    return ends.sub(r"\1", text)


def parse(text: str) -> tuple[tuple[Node, ...], tuple[tuple[int, str], ...]]:
    """Parse HCL text. Returns the body and the comments that mention iamready ``(line, text)``.

    The cyclic garbage collector is off meanwhile: the parser's tokens and tree nodes form no cycles
    and are freed as soon as the conversion is done, but while they live the collector would walk
    them again and again (a third of the parse time, more for a large file)."""
    text = _heredoc_ends(text)
    collecting = gc.isenabled()
    gc.disable()
    try:
        tree = _parse_tree(text + "\n", text)
        converter = _Converter()
        body = converter.body(tree.children[0])
        return body, tuple(converter.comments)
    finally:
        if collecting:
            gc.enable()


def _parse_tree(source: str, text: str) -> Any:
    """Run the parser on ``source`` (``text`` and what was added to it); a syntax error becomes
    :class:`HclSyntaxError`, located (an unexpected character is shown from ``text``)."""
    from iamready.parsers.terraform.lalr import SyntaxProblem
    from iamready.parsers.terraform.lalr import parse as run

    try:
        return run(source, _parser())
    except SyntaxProblem as problem:
        if problem.kind == "character":
            shown = repr(text[problem.pos : problem.pos + 1])
            raise HclSyntaxError(f"unexpected character {shown}", problem.line, problem.column) from None
        token = problem.token
        if token is None or token.type == "$END":
            raise HclSyntaxError("unexpected end of file", problem.line, problem.column) from None
        raise HclSyntaxError(f"unexpected {_shown(str(token))}", problem.line, problem.column) from None


def _shown(token: str) -> str:
    """A token as an error message shows it: its first line, at most 40 characters (a token may be megabytes)."""
    first = token.split("\n", 1)[0].rstrip("\r") or token
    if len(first) > 40:
        return f"{first[:40] + '...'!r} ({len(first)} characters)"
    return repr(first)


def parse_expression(text: str, line: int = 1, column: int = 1) -> Node:
    """Parse a lone expression (an interpolation inside a heredoc) at a given position."""
    prefix = "x="
    try:
        tree = _parse_tree(prefix + text + "\n", text)
    except HclSyntaxError:
        raise HclSyntaxError(f"invalid expression in template: {text.strip()[:60]!r}", line, column) from None
    converter = _Converter(line - 1, column - 1 - len(prefix))
    for child in tree.children[0].children:
        if getattr(child, "data", None) == "attribute":
            return converter.expr(child.children[-1])
    raise HclSyntaxError(f"invalid expression in template: {text.strip()[:60]!r}", line, column)


# --------------------------------------------------------------------------------------------
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] in "uU" and len(code) > 1:
            try:
                return chr(int(code[1:], 16))
            except ValueError:
                return m.group(0)
        return _ESCAPES.get(code, m.group(0))

    return _ESCAPE_RE.sub(repl, text)


class _Converter:
    """Walk one Lark tree. ``line_offset``/``col_offset`` shift positions (embedded expressions)."""

    def __init__(self, line_offset: int = 0, col_offset: int = 0) -> None:
        self.line_offset = line_offset
        self.col_offset = col_offset
        self.comments: list[tuple[int, str]] = []

    # positions ---------------------------------------------------------------------------
    def _sp(self, node: Any) -> Sp:
        first = _first_token(node)
        last = _last_token(node)
        if first is None or last is None:
            return (1 + self.line_offset, 1, 1 + self.line_offset, 1)
        col_shift = self.col_offset
        start_col = first.column + (col_shift if first.line == 1 else 0)
        end_col = last.end_column + (col_shift if last.end_line == 1 else 0)
        return (
            first.line + self.line_offset,
            max(start_col, 1),
            last.end_line + self.line_offset,
            max(end_col, 1),
        )

    # body --------------------------------------------------------------------------------
    def body(self, tree: Any) -> tuple[Node, ...]:
        out: list[Node] = []
        for child in tree.children:
            data = getattr(child, "data", None)
            if data == "attribute":
                out.append(self.attribute(child))
            elif data == "block":
                out.append(self.block(child))
            elif data == "new_line_or_comment":
                self._collect_comments(child)
        return tuple(out)

    def _collect_comments(self, tree: Any) -> None:
        for token in tree.children:
            value = str(token)
            if _COMMENT_MARK in value:
                # a merged token may hold several lines; keep each comment on its own line
                for offset, line_text in enumerate(value.split("\n")):
                    if _COMMENT_MARK in line_text:
                        self.comments.append((token.line + offset + self.line_offset, line_text.strip()))

    def attribute(self, tree: Any) -> Node:
        name_node = tree.children[0]
        name = str(_first_token(name_node))
        expr_node = tree.children[-1]
        self._scan_nested_comments(expr_node)
        expr = self.expr(expr_node)
        first = _first_token(name_node)
        sp_expr = expr[1]
        sp = (first.line + self.line_offset, first.column, sp_expr[2], sp_expr[3])
        return ("A", sp, name, expr)

    def _scan_nested_comments(self, node: Any) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            data = getattr(current, "data", None)
            if data is None:
                if getattr(current, "type", "") in ("NL_OR_COMMENT",) or (
                    isinstance(current, str)
                    and _COMMENT_MARK in current
                    and getattr(current, "type", "") != "STRING_CHARS"
                ):
                    value = str(current)
                    if _COMMENT_MARK in value and ("#" in value or "//" in value or "/*" in value):
                        for offset, line_text in enumerate(value.split("\n")):
                            if _COMMENT_MARK in line_text:
                                self.comments.append((current.line + offset + self.line_offset, line_text.strip()))
                continue
            if data in ("string", "heredoc_template", "heredoc_template_trim"):
                continue
            stack.extend(current.children)

    def block(self, tree: Any) -> Node:
        children = tree.children
        block_type = str(_first_token(children[0]))
        labels: list[str] = []
        body: tuple[Node, ...] = ()
        for child in children[1:]:
            data = getattr(child, "data", None)
            if data == "string":
                labels.append("".join(self._string_literal_text(child)))
            elif data in ("identifier", "keyword", "literal_value"):
                labels.append(str(_first_token(child)))
            elif data == "body":
                body = self.body(child)
            elif data == "new_line_or_comment":
                self._collect_comments(child)
        return ("B", self._sp(tree), block_type, tuple(labels), body)

    def _string_literal_text(self, tree: Any) -> list[str]:
        out = []
        for part in tree.children:
            if getattr(part, "data", None) == "string_part":
                token = part.children[0]
                if getattr(token, "type", None) == "STRING_CHARS":
                    out.append(_unescape(str(token)))
                elif hasattr(token, "type"):
                    out.append(str(token)[1:])
        return out

    # expressions -------------------------------------------------------------------------
    def expr(self, tree: Any) -> Node:
        data = getattr(tree, "data", None)
        if data is None:  # a bare token
            return ("lit", self._sp(tree), str(tree))
        method = getattr(self, "_x_" + data, None)
        if method is None:
            raise HclSyntaxError(f"unsupported syntax {data}", *self._sp(tree)[:2])
        return method(tree)

    def _significant(self, tree: Any) -> list[Any]:
        return [c for c in tree.children if getattr(c, "data", None) != "new_line_or_comment"]

    def _x_expr_term(self, tree: Any) -> Node:
        kids = self._significant(tree)
        if len(kids) == 3 and getattr(kids[0], "type", None) == "LPAR":
            return self.expr(kids[1])
        return self.expr(kids[0])

    def _x_int_lit(self, tree: Any) -> Node:
        text = str(tree.children[0])
        try:
            return ("lit", self._sp(tree), int(text))
        except ValueError:  # more digits than Python converts (4300): as a float, like Terraform's big numbers
            return ("lit", self._sp(tree), float(text))

    def _x_float_lit(self, tree: Any) -> Node:
        return ("lit", self._sp(tree), float(str(tree.children[0])))

    def _x_literal_value(self, tree: Any) -> Node:
        text = str(tree.children[0])
        return ("lit", self._sp(tree), {"true": True, "false": False, "null": None}[text])

    def _x_identifier(self, tree: Any) -> Node:
        return ("ref", self._sp(tree), str(tree.children[0]))

    def _x_keyword(self, tree: Any) -> Node:
        return ("ref", self._sp(tree), str(tree.children[0]))

    def _x_string(self, tree: Any) -> Node:
        flat: list[Any] = []
        for part in tree.children:
            if getattr(part, "data", None) != "string_part":
                continue
            inner = part.children[0]
            kind = getattr(inner, "type", None)
            if kind == "STRING_CHARS":
                flat.append(_unescape(str(inner)))
            elif kind in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                flat.append(str(inner)[1:])
            else:
                flat.append(self._directive_or_interp(inner))
                if getattr(inner, "data", None) == "interpolation":
                    strips = self._strip_markers(inner)
                    if strips != (False, False):
                        flat.append(("D_STRIP", *strips))
        return ("tmpl", self._sp(tree), _assemble(_interp_strips(flat), self._sp(tree)))

    @staticmethod
    def _strip_markers(tree: Any) -> tuple[bool, bool]:
        kids = [c for c in tree.children if getattr(c, "data", None) != "new_line_or_comment"]
        strip_open = len(kids) > 1 and getattr(kids[1], "type", None) == "STRIP_MARKER"
        strip_close = len(kids) > 2 and getattr(kids[-2], "type", None) == "STRIP_MARKER"
        return strip_open, strip_close

    def _directive_or_interp(self, tree: Any) -> Any:
        data = tree.data
        kids = [c for c in tree.children if getattr(c, "data", None) != "new_line_or_comment"]
        strip_open = len(kids) > 1 and getattr(kids[1], "type", None) == "STRIP_MARKER"
        strip_close = len(kids) > 2 and getattr(kids[-2], "type", None) == "STRIP_MARKER"
        if data == "interpolation":
            return self.expr(next(k for k in kids if getattr(k, "data", None) is not None))
        if data == "template_if_start":
            cond = next(k for k in kids if getattr(k, "data", None) is not None)
            return ("D_IF", self.expr(cond), strip_open, strip_close)
        if data == "template_else":
            return ("D_ELSE", strip_open, strip_close)
        if data == "template_endif":
            return ("D_ENDIF", strip_open, strip_close)
        if data == "template_endfor":
            return ("D_ENDFOR", strip_open, strip_close)
        if data == "template_for_start":
            names = [str(_first_token(k)) for k in kids if getattr(k, "data", None) == "identifier"]
            coll = [k for k in kids if getattr(k, "data", None) not in (None, "identifier")][-1]
            key_name, value_name = (names[0], names[1]) if len(names) == 2 else (None, names[0])
            return ("D_FOR", key_name, value_name, self.expr(coll), strip_open, strip_close)
        raise HclSyntaxError(f"unsupported template part {data}", *self._sp(tree)[:2])

    def _x_template_string(self, tree: Any) -> Node:
        text = str(tree.children[0])
        return ("lit", self._sp(tree), _unescape(text[2:-2]))

    def _heredoc(self, tree: Any, trim: bool) -> Node:
        token = tree.children[0]
        raw = str(token)
        header, _, rest = raw.partition("\n")
        marker = header.lstrip("<-").strip()
        body = rest
        # drop the closing marker line
        body = re.sub(r"(?:\r?\n)?[ \t]*" + re.escape(marker) + r"\r?\n?\Z", "", body)
        if body and not body.endswith("\n"):
            body += "\n"
        line0 = token.line + 1 + self.line_offset
        if trim:
            lines = body.split("\n")
            indents = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip()]
            cut = min(indents) if indents else 0
            body = "\n".join(ln[cut:] for ln in lines)
            col0 = 1 + cut
        else:
            col0 = 1
        parts = parse_template(body, line0, col0, col0)
        sp = self._sp(tree)
        if raw.endswith("\n"):
            # the token ends with the newline after the closing marker: end at the marker instead
            closing = raw.rstrip("\r\n").rsplit("\n", 1)[-1]
            sp = (sp[0], sp[1], sp[2] - 1, len(closing) + 1)
        return ("heredoc", sp, parts, line0)

    def _x_heredoc_template(self, tree: Any) -> Node:
        return self._heredoc(tree, trim=False)

    def _x_heredoc_template_trim(self, tree: Any) -> Node:
        return self._heredoc(tree, trim=True)

    def _x_tuple(self, tree: Any) -> Node:
        items = tuple(
            self.expr(c) for c in tree.children if getattr(c, "data", None) not in (None, "new_line_or_comment")
        )
        return ("tuple", self._sp(tree), items)

    def _x_object(self, tree: Any) -> Node:
        elems = []
        for child in tree.children:
            if getattr(child, "data", None) != "object_elem":
                continue
            key_node, value_node = child.children[0], child.children[-1]
            key_inner = key_node.children[0]
            key = self._object_key(key_inner)
            elems.append((key, self.expr(value_node), self._sp(child)))
        return ("object", self._sp(tree), tuple(elems))

    def _object_key(self, node: Any) -> Node:
        data = getattr(node, "data", None)
        if data == "keyword":
            return ("lit", self._sp(node), str(node.children[0]))
        if data == "expr_term":
            kids = self._significant(node)
            if len(kids) == 1 and getattr(kids[0], "data", None) == "identifier":
                return ("lit", self._sp(node), str(kids[0].children[0]))
        if data == "identifier":
            return ("lit", self._sp(node), str(node.children[0]))
        return self.expr(node)

    def _x_get_attr_expr_term(self, tree: Any) -> Node:
        base, get_attr = tree.children[0], tree.children[1]
        name = str(_first_token(get_attr.children[1]))
        return ("attr", self._sp(tree), self.expr(base), name)

    def _x_index_expr_term(self, tree: Any) -> Node:
        base, index = tree.children[0], tree.children[1]
        return ("index", self._sp(tree), self.expr(base), self._index_key(index))

    def _index_key(self, index: Any) -> Node:
        if index.data == "short_index":
            token = index.children[1]
            return ("lit", self._sp(index), int(str(token)))
        kids = self._significant(index)
        return self.expr(kids[1])

    def _splat(self, tree: Any) -> Node:
        base, splat = tree.children[0], tree.children[1]
        ops: list[tuple[Any, ...]] = []
        for op in splat.children[1:]:
            data = getattr(op, "data", None)
            if data == "get_attr":
                ops.append(("attr", str(_first_token(op.children[1]))))
            elif data in ("braces_index", "short_index"):
                ops.append(("index", self._index_key(op)))
        return ("splat", self._sp(tree), self.expr(base), tuple(ops))

    _x_attr_splat_expr_term = _splat
    _x_full_splat_expr_term = _splat

    def _x_function_call(self, tree: Any) -> Node:
        names = [str(_first_token(c)) for c in tree.children if getattr(c, "data", None) == "identifier"]
        name = "::".join(names)
        args: tuple[Node, ...] = ()
        expand = False
        for child in tree.children:
            if getattr(child, "data", None) == "arguments":
                args = tuple(
                    self.expr(a)
                    for a in child.children
                    if getattr(a, "data", None) not in (None, "new_line_or_comment")
                )
                expand = any(getattr(a, "type", None) == "ELLIPSIS" for a in child.children)
        return ("call", self._sp(tree), name, args, expand)

    def _x_conditional(self, tree: Any) -> Node:
        kids = [c for c in tree.children if getattr(c, "data", None) not in (None, "new_line_or_comment")]
        return ("cond", self._sp(tree), self.expr(kids[0]), self.expr(kids[1]), self.expr(kids[2]))

    def _x_binary_op(self, tree: Any) -> Node:
        kids = self._significant(tree)
        left, term = kids[0], kids[1]
        term_kids = self._significant(term)
        op_token = _first_token(term_kids[0])
        op = str(op_token).strip().split("\n")[-1].strip()
        # a merged newline may precede the operator (postlexer); keep only the operator text
        op = re.sub(r"^(?:\s|#[^\n]*|//[^\n]*)*", "", str(op_token)).strip()
        return ("bin", self._sp(tree), op, self.expr(left), self.expr(term_kids[1]))

    def _x_unary_op(self, tree: Any) -> Node:
        op = str(tree.children[0])
        return ("un", self._sp(tree), op, self.expr(tree.children[1]))

    def _for_intro(self, intro: Any) -> tuple[str | None, str, Node]:
        names = [str(_first_token(c)) for c in intro.children if getattr(c, "data", None) == "identifier"]
        coll = [
            c for c in intro.children if getattr(c, "data", None) not in (None, "identifier", "new_line_or_comment")
        ]
        key_name, value_name = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        return key_name, value_name, self.expr(coll[-1])

    def _x_for_tuple_expr(self, tree: Any) -> Node:
        kids = [c for c in tree.children if getattr(c, "data", None) not in (None, "new_line_or_comment")]
        key_name, value_name, coll = self._for_intro(kids[0])
        value = self.expr(kids[1])
        cond = self._for_cond(kids[2]) if len(kids) > 2 else None
        return ("for_t", self._sp(tree), key_name, value_name, coll, value, cond)

    def _for_cond(self, node: Any) -> Node:
        inner = [c for c in node.children if getattr(c, "data", None) not in (None, "new_line_or_comment")]
        return self.expr(inner[0])

    def _x_for_object_expr(self, tree: Any) -> Node:
        kids = [c for c in tree.children if getattr(c, "data", None) not in (None, "new_line_or_comment")]
        key_name, value_name, coll = self._for_intro(kids[0])
        key = self.expr(kids[1])
        value = self.expr(kids[2])
        cond = self._for_cond(kids[3]) if len(kids) > 3 else None
        grouping = any(getattr(c, "type", None) == "ELLIPSIS" for c in tree.children)
        return ("for_o", self._sp(tree), key_name, value_name, coll, key, value, cond, grouping)


_NLC = "new_line_or_comment"


def _first_token(node: Any) -> Any:
    """The first token under ``node`` (skipping newline-or-comment subtrees); None when there is none."""
    while node is not None and hasattr(node, "data"):
        for child in node.children:
            if getattr(child, "data", None) != "new_line_or_comment":
                node = child
                break
        else:
            return None
    return node


def _last_token(node: Any) -> Any:
    """The last token under ``node`` that is not a newline or comment; None when there is none."""
    while node is not None and hasattr(node, "data"):
        for child in reversed(node.children):
            if getattr(child, "type", None) != "NL_OR_COMMENT" and getattr(child, "data", None) != _NLC:
                node = child
                break
        else:
            return None
    return node


# -- templates -------------------------------------------------------------------------------
_DIRECTIVES = ("D_IF", "D_ELSE", "D_ENDIF", "D_FOR", "D_ENDFOR")


def _is_text(item: Any) -> bool:
    return isinstance(item, str) or (isinstance(item, tuple) and bool(item) and item[0] == "S")


def _text_of(item: Any) -> str:
    return item if isinstance(item, str) else item[1]


def _lstrip_text(item: Any) -> Any:
    """Strip leading whitespace (``~`` after a directive); an ``S`` part moves its position along."""
    if isinstance(item, str):
        return item.lstrip(" \t\r\n")
    _, text, line, col, base = item
    kept = text.lstrip(" \t\r\n")
    removed = text[: len(text) - len(kept)]
    newlines = removed.count("\n")
    if newlines:
        line += newlines
        col = base + len(removed) - removed.rfind("\n") - 1
    else:
        col += len(removed)
    return ("S", kept, line, col, base)


def _rstrip_text(item: Any) -> Any:
    if isinstance(item, str):
        return item.rstrip(" \t\r\n")
    return ("S", item[1].rstrip(" \t\r\n"), item[2], item[3], item[4])


def _assemble(flat: list[Any], sp: Sp) -> tuple[Any, ...]:
    """Turn flat template parts (text, expressions, directive markers) into nested structure."""
    # strip markers: "~" removes whitespace (newlines included) on that side of the directive
    items = list(flat)
    for i, item in enumerate(items):
        if isinstance(item, tuple) and item and item[0] in _DIRECTIVES:
            strip_open, strip_close = item[-2], item[-1]
            if strip_open and i > 0 and _is_text(items[i - 1]):
                items[i - 1] = _rstrip_text(items[i - 1])
            if strip_close and i + 1 < len(items) and _is_text(items[i + 1]):
                items[i + 1] = _lstrip_text(items[i + 1])

    pos = 0

    def seq(stops: tuple[str, ...]) -> tuple[list[Any], str | None]:
        nonlocal pos
        out: list[Any] = []
        while pos < len(items):
            item = items[pos]
            pos += 1
            if isinstance(item, tuple) and item and item[0] in ("D_ELSE", "D_ENDIF", "D_ENDFOR"):
                if item[0] in stops:
                    return out, item[0]
                raise HclSyntaxError(f"unexpected %{{{item[0][2:].lower()}}} in template", sp[0], sp[1])
            if isinstance(item, tuple) and item and item[0] == "D_IF":
                then_parts, stop = seq(("D_ELSE", "D_ENDIF"))
                else_parts: list[Any] = []
                if stop == "D_ELSE":
                    else_parts, stop = seq(("D_ENDIF",))
                if stop != "D_ENDIF":
                    raise HclSyntaxError("%{if} without %{endif} in template", sp[0], sp[1])
                out.append(("T_IF", item[1], tuple(then_parts), tuple(else_parts)))
            elif isinstance(item, tuple) and item and item[0] == "D_FOR":
                body, stop = seq(("D_ENDFOR",))
                if stop != "D_ENDFOR":
                    raise HclSyntaxError("%{for} without %{endfor} in template", sp[0], sp[1])
                out.append(("T_FOR", item[1], item[2], item[3], tuple(body)))
            elif isinstance(item, str):
                if item:
                    if out and isinstance(out[-1], str):
                        out[-1] += item
                    else:
                        out.append(item)
            elif _is_text(item):
                if item[1]:
                    out.append(item)
            else:
                out.append(item)
        return out, None

    parts, _ = seq(())
    return tuple(parts)


_DIRECTIVE_RE = re.compile(
    r"^\s*(~)?\s*(?:(if)\b(.*?)|(else)|(endif)|(for)\s+([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?in\b(.*?)|(endfor))\s*(~)?\s*$",
    re.S,
)


def parse_template(
    text: str, line0: int, col0: int = 1, base_col: int | None = None, positions: bool = True
) -> tuple[Any, ...]:
    """Parse template text (a heredoc body, a template file; no escape processing) into parts.

    ``line0``/``col0`` is where the text starts in its file and ``base_col`` the column where each
    later line starts. With ``positions``, literal text becomes ``("S", text, line, col, base_col)``
    parts, so rendered text can be mapped back to its source lines.
    """
    base = col0 if base_col is None else base_col
    flat: list[Any] = []
    i = 0
    n = len(text)
    literal_start = 0

    def literal(start: int, stop: int, suffix: str = "") -> None:
        chunk = text[start:stop] + suffix
        if not chunk:
            return
        if positions:
            line, col = _pos(text, start, line0, col0, base)
            flat.append(("S", chunk, line, col, base))
        else:
            flat.append(chunk)

    while i < n:
        ch = text[i]
        if ch in "$%" and i + 1 < n:
            nxt = text[i + 1]
            if nxt == ch and i + 2 < n and text[i + 2] == "{":  # $${ or %%{ escape
                literal(literal_start, i, ch + "{")
                i += 3
                literal_start = i
                continue
            if nxt == "{":
                end = _match_brace(text, i + 2)
                if end < 0:
                    line, col = _pos(text, i, line0, col0, base)
                    raise HclSyntaxError("unterminated template sequence", line, col)
                literal(literal_start, i)
                inner = text[i + 2 : end]
                line, col = _pos(text, i + 2, line0, col0, base)
                if ch == "$":
                    flat.append(parse_expression(inner.strip("~"), line, col + (1 if inner.startswith("~") else 0)))
                    if inner.startswith("~") or inner.endswith("~"):
                        # ${~ expr ~} strips like a directive does
                        flat.append(("D_STRIP", inner.startswith("~"), inner.endswith("~")))
                else:
                    flat.append(_directive(inner, line, col))
                i = end + 1
                literal_start = i
                continue
        i += 1
    literal(literal_start, n)
    return _assemble(_interp_strips(flat), (line0, col0, line0, col0))


def _interp_strips(flat: list[Any]) -> list[Any]:
    """Apply the strip markers of ``${~ ... ~}`` interpolations to the text around them."""
    if not any(isinstance(item, tuple) and item and item[0] == "D_STRIP" for item in flat):
        return flat
    out: list[Any] = []
    strip_next = False
    for item in flat:
        if isinstance(item, tuple) and item and item[0] == "D_STRIP":
            # the interpolation is the previous item; the text before it is the one before that
            if item[1] and len(out) >= 2 and _is_text(out[-2]):
                out[-2] = _rstrip_text(out[-2])
            strip_next = item[2]
            continue
        if strip_next and _is_text(item):
            item = _lstrip_text(item)
        strip_next = False
        out.append(item)
    return out


def _directive(inner: str, line: int, col: int) -> tuple[Any, ...]:
    m = _DIRECTIVE_RE.match(inner)
    if not m:
        raise HclSyntaxError(f"invalid template directive %{{{inner.strip()[:40]}}}", line, col)
    strip_open, strip_close = bool(m.group(1)), bool(m.group(11))
    if m.group(2):
        return ("D_IF", parse_expression(m.group(3), line, col), strip_open, strip_close)
    if m.group(4):
        return ("D_ELSE", strip_open, strip_close)
    if m.group(5):
        return ("D_ENDIF", strip_open, strip_close)
    if m.group(6):
        first, second = m.group(7), m.group(8)
        key_name, value_name = (first, second) if second else (None, first)
        return (
            "D_FOR",
            key_name,
            value_name,
            parse_expression(m.group(9), line, col),
            strip_open,
            strip_close,
        )
    return ("D_ENDFOR", strip_open, strip_close)


def _match_brace(text: str, start: int) -> int:
    """Index of the ``}`` closing a template sequence opened just before ``start``, or -1."""
    depth = 0
    i = start
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            i += 1
            while i < n and text[i] != '"':
                if text[i] == "\\":
                    i += 1
                elif text[i] in "$%" and i + 1 < n and text[i + 1] == "{":
                    end = _match_brace(text, i + 2)
                    if end < 0:
                        return -1
                    i = end
                i += 1
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        elif ch == "\n" and depth == 0 and text[start:i].strip() == "":
            pass
        i += 1
    return -1


def _pos(text: str, index: int, line0: int, col0: int, base_col: int = 1) -> tuple[int, int]:
    before = text[:index]
    nl = before.count("\n")
    if nl == 0:
        return line0, col0 + index
    return line0 + nl, base_col + index - before.rfind("\n") - 1
