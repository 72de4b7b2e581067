"""Functions used in IAM and S3 code: each one evaluated like Terraform; anything else is unknown."""

from __future__ import annotations

import json
import os

import pytest

from iamready.model.value import Unknown

from .conftest import cause, document, local, notes, statements

CASES = [
    # encoding
    ('jsonencode({ b = 1, a = [true, null, "x"] })', '{"a":[true,null,"x"],"b":1}'),
    ('jsonencode("<a & b>")', '"\\u003ca \\u0026 b\\u003e"'),
    ('jsonencode("café")', '"café"'),
    ('jsondecode("{\\"Action\\": [\\"s3:GetObject\\"], \\"n\\": 1.5}")', {"Action": ["s3:GetObject"], "n": 1.5}),
    # collections
    ("merge({ a = 1, b = 2 }, { b = 3 }, { c = 4 })", {"a": 1, "b": 3, "c": 4}),
    (
        'concat(["s3:GetObject"], ["s3:PutObject", "s3:DeleteObject"])',
        ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    ),
    ('flatten([["a", ["b"]], [], "c"])', ["a", "b", "c"]),
    ('distinct(["a", "b", "a", "c", "b"])', ["a", "b", "c"]),
    ('compact(["a", "", null, "b"])', ["a", "b"]),
    ('lookup({ prod = "p", dev = "d" }, "prod", "x")', "p"),
    ('lookup({ prod = "p" }, "test", "fallback")', "fallback"),
    ('element(["a", "b", "c"], 1)', "b"),
    ('element(["a", "b", "c"], 4)', "b"),
    ('coalesce("", null, "first", "second")', "first"),
    ('tolist(["b", "a"])', ["b", "a"]),
    ('toset(["b", "a", "b"])', ["a", "b"]),
    ('tomap({ a = "1", b = "2" })', {"a": "1", "b": "2"}),
    ('length(["a", "b", "c"])', 3),
    ("length({ a = 1 })", 1),
    ('length("héllo")', 5),
    ("keys({ b = 1, a = 2 })", ["a", "b"]),
    ("values({ b = 1, a = 2 })", [2, 1]),
    ('contains(["s3:GetObject", "s3:PutObject"], "s3:PutObject")', True),
    ('contains(["s3:GetObject"], "s3:*")', False),
    # strings
    ('format("arn:aws:s3:::%s/%s", "logs", "*")', "arn:aws:s3:::logs/*"),
    ('format("%03d|%-4s|%5.2f|%q|%t|%%", 7, "ab", 3.14159, "q", true)', '007|ab  | 3.14|"q"|true|%'),
    ('formatlist("arn:aws:s3:::%s/*", ["logs", "audit"])', ["arn:aws:s3:::logs/*", "arn:aws:s3:::audit/*"]),
    ('formatlist("%s:%s", ["a", "b"], "x")', ["a:x", "b:x"]),
    ('join(",", ["a", "b"], ["c"])', "a,b,c"),
    ('split(",", "a,b,,c")', ["a", "b", "", "c"]),
    ('replace("logs-prod-eu", "-", "_")', "logs_prod_eu"),
    ('replace("arn:aws:s3:::logs", "/^arn:aws:s3:::(.*)$/", "bucket $1")', "bucket logs"),
    ('lower("S3:GetObject")', "s3:getobject"),
    ('upper("eu-west-1")', "EU-WEST-1"),
    ('trimspace("  s3:*\\n")', "s3:*"),
    ("tostring(42)", "42"),
    ('sensitive("s3:GetObject")', "s3:GetObject"),
    ('nonsensitive(["s3:GetObject"])', ["s3:GetObject"]),
    ('base64encode("#!/bin/bash\necho hi")', "IyEvYmluL2Jhc2gKZWNobyBoaQ=="),
    ('base64decode("czM6R2V0T2JqZWN0")', "s3:GetObject"),
    ("tostring(true)", "true"),
    # error handling
    ('try(local.settings.missing, "default")', "default"),
    ('try(local.settings.name, "default")', "app"),
    ("can(local.settings.missing)", False),
    ("can(local.settings.name)", True),
]


@pytest.mark.parametrize(
    ("expression", "expected"), CASES, ids=[c[0].split("(")[0] + f"-{i}" for i, c in enumerate(CASES)]
)
def test_function(tf, expression: str, expected: object) -> None:
    tf.write(
        {
            "main.tf": f"""
            locals {{
              settings = {{ name = "app" }}
              result   = {expression}
            }}
            """
        }
    )
    graph = tf.graph()
    assert local(graph, "result") == expected
    assert notes(graph) == []


