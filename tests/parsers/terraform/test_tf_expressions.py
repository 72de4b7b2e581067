"""Expressions: conditionals, for expressions, splats, indexing, arithmetic and comparison."""

from __future__ import annotations

from iamready.model.value import Choice, Unknown

from .conftest import cause, document, local, notes, resource, statements, value


def test_conditionals_with_known_conditions(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "environment" {
              default = "prod"
            }
            variable "replicas" {
              default = 3
            }

            locals {
              is_prod   = var.environment == "prod"
              actions   = local.is_prod ? ["s3:GetObject"] : ["s3:*"]
              tier      = var.replicas > 2 ? "large" : "small"
              nested    = var.environment != "prod" ? "dev" : var.replicas >= 3 ? "ha" : "single"
              untaken   = true ? "ok" : local.undefined_is_never_read
            }
            """
        }
    )
    graph = tf.graph()
    assert local(graph, "is_prod") is True
    assert local(graph, "actions") == ["s3:GetObject"]
    assert local(graph, "tier") == "large"
    assert local(graph, "nested") == "ha"
    assert local(graph, "untaken") == "ok"


CONDITIONAL_POLICY = """
variable "admin" {
  type = bool
}

data "aws_iam_policy_document" "ops" {
  statement {
    sid       = "Ops"
    actions   = var.admin ? ["*"] : ["ec2:Describe*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "ops" {
  name   = "ops"
  policy = data.aws_iam_policy_document.ops.json
}

resource "aws_iam_policy" "switch" {
  name = "switch"
  policy = var.admin ? jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  }) : jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }]
  })
}
"""


def test_unknown_condition_is_a_choice_and_both_branches_reach_the_policy(tf) -> None:
    tf.write({"main.tf": CONDITIONAL_POLICY})
    graph = tf.graph()
    actions = value(graph, "data.aws_iam_policy_document.ops", "statement.actions")
    assert isinstance(actions, Choice)
    assert (actions.condition, actions.when_true, actions.when_false) == ("var.admin", ["*"], ["ec2:Describe*"])

    doc = document(graph, "aws_iam_policy.ops", "policy")
    (stmt,) = doc.statements
    # either branch may be deployed: the statement holds both, and says it depends on the condition
    assert stmt.action_patterns == ["*", "ec2:Describe*"]
    assert [(field, type(u).__name__) for field, u in stmt.unknowns] == [("Action", "Choice")]
    assert stmt.span.start_line == tf.line_of("main.tf", "statement {")

    switch = document(graph, "aws_iam_policy.switch", "policy")
    first = tf.line_of("main.tf", 'Action = "*"')
    second = tf.line_of("main.tf", 'Action = "s3:ListAllMyBuckets"')
    assert statements(switch) == [
        (None, "Allow", ["*"], ["*"], "main.tf", first, "when var.admin is true"),
        (None, "Allow", ["s3:ListAllMyBuckets"], ["*"], "main.tf", second, "when var.admin is false"),
    ]


def test_for_expressions(tf) -> None:
    tf.write(
        {
            "main.tf": """
            locals {
              buckets = {
                logs    = { versioned = true, region = "eu-west-1" }
                reports = { versioned = false, region = "eu-west-1" }
                archive = { versioned = true, region = "us-east-1" }
              }
              names       = [for name, cfg in local.buckets : name]
              versioned   = [for name, cfg in local.buckets : upper(name) if cfg.versioned]
              arns        = { for name, cfg in local.buckets : name => "arn:aws:s3:::${name}" }
              by_region   = { for name, cfg in local.buckets : cfg.region => name... }
              indexed     = [for i, v in ["a", "b"] : "${i}:${v}"]
              squares     = [for n in [1, 2, 3] : n * n if n != 2]
              flipped     = { for k, v in { a = "x", b = "y" } : v => k }
            }
            """
        }
    )
    graph = tf.graph()
    # maps iterate in key order, as in Terraform
    assert local(graph, "names") == ["archive", "logs", "reports"]
    assert local(graph, "versioned") == ["ARCHIVE", "LOGS"]
    assert local(graph, "arns") == {
        "archive": "arn:aws:s3:::archive",
        "logs": "arn:aws:s3:::logs",
        "reports": "arn:aws:s3:::reports",
    }
    assert local(graph, "by_region") == {"us-east-1": ["archive"], "eu-west-1": ["logs", "reports"]}
    assert local(graph, "indexed") == ["0:a", "1:b"]
    assert local(graph, "squares") == [1, 9]
    assert local(graph, "flipped") == {"x": "a", "y": "b"}


def test_for_expression_over_unknown_collection_is_unknown(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "principals" {}
            locals {
              arns = [for p in var.principals : "arn:aws:iam::111122223333:role/${p}"]
            }
            """
        }
    )
    graph = tf.graph()
    arns = local(graph, "arns")
    assert isinstance(arns, Unknown)
    assert arns.reason == "variable principals has no value (pass --var principals=... or a tfvars file)"


def test_duplicate_key_in_for_expression_is_a_note(tf) -> None:
    tf.write(
        {
            "main.tf": """
            locals {
              clash = { for v in ["a", "A"] : lower(v) => v }
            }
            """
        }
    )
    graph = tf.graph()
    assert isinstance(local(graph, "clash"), Unknown)
    assert notes(graph, "unresolved") == []  # said only where a rule needs the value
    assert cause(graph, "local.clash", "value") == (
        "main.tf",
        2,
        "local.clash: duplicate key 'a' in for expression",
        "correct the expression",
    )


