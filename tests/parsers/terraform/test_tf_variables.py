"""Variables: defaults, tfvars files in Terraform's precedence order, --var-file, --var, types."""

from __future__ import annotations

from iamready.model.value import Unknown

from .conftest import cause, local, notes, resource, value

DECLARATIONS = """
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "f" { default = "default" }
variable "g" { default = "default" }
variable "untouched" { default = "default" }

locals {
  all = [var.a, var.b, var.c, var.d, var.e, var.f, var.g, var.untouched]
}
"""


def test_variable_files_apply_in_terraforms_order(tf) -> None:
    tf.write(
        {
            "variables.tf": DECLARATIONS,
            "terraform.tfvars": """
            a = "terraform.tfvars"
            b = "terraform.tfvars"
            c = "terraform.tfvars"
            d = "terraform.tfvars"
            e = "terraform.tfvars"
            f = "terraform.tfvars"
            g = "terraform.tfvars"
            """,
            "terraform.tfvars.json": """
            {"b": "terraform.tfvars.json", "c": "terraform.tfvars.json", "d": "terraform.tfvars.json",
             "e": "terraform.tfvars.json", "f": "terraform.tfvars.json", "g": "terraform.tfvars.json"}
            """,
            # *.auto.tfvars and *.auto.tfvars.json together, in lexical order of their names
            "a.auto.tfvars": """
            c = "a.auto.tfvars"
            d = "a.auto.tfvars"
            e = "a.auto.tfvars"
            f = "a.auto.tfvars"
            g = "a.auto.tfvars"
            """,
            "b.auto.tfvars.json": """
            {"d": "b.auto.tfvars.json", "e": "b.auto.tfvars.json", "f": "b.auto.tfvars.json",
             "g": "b.auto.tfvars.json"}
            """,
            "env/prod.tfvars": """
            e = "prod.tfvars"
            f = "prod.tfvars"
            g = "prod.tfvars"
            """,
            "env/override.tfvars": """
            f = "override.tfvars"
            g = "override.tfvars"
            """,
        }
    )
    graph = tf.graph(
        var_files=["env/prod.tfvars", "env/override.tfvars"],
        variables={"g": "command line"},
        paths=["."],
    )
    assert local(graph, "all") == [
        "terraform.tfvars",
        "terraform.tfvars.json",
        "a.auto.tfvars",
        "b.auto.tfvars.json",
        "prod.tfvars",
        "override.tfvars",
        "command line",
        "default",
    ]


def test_tfvars_values_are_expressions_with_their_own_lines(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "admins" {
              type = list(string)
            }
            variable "tags" {
              type = map(string)
            }
            locals {
              admins = var.admins
              tags   = var.tags
            }
            """,
            "terraform.tfvars": """
            admins = [
              "alice",
              "bob",
            ]
            tags = { team = "platform", cost_center = "${1000 + 234}" }
            """,
        }
    )
    graph = tf.graph()
    node = resource(graph, "terraform.tfvars")
    assert node.type == "tfvars"
    assert node.attr("admins").raw.span_of(1).start_line == 3
    assert node.attr("tags").span.start_line == 5
    assert local(graph, "admins") == ["alice", "bob"]
    # map(string) converts the number the template produced
    assert local(graph, "tags") == {"team": "platform", "cost_center": "1234"}


def test_tfvars_value_reaches_the_policy(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "actions" {
              type    = list(string)
              default = ["s3:GetObject"]
            }

            resource "aws_iam_policy" "app" {
              name = "app"
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
              })
            }
            """,
            "terraform.tfvars": """
            actions = ["s3:*", "kms:Decrypt"]
            """,
        }
    )
    graph = tf.graph()
    (doc,) = [d for d in graph.policies if d.holder.address == "aws_iam_policy.app"]
    (stmt,) = doc.statements
    assert stmt.action_patterns == ["s3:*", "kms:Decrypt"]
    # the statement is where it is written; the list of actions is where its value was written
    assert stmt.span.start_line == 10
    assert stmt.span_of("Action").start_line == 10
    assert resource(graph, "var.actions").address == "var.actions"
    tfvars_value = resource(graph, "terraform.tfvars").attr("actions").raw
    assert (tfvars_value.span.path, tfvars_value.span.start_line) == (tf.path("terraform.tfvars"), 1)


