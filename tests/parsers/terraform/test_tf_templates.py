"""Strings, templates and heredocs: interpolation, directives with strip markers, exact lines."""

from __future__ import annotations

from iamready.model.value import Choice, Unknown, cause_of

from .conftest import document, local, notes, resource, statements, value


def test_literals_and_interpolation(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "env" {
              default = "prod"
            }

            locals {
              text      = "plain"
              number    = 42
              fraction  = 1.5
              flag      = true
              nothing   = null
              joined    = "logs-${var.env}-${local.number}"
              escaped   = "literal $${var.env} and %%{ if }"
              unicode   = "caf\\u00e9\\ttab"
              only_expr = "${local.number}"
            }
            """
        }
    )
    graph = tf.graph()
    assert local(graph, "text") == "plain"
    assert local(graph, "number") == 42
    assert local(graph, "fraction") == 1.5
    assert local(graph, "flag") is True
    assert local(graph, "nothing") is None
    assert local(graph, "joined") == "logs-prod-42"
    assert local(graph, "escaped") == "literal ${var.env} and %{ if }"
    assert local(graph, "unicode") == "café\ttab"
    # a template that is a single interpolation keeps the value's type
    assert local(graph, "only_expr") == 42


HEREDOC_POLICY = """
variable "bucket" {
  default = "acme-reports"
}

resource "aws_iam_policy" "reports" {
  name   = "reports"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Action": ["s3:GetObject"],
      "Resource": "arn:aws:s3:::${var.bucket}/*"
    }
  ]
}
EOF
}

resource "aws_iam_policy" "indented" {
  name   = "indented"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "List",
          "Effect": "Allow",
          "Action": "s3:ListBucket",
          "Resource": "arn:aws:s3:::${var.bucket}"
        }
      ]
    }
  EOT
}
"""


def test_heredoc_policies_resolve_with_exact_lines(tf) -> None:
    tf.write({"main.tf": HEREDOC_POLICY})
    graph = tf.graph()
    read = document(graph, "aws_iam_policy.reports", "policy")
    read_line = tf.line_of("main.tf", '"Sid": "Read"') - 1
    assert statements(read) == [
        ("Read", "Allow", ["s3:GetObject"], ["arn:aws:s3:::acme-reports/*"], "main.tf", read_line)
    ]
    assert read.statements[0].span_of("Resource").start_line == tf.line_of("main.tf", '"Resource": "arn:aws:s3:::${')
    listing = document(graph, "aws_iam_policy.indented", "policy")
    list_line = tf.line_of("main.tf", '"Sid": "List"') - 1
    assert statements(listing) == [
        ("List", "Allow", ["s3:ListBucket"], ["arn:aws:s3:::acme-reports"], "main.tf", list_line)
    ]
    # <<- removes the indentation; the column is still the one in the file
    assert listing.statements[0].span.start_col == 9
    # the attribute ends on the closing marker's line, not the line after it
    span = resource(graph, "aws_iam_policy.indented").attr("policy").span
    assert (span.start_line, span.end_line) == (
        tf.line_of("main.tf", "policy = <<-EOT"),
        tf.line_of("main.tf", "  EOT"),
    )


DIRECTIVES = """
variable "readers" {
  type    = list(string)
  default = ["s3:GetObject", "s3:GetObjectVersion"]
}

variable "allow_delete" {
  type    = bool
  default = false
}

