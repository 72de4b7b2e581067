"""python-hcl2's grammar, run by a small LALR(1) driver of our own instead of Lark's.

Lark builds the tables from python-hcl2's grammar (``hcl2.lark``): the LALR parse table, one lexer per
parser state (its terminals' regular expressions, which of them are ignored or may span lines, the
keyword callbacks that turn a ``NAME`` into ``IF``), and how each rule shapes its tree node (which
children it keeps, which ``_rule`` children it splices in, whether a one-child ``?rule`` is replaced
by its child). :func:`extract` copies all of that into plain data once (the wheel ships it; a source
checkout builds it into the cache directory), and :func:`parse` runs it: the same tokens, the same
trees, the same errors as Lark's contextual lexer and LALR parser with our line-continuation pass
(``hcl._LineContinuations``), which ``tests/parsers/terraform/test_tf_lalr.py`` checks on every
Terraform file of the repository.

Why: a scan no longer imports Lark (about 35 ms) nor unpickles its parser (15 ms), and the regular
expressions of the lexers come back compiled (``_sre.compile`` with the code saved at build time;
``re.compile`` would cost about 30 ms for the lexers a small module needs). Lexing, the
continuation pass and the parse run in one loop, without Lark's generator layers.

Trees are :class:`Tree` (``data``, ``children``) and tokens :class:`Token` (a ``str`` with ``type``,
``line``, ``column``, ``end_line``, ``end_column``), with Lark's attribute names: the converter in
``hcl.py`` reads only those.
"""

from __future__ import annotations

import re
import sys
from typing import Any

FORMAT = 1

# Binary operators that python-hcl2's grammar lets a line start with (MINUS is not one: at the start
# of a line it is a negative number). tests/parsers check this against python-hcl2's own post-lexer.
CONTINUATION_OPERATORS = frozenset(
    {"DOUBLE_EQ", "NEQ", "LT", "GT", "LEQ", "GEQ", "ASTERISK", "SLASH", "PERCENT", "DOUBLE_AMP", "DOUBLE_PIPE"}
    | {"PLUS", "QMARK"}
)


class Token(str):
    """A token: its text, with ``type``, ``line``, ``column``, ``end_line`` and ``end_column`` (1-based)."""

    type: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {str(self)!r})"


class Tree:
    __slots__ = ("children", "data")

    def __init__(self, data: str, children: list[Any]) -> None:
        self.data = data
        self.children = children

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"