def test_var_on_the_command_line_is_parsed_like_terraform(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "untyped" {}
            variable "text" {
              type = string
            }
            variable "count" {
              type = number
            }
            variable "enabled" {
              type = bool
            }
            variable "actions" {
              type = list(string)
            }
            variable "tags" {
              type = map(string)
            }
            variable "anything" {
              type = any
            }
            variable "broken" {
              type = list(string)
            }

            locals {
              values = {
                untyped  = var.untyped
                text     = var.text
                count    = var.count
                enabled  = var.enabled
                actions  = var.actions
                tags     = var.tags
                anything = var.anything
              }
              broken = var.broken
            }
            """
        }
    )
    graph = tf.graph(
        variables={
            "untyped": "[1, 2]",
            "text": "007",
            "count": "3",
            "enabled": "true",
            "actions": '["s3:GetObject", "s3:PutObject"]',
            "tags": '{ team = "platform", "cost-center" = "1234" }',
            "anything": "{ list = [1, 2], flag = true }",
            "broken": "[unterminated",
        }
    )
    assert local(graph, "values") == {
        # untyped and primitive variables take the text as it is
        "untyped": "[1, 2]",
        "text": "007",
        "count": 3,
        "enabled": True,
        # anything else is an HCL expression (object syntax, not only JSON)
        "actions": ["s3:GetObject", "s3:PutObject"],
        "tags": {"team": "platform", "cost-center": "1234"},
        "anything": {"list": [1, 2], "flag": True},
    }
    assert isinstance(local(graph, "broken"), Unknown)
    broken_line = tf.line_of("main.tf", 'variable "broken"')
    assert ("main.tf", broken_line, "--var broken: the value is not a valid expression; it is not used") in notes(graph)


def test_types_convert_values_and_fill_optional_defaults(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "grant" {
              type = object({
                sid       = string
                actions   = list(string)
                resources = optional(list(string), ["*"])
                effect    = optional(string, "Allow")
                note      = optional(string)
              })
              default = {
                sid     = 7
                actions = ["s3:GetObject"]
              }
            }

            variable "readers" {
              type    = set(string)
              default = ["carol", "alice", "bob", "alice"]
            }

            variable "limit" {
              type    = number
              default = "25"
            }

            resource "aws_iam_policy" "grant" {
              name = "grant"
              policy = jsonencode({
                Version = "2012-10-17"
                Statement = [{
                  Sid      = "S${var.grant.sid}"
                  Effect   = var.grant.effect
                  Action   = var.grant.actions
                  Resource = var.grant.resources
                }]
              })
            }

            locals {
              grant   = var.grant
              readers = var.readers
              limit   = var.limit + 1
            }
            """
        }
    )
    graph = tf.graph()
    assert local(graph, "grant") == {
        "sid": "7",
        "actions": ["s3:GetObject"],
        "resources": ["*"],
        "effect": "Allow",
        "note": None,
    }
    assert local(graph, "readers") == ["alice", "bob", "carol"]
    assert local(graph, "limit") == 26
    (doc,) = [d for d in graph.policies if d.holder.address == "aws_iam_policy.grant"]
    (stmt,) = doc.statements
    assert (stmt.sid, stmt.effect, stmt.action_patterns, stmt.resource_patterns) == (
        "S7",
        "Allow",
        ["s3:GetObject"],
        ["*"],
    )
    assert stmt.span_of("Resource").start_line == tf.line_of("main.tf", "Resource = var.grant.resources")
    # the wildcard came from the optional attribute's default: that is where the list was written
    resources = resource(graph, "local.grant").attrs["value"]["resources"]
    assert resources.span.start_line == tf.line_of("main.tf", 'optional(list(string), ["*"])')


def test_variable_without_value_is_unknown_with_a_note(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "bucket" {
              type = string
            }

            resource "aws_s3_bucket" "logs" {
              bucket = var.bucket
            }
            """
        }
    )
    graph = tf.graph()
    bucket = value(graph, "aws_s3_bucket.logs", "bucket")
    assert bucket == Unknown("variable bucket has no value (pass --var bucket=... or a tfvars file)")
    # said by the engine once, and only if a rule needs it: the unknown carries its root cause
    assert notes(graph, "unresolved") == []
    assert cause(graph, "aws_s3_bucket.logs", "bucket") == (
        "main.tf",
        1,
        "variable 'bucket' has no value",
        "pass --var bucket=... or a tfvars file",
    )


def test_variable_defaults_that_refer_to_each_other_are_a_cycle_note(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "first" {
              default = var.second
            }
            variable "second" {
              default = var.first
            }
            locals {
              ok    = "still evaluated"
              cycle = var.first
            }
            """
        }
    )
    graph = tf.graph()
    assert local(graph, "ok") == "still evaluated"
    assert isinstance(local(graph, "cycle"), Unknown)
    cycle_notes = [n for n in notes(graph) if "cycle" in n[2]]
    assert cycle_notes == [
        ("main.tf", 2, "reference cycle: var.second -> var.first -> var.second; its value is unknown")
    ]