resource "aws_iam_policy" "templated" {
  name   = "templated"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        %{~ for action in var.readers ~}
        {
          "Sid": "${replace(action, ":", "")}",
          "Effect": "Allow",
          "Action": "${action}",
          "Resource": "arn:aws:s3:::reports/*"
        },
        %{~ endfor ~}
        %{~ if var.allow_delete ~}
        {
          "Sid": "Delete",
          "Effect": "Allow",
          "Action": "s3:DeleteObject",
          "Resource": "arn:aws:s3:::reports/*"
        },
        %{~ else ~}
        {
          "Sid": "DenyDelete",
          "Effect": "Deny",
          "Action": "s3:DeleteObject",
          "Resource": "arn:aws:s3:::reports/*"
        },
        %{~ endif ~}
        {
          "Sid": "List",
          "Effect": "Allow",
          "Action": "s3:ListBucket",
          "Resource": "arn:aws:s3:::reports"
        }
      ]
    }
  EOF
}
"""


def test_for_and_if_directives_with_strip_markers(tf) -> None:
    tf.write({"main.tf": DIRECTIVES})
    graph = tf.graph()
    text = value(graph, "aws_iam_policy.templated", "policy")
    # "~" removed the whitespace and newlines around each directive
    assert '"Statement": [{' in text
    assert '},{\n      "Sid": "DenyDelete"' in text
    doc = document(graph, "aws_iam_policy.templated", "policy")
    loop_line = tf.line_of("main.tf", "%{~ for action") + 1
    deny_line = tf.line_of("main.tf", '"Sid": "DenyDelete"') - 1
    list_line = tf.line_of("main.tf", '"Sid": "List"') - 1
    assert statements(doc) == [
        ("s3GetObject", "Allow", ["s3:GetObject"], ["arn:aws:s3:::reports/*"], "main.tf", loop_line),
        ("s3GetObjectVersion", "Allow", ["s3:GetObjectVersion"], ["arn:aws:s3:::reports/*"], "main.tf", loop_line),
        ("DenyDelete", "Deny", ["s3:DeleteObject"], ["arn:aws:s3:::reports/*"], "main.tf", deny_line),
        ("List", "Allow", ["s3:ListBucket"], ["arn:aws:s3:::reports"], "main.tf", list_line),
    ]
    # a field inside the loop body points at its own line in the file
    assert doc.statements[1].span_of("Action").start_line == tf.line_of("main.tf", '"Action": "${action}"')


def test_directives_in_a_quoted_string(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "names" {
              default = ["a", "b", "c"]
            }
            variable "prod" {
              default = true
            }
            locals {
              csv   = "%{ for n in var.names }${n},%{ endfor }"
              trim  = "%{ for i, n in var.names }${i}=${n} %{~ endfor }"
              stage = "%{ if var.prod }production%{ else }staging%{ endif }"
            }
            """
        }
    )
    graph = tf.graph()
    assert local(graph, "csv") == "a,b,c,"
    assert local(graph, "trim") == "0=a1=b2=c"
    assert local(graph, "stage") == "production"


BREAK_GLASS = """
variable "break_glass" {
  type = bool
}

resource "aws_iam_policy" "ops" {
  name   = "ops"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        %{~ if var.break_glass ~}
        {
          "Sid": "Everything",
          "Effect": "Allow",
          "Action": "*",
          "Resource": "*"
        },
        %{~ endif ~}
        {
          "Sid": "Describe",
          "Effect": "Allow",
          "Action": "ec2:Describe*",
          "Resource": "*"
        }
      ]
    }
  EOF
}
"""


def test_unknown_if_condition_renders_both_branches(tf) -> None:
    tf.write({"main.tf": BREAK_GLASS})
    graph = tf.graph()
    raw = value(graph, "aws_iam_policy.ops", "policy")
    assert isinstance(raw, Choice)
    assert raw.condition == "var.break_glass"
    doc = document(graph, "aws_iam_policy.ops", "policy")
    everything = tf.line_of("main.tf", '"Sid": "Everything"') - 1
    describe = tf.line_of("main.tf", '"Sid": "Describe"') - 1
    assert statements(doc) == [
        ("Everything", "Allow", ["*"], ["*"], "main.tf", everything, "when var.break_glass is true"),
        ("Describe", "Allow", ["ec2:Describe*"], ["*"], "main.tf", describe, "when var.break_glass is true"),
        ("Describe", "Allow", ["ec2:Describe*"], ["*"], "main.tf", describe, "when var.break_glass is false"),
    ]
    assert notes(graph) == []  # said only if a rule needs the value, at the variable, with the fix
    root = cause_of(raw)
    assert root is not None and root.span is not None
    assert (root.message, root.span.start_line, root.fix) == (
        "variable 'break_glass' has no value",
        tf.line_of("main.tf", 'variable "break_glass"'),
        "pass --var break_glass=... or a tfvars file",
    )