SPLATS = """
variable "teams" {
  default = ["data", "web"]
}

resource "aws_iam_role" "team" {
  count = length(var.teams)
  name  = "team-${var.teams[count.index]}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_user" "dev" {
  for_each = toset(["alice", "bob"])
  name     = each.key
}

locals {
  role_names_attr = aws_iam_role.team.*.name
  role_names_full = aws_iam_role.team[*].name
  role_arns       = aws_iam_role.team[*].arn
  user_names      = values(aws_iam_user.dev)[*].name
  user_arns       = [for u in aws_iam_user.dev : u.arn]
  bob             = aws_iam_user.dev["bob"].name
  second_role     = aws_iam_role.team[1].name
  single          = local.scalar[*]
  nothing         = local.absent[*]
  scalar          = "one"
  absent          = null
  nested          = [{ tags = ["a", "b"] }, { tags = ["c"] }][*].tags[0]
}
"""


def test_splats_over_count_and_for_each_resources(tf) -> None:
    tf.write({"main.tf": SPLATS})
    graph = tf.graph()
    assert local(graph, "role_names_attr") == ["team-data", "team-web"]
    assert local(graph, "role_names_full") == ["team-data", "team-web"]
    assert local(graph, "role_arns") == [
        "arn:aws:iam::${AWS::AccountId}:role/team-data",
        "arn:aws:iam::${AWS::AccountId}:role/team-web",
    ]
    assert local(graph, "user_names") == ["alice", "bob"]
    assert local(graph, "user_arns") == [
        "arn:aws:iam::${AWS::AccountId}:user/alice",
        "arn:aws:iam::${AWS::AccountId}:user/bob",
    ]
    assert local(graph, "bob") == "bob"
    assert local(graph, "second_role") == "team-web"
    # a splat on a single value wraps it, on null gives an empty list
    assert local(graph, "single") == ["one"]
    assert local(graph, "nothing") == []
    assert local(graph, "nested") == ["a", "c"]
    # the symbolic ARN still says which role it belongs to
    arn = resource(graph, "local.role_arns").attrs["value"][1]
    assert arn.ref == (resource(graph, "aws_iam_role.team[1]").id, "arn")


def test_index_and_attribute_access(tf) -> None:
    tf.write(
        {
            "main.tf": """
            locals {
              config = {
                "prod" = { buckets = ["logs", "audit"], owner = { team = "platform" } }
              }
              first    = local.config["prod"].buckets[0]
              legacy   = local.config.prod.buckets.1
              team     = local.config.prod["owner"]["team"]
              missing  = local.config["dev"]
              fallback = try(local.config["dev"].buckets[0], "none")
            }
            """
        }
    )
    graph = tf.graph()
    assert local(graph, "first") == "logs"
    assert local(graph, "legacy") == "audit"
    assert local(graph, "team") == "platform"
    assert isinstance(local(graph, "missing"), Unknown)
    assert local(graph, "fallback") == "none"
    line = tf.line_of("main.tf", "missing  =")
    assert cause(graph, "local.missing", "value") == (
        "main.tf",
        line,
        "local.missing: key 'dev' not found",
        "correct the expression",
    )


def test_arithmetic_and_comparison(tf) -> None:
    tf.write(
        {
            "main.tf": """
            locals {
              sum       = 1 + 2 * 3
              grouped   = (1 + 2) * 3
              division  = 7 / 2
              whole     = 6 / 3
              modulo    = 7 % 3
              negative  = -5 + 2
              compare   = [1 < 2, 2 <= 2, 3 > 4, 4 >= 5, "a" == "a", 1 != 1]
              logic     = [true && false, true || false, !true]
              numeric   = "10" + 5
              mixed     = 1 == "1"
              precedence = 1 + 2 == 3 && !(2 > 3)
            }
            """
        }
    )
    graph = tf.graph()
    assert local(graph, "sum") == 7
    assert local(graph, "grouped") == 9
    assert local(graph, "division") == 3.5
    assert local(graph, "whole") == 2
    assert local(graph, "modulo") == 1
    assert local(graph, "negative") == -3
    assert local(graph, "compare") == [True, True, False, False, True, False]
    assert local(graph, "logic") == [False, True, False]
    assert local(graph, "numeric") == 15
    # Terraform compares values with their types: a number never equals a string
    assert local(graph, "mixed") is False
    assert local(graph, "precedence") is True


def test_operator_on_unknown_value_is_unknown(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "size" {}
            locals {
              double = var.size * 2
              big    = var.size > 10
            }
            """
        }
    )
    graph = tf.graph()
    reason = "variable size has no value (pass --var size=... or a tfvars file)"
    assert local(graph, "double") == Unknown(reason)
    assert local(graph, "big") == Unknown(reason)


def test_a_condition_on_null_is_named_in_hcl(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "boundary" {
              type    = string
              default = null
            }
            variable "override" {
              type = string
            }

            locals {
              boundary = var.override == null ? "none" : "custom"
            }
            """
        }
    )
    value = local(tf.graph(), "boundary")
    assert isinstance(value, Choice)
    assert value.condition == "var.override == null"
