"""Our token pass for line continuations behaves exactly like python-hcl2's post-lexer (parsing no longer
imports the python-hcl2 package): same operator set, same token stream, same parse."""

from __future__ import annotations

import random

from lark import Token

from iamready.parsers.terraform import hcl

TYPES = ["NL_OR_COMMENT", "NAME", "EQ", "MINUS", "PLUS", "QMARK", "COLON", "DOUBLE_AMP", "LPAR", "INT_LITERAL"]


def test_the_operator_set_is_python_hcl2s() -> None:
    from hcl2.postlexer import OPERATOR_TYPES

    assert hcl.CONTINUATION_OPERATORS == OPERATOR_TYPES


def stream(rng: random.Random) -> list[Token]:
    out = []
    line = 1
    for _ in range(rng.randint(0, 12)):
        kind = rng.choice(TYPES)
        value = "\n  # note\n" if kind == "NL_OR_COMMENT" else {"PLUS": "+", "MINUS": "-", "QMARK": "?"}.get(kind, "x")
        out.append(Token(kind, value, line=line, column=1))
        line += 1
    return out


def test_the_same_token_stream_as_python_hcl2() -> None:
    from hcl2.postlexer import PostLexer

    rng = random.Random(7)
    for _ in range(2000):
        tokens = stream(rng)
        theirs = [(t.type, str(t), t.line) for t in PostLexer().process(iter(tokens))]
        ours = [(t.type, str(t), t.line) for t in hcl._LineContinuations().process(iter(tokens))]
        assert ours == theirs, tokens


def test_expressions_continue_on_the_next_line() -> None:
    body, _ = hcl.parse('a = 1\n  + 2\nb = var.x\n  ? "y"\n  : "z"\nc = 3\nd = -1\n')
    assert body == (
        ("A", (1, 1, 2, 6), "a", ("bin", (1, 5, 2, 6), "+", ("lit", (1, 5, 1, 6), 1), ("lit", (2, 5, 2, 6), 2))),
        (
            "A",
            (3, 1, 5, 8),
            "b",
            (
                "cond",
                (3, 5, 5, 8),
                ("attr", (3, 5, 3, 10), ("ref", (3, 5, 3, 8), "var"), "x"),
                ("tmpl", (4, 5, 4, 8), ("y",)),
                ("tmpl", (5, 5, 5, 8), ("z",)),
            ),
        ),
        ("A", (6, 1, 6, 6), "c", ("lit", (6, 5, 6, 6), 3)),
        ("A", (7, 1, 7, 7), "d", ("un", (7, 5, 7, 7), "-", ("lit", (7, 6, 7, 7), 1))),  # a new statement
    )