class SyntaxProblem(Exception):
    """Where and what: ``kind`` is "token" (``token`` unexpected; ``$END``: end of file) or "character"
    (no terminal matches the text at ``pos``)."""

    def __init__(self, kind: str, line: int, column: int, token: Token | None = None, pos: int = 0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.line = line
        self.column = column
        self.token = token
        self.pos = pos


# -- the regular expressions, saved compiled ------------------------------------------------------
def _sre_key() -> tuple[Any, ...]:
    import _sre

    return (sys.version_info[:2], getattr(_sre, "MAGIC", None), getattr(_sre, "CODESIZE", None))


def _save_pattern(pattern: re.Pattern[str]) -> tuple[Any, ...]:
    """(source, flags, and when this Python's re internals allow it: its code, groups and group names)."""
    try:
        try:
            from re import _compiler, _parser  # type: ignore[attr-defined]
        except ImportError:  # Python 3.10
            import sre_compile as _compiler  # type: ignore[no-redef]
            import sre_parse as _parser  # type: ignore[no-redef]
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        code = [int(c) for c in _compiler._code(parsed, pattern.flags)]
        flags = pattern.flags | parsed.state.flags
        groupindex = {str(k): int(v) for k, v in parsed.state.groupdict.items()}
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        compiled = (code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        if _restore((pattern.pattern, flags, compiled), _sre_key()) != pattern:
            compiled = None
    except Exception:  # other re internals: compiled again when loaded
        compiled, flags = None, pattern.flags
    return (str(pattern.pattern), int(flags), compiled)


def _restore(saved: tuple[Any, ...], key: tuple[Any, ...]) -> re.Pattern[str]:
    source, flags, compiled = saved
    if compiled is not None and key == _sre_key():
        import _sre

        try:
            code, groups, groupindex, indexgroup = compiled
            return _sre.compile(source, flags, code, groups, groupindex, indexgroup)  # type: ignore[no-any-return]
        except Exception:  # code this Python does not accept: compile the source
            pass
    return re.compile(source, flags)


# -- extraction from Lark (at build time, or on a first run) --------------------------------------
def extract(parser: Any) -> dict[str, Any]:
    """Everything :func:`parse` needs from a Lark LALR parser with a contextual lexer, as plain data."""
    from functools import partial

    from lark import Tree as LarkTree
    from lark.parse_tree_builder import ChildFilter, ChildFilterLALR_NoPlaceholders, ExpandSingleChild
    from lark.parsers.lalr_analysis import Shift

    lalr = parser.parser.parser.parser  # Lark -> ParsingFrontend -> LALR_Parser -> _Parser
    table = lalr.parse_table
    rules: list[Any] = []
    rule_index: dict[Any, int] = {}
    for rule, callback in lalr.callbacks.items():
        if isinstance(rule, str):
            raise ValueError(f"unexpected terminal callback {rule}")
        include: list[tuple[int, bool, int]] | None = None
        append_none = 0
        node = callback
        if isinstance(node, ChildFilterLALR_NoPlaceholders):
            include = [(i, bool(expand), 0) for i, expand in node.to_include]
            node = node.node_builder
        elif isinstance(node, ChildFilter):
            include = [(i, bool(expand), int(add)) for i, expand, add in node.to_include]
            append_none = int(node.append_none)
            node = node.node_builder
        expand1 = isinstance(node, ExpandSingleChild)
        if expand1:
            node = node.node_builder
        if not (isinstance(node, partial) and node.func is LarkTree and len(node.args) == 1 and not node.keywords):
            raise ValueError(f"unexpected tree builder for rule {rule}: {node!r}")
        rule_index[rule] = len(rules)
        rules.append((str(node.args[0]), len(rule.expansion), str(rule.origin.name), include, append_none, expand1))
    states: list[dict[str, int]] = [{} for _ in range(max(table.states) + 1)]
    for state, actions in table.states.items():
        for symbol, (action, arg) in actions.items():
            states[state][str(symbol)] = int(arg) if action is Shift else ~rule_index[arg]
    contextual = parser.parser.lexer
    contextual = getattr(contextual, "lexer", contextual)  # under the post-lexer connector
    lexers: list[Any] = []
    lexer_index: dict[int, int] = {}

    def lexer_of(lexer: Any) -> int:
        if id(lexer) not in lexer_index:
            scanner = lexer.scanner  # builds the scanner and the keyword callbacks
            callbacks = {}
            for type_, callback in lexer.callback.items():
                inner = getattr(callback, "scanner", None)
                if inner is None or type(callback).__name__ != "UnlessCallback":
                    raise ValueError(f"unexpected lexer callback for {type_}: {callback!r}")
                callbacks[str(type_)] = [_save_pattern(m) for m in inner._mres]
            lexer_index[id(lexer)] = len(lexers)
            lexers.append(
                (
                    [_save_pattern(m) for m in scanner._mres],
                    callbacks,
                    sorted(str(t) for t in lexer.ignore_types),
                    sorted(str(t) for t in lexer.newline_types),
                )
            )
        return lexer_index[id(lexer)]

    state_lexer = [-1] * len(states)
    for state, lexer in contextual.lexers.items():
        state_lexer[state] = lexer_of(lexer)
    root = lexer_of(contextual.root_lexer)
    return {
        "format": FORMAT,
        "sre": list(_sre_key()),
        "start": int(table.start_states["start"]),
        "end": int(table.end_states["start"]),
        "states": states,
        "rules": rules,
        "lexers": lexers,
        "state_lexer": state_lexer,
        "root": root,
        "continuations": sorted(CONTINUATION_OPERATORS),
    }


# -- running the tables ---------------------------------------------------------------------------
class _Lexer:
    __slots__ = ("callbacks", "ignore", "mres", "newline", "parts")

    def __init__(self, spec: Any, key: tuple[Any, ...]) -> None:
        mres, callbacks, ignore, newline = spec
        self.mres = [_restore(m, key) for m in mres]
        self.callbacks = {t: [_restore(m, key) for m in ms] for t, ms in callbacks.items()}
        self.ignore = frozenset(ignore)
        self.newline = frozenset(newline)
        self.parts = (self.mres, self.callbacks, self.ignore, self.newline)


class Tables:
    """Loaded tables; lexers are compiled on first use."""

    def __init__(self, data: dict[str, Any]) -> None:
        if data.get("format") != FORMAT:
            raise ValueError("tables of another format")
        self.key = tuple((tuple(data["sre"][0]), *data["sre"][1:]))
        self.start: int = data["start"]
        self.end: int = data["end"]
        self.states: list[dict[str, int]] = data["states"]
        # each rule with how its reduction goes: 0, a one-child ?rule (the child stays on the stack);
        # 1, a one-child rule that keeps it (wrapped in the rule's node); 2, anything else
        self.rules: list[Any] = [(_mode(rule), *rule) for rule in data["rules"]]
        self.lexer_specs: list[Any] = data["lexers"]
        self.state_lexer: list[int] = data["state_lexer"]
        self.root: int = data["root"]
        self.continuations = frozenset(data["continuations"])
        self._lexers: list[_Lexer | None] = [None] * len(self.lexer_specs)
        self.by_state: list[_Lexer | None] = [None] * len(self.states)

    def lexer(self, index: int) -> _Lexer:
        lexer = self._lexers[index]
        if lexer is None:
            lexer = self._lexers[index] = _Lexer(self.lexer_specs[index], self.key)
        return lexer

    def lexer_for(self, state: int) -> _Lexer:
        lexer = self.by_state[state]
        if lexer is None:
            lexer = self.by_state[state] = self.lexer(self.state_lexer[state])
        return lexer


def _mode(rule: Any) -> int:
    _name, size, _origin, include, append_none, expand1 = rule
    if size == 1 and not append_none and include in (None, [(0, False, 0)]):
        return 0 if expand1 else 1
    return 2


def _new_token(type_: str, value: str, line: int, column: int, end_line: int, end_column: int) -> Token:
    token = Token(value)
    token.type = type_
    token.line = line
    token.column = column
    token.end_line = end_line
    token.end_column = end_column
    return token


def parse(text: str, tables: Tables) -> Tree:
    """Parse ``text`` (python-hcl2's ``start`` rule). Raises :class:`SyntaxProblem`.

    One loop: lex a token with the lexer of the parser's current state, hold a newline back until
    the next token shows whether an operator continues the expression on the next line, and feed
    the parser (shift, or reduce and build the rule's node until it can shift). Written flat, with
    local names: it runs once per token of every file a cold scan reads."""
    states = tables.states
    rules = tables.rules
    by_state = tables.by_state
    continuations = tables.continuations
    state_stack = [tables.start]
    value_stack: list[Any] = []
    end_state = tables.end
    size_text = len(text)
    pos = 0
    line = 1
    line_start = 0
    pending: Token | None = None  # a newline held back: an operator on the next line continues the expression
    last: Token | None = None  # the last token given to the parser
    new = str.__new__
    at_end = False
    while True:
        # -- the next token, lexed for the parser's current state --------------------------------
        token: Token | None = None
        if not at_end:
            state = state_stack[-1]
            lexer = by_state[state] or tables.lexer_for(state)
            mres, keywords, ignore, newline = lexer.parts
            while pos < size_text:
                for mre in mres:
                    match = mre.match(text, pos)
                    if match is not None:
                        break
                else:
                    raise _unexpected_character(text, pos, line, pos - line_start + 1, tables)
                value = match.group()
                type_ = match.lastgroup
                column = pos - line_start + 1
                first_line = line
                if type_ in newline:
                    newlines = value.count("\n")
                    if newlines:
                        line += newlines
                        line_start = pos + value.rindex("\n") + 1
                pos += len(value)
                if type_ in ignore:
                    continue
                if type_ in keywords:
                    for mre in keywords[type_]:
                        full = mre.fullmatch(value)
                        if full is not None:
                            type_ = full.lastgroup
                            break
                token = new(Token, value)
                token.__dict__ = {
                    "type": type_,
                    "line": first_line,
                    "column": column,
                    "end_line": line,
                    "end_column": pos - line_start + 1,
                }
                break
        # -- the line-continuation pass: what goes to the parser now ---------------------------------
        if token is None:
            at_end = True
            feeding = [pending] if pending is not None else []
            pending = None
            source = last if not feeding else feeding[-1]
            if source is not None:
                end = _new_token("$END", "", source.line, source.column, source.end_line, source.end_column)
            else:
                end = _new_token("$END", "", 1, 1, 1, 1)
            feeding.append(end)
        elif token.type == "NL_OR_COMMENT":
            feeding = [pending] if pending is not None else []
            pending = token
        elif pending is not None:
            if token.type in continuations:
                token = _new_token(
                    token.type, f"{pending}{token}", token.line, token.column, token.end_line, token.end_column
                )
                feeding = [token]
            else:
                feeding = [pending, token]
            pending = None
        else:
            feeding = [token]
        # -- the parser ------------------------------------------------------------------------------
        for item in feeding:
            kind = item.type
            while True:
                action = states[state_stack[-1]].get(kind)
                if action is None:
                    raise SyntaxProblem("token", item.line, item.column, item)
                if action >= 0:
                    state_stack.append(action)
                    value_stack.append(item)
                    break
                mode, name, size, origin, include, append_none, expand1 = rules[~action]
                if mode == 0:  # one child, which stays: only the state changes
                    state_stack[-1] = states[state_stack[-2]][origin]
                    if kind == "$END" and state_stack[-1] == end_state:
                        return value_stack[-1]  # type: ignore[no-any-return]
                    continue
                if mode == 1:  # one child, wrapped in the rule's node
                    value_stack[-1] = Tree(name, [value_stack[-1]])
                    state_stack[-1] = states[state_stack[-2]][origin]
                    if kind == "$END" and state_stack[-1] == end_state:
                        return value_stack[-1]  # type: ignore[no-any-return]
                    continue
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                if include is not None:
                    kept: list[Any] = []
                    for index, expand, add_none in include:
                        if add_none:
                            kept += [None] * add_none
                        if expand:
                            if kept:
                                kept += children[index].children
                            else:
                                kept = children[index].children
                        else:
                            kept.append(children[index])
                    if append_none:
                        kept += [None] * append_none
                    children = kept
                node = children[0] if expand1 and len(children) == 1 else Tree(name, children)
                state_stack.append(states[state_stack[-1]][origin])
                value_stack.append(node)
                if kind == "$END" and state_stack[-1] == end_state:
                    return node  # type: ignore[no-any-return]
            last = item


def _unexpected_character(text: str, pos: int, line: int, column: int, tables: Tables) -> SyntaxProblem:
    """No terminal of the state's lexer matches: when one of the whole grammar does, that token is
    unexpected here (as Lark's contextual lexer reports it); else the character is."""
    root = tables.lexer(tables.root)
    for mre in root.mres:
        match = mre.match(text, pos)
        if match is not None:
            token = _new_token(match.lastgroup or "", match.group(0), line, column, line, column)
            return SyntaxProblem("token", line, column, token)
    return SyntaxProblem("character", line, column, pos=pos)