def test_jsonencode_keeps_where_each_statement_was_written(tf) -> None:
    tf.write(
        {
            "main.tf": """
            resource "aws_iam_policy" "app" {
              name = "app"
              policy = jsonencode({
                Version = "2012-10-17"
                Statement = [
                  {
                    Sid      = "Read"
                    Effect   = "Allow"
                    Action   = ["s3:GetObject"]
                    Resource = "arn:aws:s3:::reports/*"
                  },
                ]
              })
            }
            """
        }
    )
    graph = tf.graph()
    doc = document(graph, "aws_iam_policy.app", "policy")
    assert statements(doc) == [("Read", "Allow", ["s3:GetObject"], ["arn:aws:s3:::reports/*"], "main.tf", 6)]
    assert doc.statements[0].span_of("Action").start_line == 9


def test_jsondecode_of_a_heredoc_keeps_source_lines(tf) -> None:
    tf.write(
        {
            "main.tf": """
            locals {
              base = jsondecode(<<-EOF
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}
                  ]
                }
              EOF
              )
            }

            resource "aws_iam_policy" "decoded" {
              name   = "decoded"
              policy = jsonencode(merge(local.base, { Id = "decoded" }))
            }
            """
        }
    )
    graph = tf.graph()
    doc = document(graph, "aws_iam_policy.decoded", "policy")
    assert statements(doc) == [(None, "Allow", ["s3:ListBucket"], ["*"], "main.tf", 6)]