TABLE = """
variable "table_arn" {}

resource "aws_iam_policy" "table" {
  name   = "table"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["dynamodb:GetItem", "dynamodb:Query"],
      "Resource": "${var.table_arn}"
    },
    {
      "Effect": "Allow",
      "Action": "dynamodb:ListTables",
      "Resource": ${jsonencode(["*"])}
    }
  ]
}
EOF
}
"""


def test_unknown_interpolation_keeps_the_rest_of_the_policy(tf) -> None:
    tf.write({"main.tf": TABLE})
    graph = tf.graph()
    raw = value(graph, "aws_iam_policy.table", "policy")
    assert isinstance(raw, Unknown)
    doc = document(graph, "aws_iam_policy.table", "policy")
    assert doc.unknown is None
    first, second = doc.statements
    assert first.action_patterns == ["dynamodb:GetItem", "dynamodb:Query"]
    assert first.resource_patterns == []
    assert [(field, u.reason) for field, u in first.unknowns] == [
        ("Resource", "variable table_arn has no value (pass --var table_arn=... or a tfvars file)")
    ]
    assert first.span.start_line == tf.line_of("main.tf", '"Action": ["dynamodb:GetItem"') - 2
    assert first.span_of("Resource").start_line == tf.line_of("main.tf", '"Resource": "${var.table_arn}"')
    assert second.resource_patterns == ["*"]
    assert second.span.start_line == tf.line_of("main.tf", '"Action": "dynamodb:ListTables"') - 2


def test_interpolation_strip_markers(tf) -> None:
    tf.write(
        {
            "main.tf": """
            locals {
              names = ["a", "b"]
              text  = <<-EOT
                first
                ${~ join(",", local.names) ~}
                last
              EOT
            }
            """
        }
    )
    graph = tf.graph()
    assert local(graph, "text") == "firsta,blast\n"


def test_unbalanced_directive_is_a_located_parse_error(tf) -> None:
    tf.write(
        {
            "main.tf": """
            resource "aws_iam_policy" "broken" {
              name   = "broken"
              policy = <<EOF
            {"Statement": [%{ for x in [1] }{}%{ endif }]}
            EOF
            }
            """,
            "other.tf": """
            resource "aws_iam_policy" "fine" {
              name   = "fine"
              policy = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            """,
        }
    )
    graph = tf.graph()
    assert [n for n in notes(graph, "parse-error")] == [("main.tf", 4, "invalid HCL: unexpected %{endif} in template")]
    # the other file of the module is still scanned
    assert value(graph, "aws_iam_policy.fine", "name") == "fine"


def test_a_heredoc_ended_by_its_marker_and_trailing_blanks_is_read_as_terraform_reads_it(tf) -> None:
    # Terraform trims the closing line: "POLICY3  " ends the heredoc (an editor left the blanks)
    graph = tf.write(
        {
            "main.tf": """
            resource "aws_cloudwatch_log_resource_policy" "api_logs" {
              policy_name     = "api-logs"
              policy_document = <<POLICY3
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Principal": { "Service": "apigateway.amazonaws.com" },
                  "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                  "Resource": "*"
                }
              ]
            }
            POLICY3\x20\x20
            }

            resource "aws_iam_role" "api" {
              name               = "api"
              assume_role_policy = <<-EOT
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                  "Principal": {"Service": "apigateway.amazonaws.com"}}]}
                EOT\t
            }
            """
        }
    ).graph()
    assert notes(graph) == []
    [statement] = statements(document(graph, "aws_cloudwatch_log_resource_policy.api_logs"))
    assert statement[1:6] == ("Allow", ["logs:CreateLogStream", "logs:PutLogEvents"], ["*"], "main.tf", 7)
    assert statements(document(graph, "aws_iam_role.api"))[0][1] == "Allow"
