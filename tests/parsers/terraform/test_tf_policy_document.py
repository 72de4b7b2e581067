"""``data "aws_iam_policy_document"`` rendered like the AWS provider, merged in the provider's order.

The expected JSON and merge results follow the provider's source (data source read function and
policy model merge): source_json, source_policy_documents in order, own statements,
override_policy_documents in order, override_json; a non-empty Sid replaces in place.
"""

from __future__ import annotations

import json

from iamready.model.value import Unknown, cause_of

from .conftest import document, notes, resource, statements, value

FULL = """
data "aws_iam_policy_document" "full" {
  policy_id = "bucket-access"

  statement {
    sid         = "Readers"
    effect      = "Allow"
    actions     = ["s3:GetObject", "s3:ListBucket", "s3:GetObject"]
    resources   = ["arn:aws:s3:::reports/home/&{aws:username}/*", "arn:aws:s3:::reports"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:role/reader", "arn:aws:iam::444455556666:role/auditor"]
    }

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abc123"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-def456"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }

  statement {
    effect        = "Deny"
    not_actions   = ["s3:GetObject"]
    not_resources = ["arn:aws:s3:::reports/*"]

    not_principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/admin"]
    }
  }

  statement {
    sid       = "Public"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::public/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = "reports"
  policy = data.aws_iam_policy_document.full.json
}
"""