def test_file_and_templatefile_read_inside_the_scanned_tree(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "buckets" {
              default = ["logs", "audit"]
            }

            resource "aws_iam_policy" "static" {
              name   = "static"
              policy = file("${path.module}/policies/static.json")
            }

            resource "aws_iam_policy" "templated" {
              name   = "templated"
              policy = templatefile("${path.module}/policies/buckets.json.tpl", {
                buckets = var.buckets
                admin   = false
              })
            }
            """,
            "policies/static.json": """
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "Static", "Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}
              ]
            }
            """,
            "policies/buckets.json.tpl": """
            {
              "Version": "2012-10-17",
              "Statement": [
                %{~ for bucket in buckets ~}
                {
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::${bucket}/*"
                },
                %{~ endfor ~}
                {
                  "Sid": "${admin ? "Admin" : "List"}",
                  "Effect": "Allow",
                  "Action": "s3:ListAllMyBuckets",
                  "Resource": "*"
                }
              ]
            }
            """,
        }
    )
    graph = tf.graph()
    static = document(graph, "aws_iam_policy.static", "policy")
    assert statements(static) == [("Static", "Allow", ["sts:GetCallerIdentity"], ["*"], "static.json", 4)]
    templated = document(graph, "aws_iam_policy.templated", "policy")
    assert statements(templated) == [
        (None, "Allow", ["s3:GetObject"], ["arn:aws:s3:::logs/*"], "buckets.json.tpl", 5),
        (None, "Allow", ["s3:GetObject"], ["arn:aws:s3:::audit/*"], "buckets.json.tpl", 5),
        ("List", "Allow", ["s3:ListAllMyBuckets"], ["*"], "buckets.json.tpl", 11),
    ]
    assert templated.statements[1].span_of("Resource").start_line == 8
    assert notes(graph) == []


def test_file_outside_the_scanned_tree_is_unknown_with_a_note(tmp_path) -> None:
    from .conftest import TfProject

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text('{"Statement": []}', encoding="utf-8")
    project = TfProject(tmp_path / "project")
    project.write(
        {
            "main.tf": """
            resource "aws_iam_policy" "escape" {
              name   = "escape"
              policy = file("../outside/secret.json")
            }

            resource "aws_iam_policy" "linked" {
              name   = "linked"
              policy = file("${path.module}/link.json")
            }
            """
        }
    )
    os.symlink(outside / "secret.json", project.root / "link.json")
    graph = project.graph()
    escape = document(graph, "aws_iam_policy.escape", "policy")
    assert escape.unknown == Unknown("file('../outside/secret.json') is outside the repository being scanned")
    linked = document(graph, "aws_iam_policy.linked", "policy")
    assert linked.unknown == Unknown("file('./link.json') is outside the repository being scanned")
    assert [n for n in notes(graph) if "outside" in n[2] and n[0] == "main.tf"] == [
        ("main.tf", 3, "file('../outside/secret.json') points outside the repository being scanned and is not read"),
        ("main.tf", 8, "file('./link.json') points outside the repository being scanned and is not read"),
    ]


def test_unsupported_function_is_unknown_with_a_note(tf) -> None:
    tf.write(
        {
            "main.tf": """
            locals {
              digest  = textencodebase64("policy", "UTF-16LE")
              derived = "${local.digest}-suffix"
              fine    = upper("still evaluated")
            }
            """
        }
    )
    graph = tf.graph()
    reason = "function textencodebase64() is not evaluated by iamready"
    assert local(graph, "digest") == Unknown(reason)
    assert local(graph, "derived") == Unknown(reason)
    assert local(graph, "fine") == "STILL EVALUATED"
    assert notes(graph) == []  # said only where a rule needs such a value, with what it decides
    for name in ("digest", "derived"):
        assert cause(graph, f"local.{name}", "value") == (
            "main.tf",
            2,
            "function textencodebase64() is not evaluated by iamready",
            "scan a plan, where it is known (terraform show -json tfplan > tfplan.json && iamready scan tfplan.json)",
        )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('element(["a"], "x")', "element(): "),
        ("min()", "min(): "),
        ('lookup({ a = 1 }, "b")', "lookup(): key 'b' not found and no default"),
        ('jsondecode("{not json")', "jsondecode(): invalid JSON: "),
        ('merge("text")', "merge() needs objects, not string"),
        ('coalesce(null, "")', "coalesce(): no non-null argument"),
    ],
)
def test_function_errors_are_unknown_with_a_note(tf, expression: str, message: str) -> None:
    tf.write(
        {
            "main.tf": f"""
            locals {{
              bad  = {expression}
              good = "evaluated"
            }}
            """
        }
    )
    graph = tf.graph()
    assert isinstance(local(graph, "bad"), Unknown)
    assert local(graph, "good") == "evaluated"
    assert notes(graph) == []
    found = cause(graph, "local.bad", "value")
    assert found is not None
    assert found[:2] == ("main.tf", 2)
    assert found[2].startswith(f"local.bad: {message}")


def test_jsonencode_output_is_valid_json_for_every_case() -> None:
    # the expected encodings above are what Terraform prints; they must also be JSON
    for expression, expected in CASES:
        if expression.startswith("jsonencode") and isinstance(expected, str):
            json.loads(expected)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            'replace("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "/(a+)+$/", "")',
            "replace(): pattern with nested repetition",
        ),
        ('format("%0999999999d", 1)', "format(): width or precision larger than 10000"),
    ],
)
def test_hostile_arguments_are_refused_quickly(tf, expression: str, message: str) -> None:
    tf.write({"main.tf": f"locals {{\n  bad = {expression}\n}}\n"})
    graph = tf.graph()
    assert isinstance(local(graph, "bad"), Unknown)
    # a safety limit is said where it refuses a value, whether a rule needs the value or not
    assert [n[2] for n in notes(graph)] == [
        f"local.bad: {message}" + ("" if "replace" not in message else " is not evaluated by iamready")
    ]


def test_one_expensive_value_does_not_starve_the_scan(tf) -> None:
    import time

    tf.write(
        {
            "main.tf": """
            locals {
              explosion = [for i in range(100000) : [for j in range(100000) : j]]
              after     = "still evaluated"
            }
            """
        }
    )
    started = time.perf_counter()
    graph = tf.graph()
    assert time.perf_counter() - started < 20
    assert isinstance(local(graph, "explosion"), Unknown)
    assert local(graph, "after") == "still evaluated"
    assert notes(graph) == [
        ("main.tf", 2, "local.explosion: evaluation takes more than 500000 steps; its value is unknown")
    ]


def test_an_internal_error_is_a_note_and_the_scan_goes_on(tf, monkeypatch) -> None:
    from iamready.parsers.terraform import functions

    def broken(args, scope, sp):
        raise RuntimeError("simulated bug")

    monkeypatch.setitem(functions.FUNCTIONS, "upper", broken)
    tf.write({"main.tf": 'locals {\n  bad  = upper("x")\n  good = lower("Y")\n}\n'})
    graph = tf.graph()
    assert local(graph, "good") == "y"
    assert isinstance(local(graph, "bad"), Unknown)
    assert [(n.kind, n.span.start_line, n.message) for n in graph.notifications] == [
        (
            "internal-error",
            2,
            "local.bad: internal error while evaluating (RuntimeError: simulated bug); the value is unknown",
        )
    ]