def test_rendered_json_matches_the_provider(tf) -> None:
    tf.write({"main.tf": FULL})
    graph = tf.graph()
    text = value(graph, "aws_s3_bucket_policy.reports", "policy")
    assert json.loads(text) == {
        "Version": "2012-10-17",
        "Id": "bucket-access",
        "Statement": [
            {
                "Sid": "Readers",
                "Effect": "Allow",
                # a set: duplicates removed, several values sorted in reverse order
                "Action": ["s3:ListBucket", "s3:GetObject"],
                # &{...} is how HCL writes an IAM policy variable
                "Resource": ["arn:aws:s3:::reports/home/${aws:username}/*", "arn:aws:s3:::reports"],
                "Principal": {
                    "AWS": [
                        "arn:aws:iam::111122223333:root",
                        "arn:aws:iam::444455556666:role/reader",
                        "arn:aws:iam::444455556666:role/auditor",
                    ],
                    "Service": "cloudtrail.amazonaws.com",
                },
                "Condition": {
                    "Bool": {"aws:SecureTransport": "true"},
                    "StringEquals": {"aws:PrincipalOrgID": ["o-abc123", "o-def456"]},
                },
            },
            {
                "Effect": "Deny",
                "NotAction": "s3:GetObject",
                "NotResource": "arn:aws:s3:::reports/*",
                "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/admin"},
            },
            {
                "Sid": "Public",
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::public/*",
                "Principal": "*",
            },
        ],
    }
    # the provider writes the json attribute indented by two spaces, fields in this order
    assert text.startswith('{\n  "Version": "2012-10-17",\n  "Id": "bucket-access",\n  "Statement": [\n    {\n')
    assert list(json.loads(text)["Statement"][0]) == ["Sid", "Effect", "Action", "Resource", "Principal", "Condition"]


def test_rendered_statements_reach_the_policy_model_with_block_lines(tf) -> None:
    tf.write({"main.tf": FULL})
    graph = tf.graph()
    doc = document(graph, "aws_s3_bucket_policy.reports", "policy")
    blocks = [i for i, line in enumerate(FULL.lstrip("\n").splitlines(), start=1) if line.strip() == "statement {"]
    assert statements(doc) == [
        (
            "Readers",
            "Allow",
            ["s3:ListBucket", "s3:GetObject"],
            ["arn:aws:s3:::reports/home/${aws:username}/*", "arn:aws:s3:::reports"],
            "main.tf",
            blocks[0],
        ),
        (None, "Deny", ["s3:GetObject"], [], "main.tf", blocks[1]),
        ("Public", "Allow", ["s3:GetObject"], ["arn:aws:s3:::public/*"], "main.tf", blocks[2]),
    ]
    readers, deny, public = doc.statements
    assert readers.principal.aws == [
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::444455556666:role/reader",
        "arn:aws:iam::444455556666:role/auditor",
    ]
    assert readers.principal.services == ["cloudtrail.amazonaws.com"]
    assert [(c.operator, c.key, c.values) for c in readers.conditions] == [
        ("Bool", "aws:SecureTransport", ["true"]),
        ("StringEquals", "aws:PrincipalOrgID", ["o-abc123", "o-def456"]),
    ]
    assert readers.span_of("Action").start_line == tf.line_of("main.tf", 'actions     = ["s3:GetObject"')
    assert deny.not_principal.aws == ["arn:aws:iam::111122223333:role/admin"]
    assert deny.not_resources == ["arn:aws:s3:::reports/*"]
    assert public.principal.wildcard is True
    # the bucket policy is linked to the bucket it names
    assert doc.kind == "resource"


MERGING = """
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "ReadLogs"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::logs/*"]
  }

  statement {
    sid       = "ListAll"
    actions   = ["s3:ListAllMyBuckets"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "kms" {
  statement {
    sid       = "Kms"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "combined" {
  source_policy_documents = [
    data.aws_iam_policy_document.base.json,
    data.aws_iam_policy_document.kms.json,
  ]

  statement {
    sid       = "ListAll"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::logs"]
  }

  statement {
    actions   = ["sts:GetCallerIdentity"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "deny_kms" {
  statement {
    sid       = "Kms"
    effect    = "Deny"
    actions   = ["kms:*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "final" {
  source_policy_documents   = [data.aws_iam_policy_document.combined.json]
  override_policy_documents = [data.aws_iam_policy_document.deny_kms.json]

  statement {
    sid       = "Own"
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "final" {
  name   = "final"
  policy = data.aws_iam_policy_document.final.json
}
"""


def test_source_and_override_documents_merge_by_sid(tf) -> None:
    tf.write({"main.tf": MERGING})
    graph = tf.graph()
    doc = document(graph, "aws_iam_policy.final", "policy")
    line = lambda sid: tf.line_of("main.tf", f'sid       = "{sid}"') - 1  # noqa: E731
    assert statements(doc) == [
        ("ReadLogs", "Allow", ["s3:GetObject"], ["arn:aws:s3:::logs/*"], "main.tf", line("ReadLogs")),
        # the own statement "ListAll" of "combined" replaced the source's in place
        (
            "ListAll",
            "Allow",
            ["s3:ListBucket"],
            ["arn:aws:s3:::logs"],
            "main.tf",
            tf.line_of("main.tf", 'sid       = "ListAll"', 2) - 1,
        ),
        # the override's "Kms" replaced the source's in place
        ("Kms", "Deny", ["kms:*"], ["*"], "main.tf", tf.line_of("main.tf", 'sid       = "Kms"', 2) - 1),
        # a statement without Sid is appended
        (
            None,
            "Allow",
            ["sts:GetCallerIdentity"],
            ["*"],
            "main.tf",
            tf.line_of("main.tf", '"sts:GetCallerIdentity"') - 1,
        ),
        ("Own", "Allow", ["logs:PutLogEvents"], ["*"], "main.tf", line("Own")),
    ]
    assert notes(graph) == []


LEGACY = """
data "aws_iam_policy_document" "a" {
  statement {
    sid       = "Start"
    actions   = ["s3:ListBucket"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "b" {
  statement {
    sid       = "Objects"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "c" {
  statement {
    sid       = "Objects"
    effect    = "Deny"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "legacy" {
  source_json               = data.aws_iam_policy_document.a.json
  override_json             = data.aws_iam_policy_document.c.json
  override_policy_documents = [data.aws_iam_policy_document.b.json]
}

resource "aws_iam_policy" "legacy" {
  name   = "legacy"
  policy = data.aws_iam_policy_document.legacy.json
}
"""


def test_override_json_is_merged_after_override_policy_documents(tf) -> None:
    tf.write({"main.tf": LEGACY})
    graph = tf.graph()
    doc = document(graph, "aws_iam_policy.legacy", "policy")
    assert [(s.sid, s.effect) for s in doc.statements] == [("Start", "Allow"), ("Objects", "Deny")]
    assert doc.statements[1].span.start_line == tf.line_of("main.tf", 'effect    = "Deny"') - 2


def test_duplicate_sid_in_source_documents_is_a_note(tf) -> None:
    tf.write(
        {
            "main.tf": """
            data "aws_iam_policy_document" "one" {
              statement {
                sid       = "Same"
                actions   = ["s3:GetObject"]
                resources = ["*"]
              }
            }

            data "aws_iam_policy_document" "merged" {
              source_policy_documents = [
                data.aws_iam_policy_document.one.json,
                data.aws_iam_policy_document.one.json,
              ]
            }

            resource "aws_iam_policy" "merged" {
              name   = "merged"
              policy = data.aws_iam_policy_document.merged.json
            }
            """
        }
    )
    graph = tf.graph()
    assert notes(graph) == [
        (
            "main.tf",
            12,
            "data.aws_iam_policy_document.merged: duplicate Sid 'Same' in source_policy_documents; "
            "the AWS provider rejects this document",
        )
    ]


def test_dynamic_statements_over_a_known_collection(tf) -> None:
    tf.write(
        {
            "main.tf": """
            locals {
              grants = {
                Logs    = { actions = ["s3:GetObject"], bucket = "logs" }
                Reports = { actions = ["s3:GetObject", "s3:PutObject"], bucket = "reports" }
              }
            }

            data "aws_iam_policy_document" "grants" {
              dynamic "statement" {
                for_each = local.grants
                iterator = grant
                content {
                  sid       = grant.key
                  actions   = grant.value.actions
                  resources = ["arn:aws:s3:::${grant.value.bucket}/*"]
                }
              }

              statement {
                sid       = "Fixed"
                actions   = ["s3:ListAllMyBuckets"]
                resources = ["*"]
              }
            }

            resource "aws_iam_policy" "grants" {
              name   = "grants"
              policy = data.aws_iam_policy_document.grants.json
            }
            """
        }
    )
    graph = tf.graph()
    doc = document(graph, "aws_iam_policy.grants", "policy")
    content = tf.line_of("main.tf", "content {")
    assert statements(doc) == [
        ("Logs", "Allow", ["s3:GetObject"], ["arn:aws:s3:::logs/*"], "main.tf", content),
        ("Reports", "Allow", ["s3:PutObject", "s3:GetObject"], ["arn:aws:s3:::reports/*"], "main.tf", content),
        ("Fixed", "Allow", ["s3:ListAllMyBuckets"], ["*"], "main.tf", tf.line_of("main.tf", 'sid       = "Fixed"') - 1),
    ]


def test_dynamic_statements_over_an_unknown_collection(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "grants" {
              type = list(object({ actions = list(string) }))
            }

            data "aws_iam_policy_document" "grants" {
              dynamic "statement" {
                for_each = var.grants
                content {
                  actions   = statement.value.actions
                  resources = ["*"]
                }
              }

              statement {
                sid       = "Known"
                actions   = ["s3:ListAllMyBuckets"]
                resources = ["*"]
              }
            }

            resource "aws_iam_policy" "grants" {
              name   = "grants"
              policy = data.aws_iam_policy_document.grants.json
            }
            """
        }
    )
    graph = tf.graph()
    raw = value(graph, "aws_iam_policy.grants", "policy")
    assert isinstance(raw, Unknown)
    doc = document(graph, "aws_iam_policy.grants", "policy")
    unknown, known = doc.statements
    assert [(field, u.reason) for field, u in unknown.unknowns] == [
        (
            "Statement",
            "dynamic statement blocks over an unknown collection: "
            "variable grants has no value (pass --var grants=... or a tfvars file)",
        )
    ]
    assert (known.sid, known.action_patterns) == ("Known", ["s3:ListAllMyBuckets"])
    # the root cause travels with the unknown statement; it is said only if a rule needs it
    assert notes(graph) == []
    root = cause_of(unknown.unknowns[0][1])
    assert root is not None and root.span is not None
    assert (root.message, root.span.start_line) == ("variable 'grants' has no value", 1)


def test_minified_json_and_version(tf) -> None:
    tf.write(
        {
            "main.tf": """
            data "aws_iam_policy_document" "old" {
              version = "2008-10-17"
              statement {
                actions   = ["sqs:SendMessage"]
                resources = ["*"]
              }
            }

            locals {
              minified = data.aws_iam_policy_document.old.minified_json
            }
            """
        }
    )
    graph = tf.graph()
    assert resource(graph, "local.minified").attrs["value"] == (
        '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}'
    )
