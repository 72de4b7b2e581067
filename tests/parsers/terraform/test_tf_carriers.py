"""Every Terraform policy carrier reaches the policy model, linked to the principals and buckets it names."""

from __future__ import annotations

from .conftest import document, documents, edges, local, resource, statements

ACCOUNT = """
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [local.account_root]
    }
  }
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  managed_policy_arns = [
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    aws_iam_policy.shared.arn,
  ]

  inline_policy {
    name = "inline"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = "*" }]
    })
  }
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_policy" "shared" {
  name = "shared"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }]
  })
}

resource "aws_iam_role_policy" "app" {
  name = "app-extra"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "dynamodb:GetItem", Resource = "*" }]
  })
}

resource "aws_iam_user_policy" "alice" {
  name = "alice-inline"
  user = aws_iam_user.alice.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ec2:DescribeInstances", Resource = "*" }]
  })
}

resource "aws_iam_group_policy" "devs" {
  name  = "devs-inline"
  group = aws_iam_group.devs.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "codecommit:GitPull", Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachment" "app_shared" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_user_policy_attachment" "bob_shared" {
  user       = aws_iam_user.bob.name
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_group_policy_attachment" "devs_admin" {
  group      = aws_iam_group.devs.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_policy_attachment" "everyone" {
  name       = "everyone"
  users      = [aws_iam_user.alice.name]
  roles      = [aws_iam_role.app.name]
  groups     = ["devs"]
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.devs.name]
}

resource "aws_iam_group_membership" "devs" {
  name  = "devs-members"
  group = aws_iam_group.devs.name
  users = [aws_iam_user.bob.name]
}
"""

BUCKETS = """
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TLS"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["${aws_s3_bucket.logs.arn}", "${aws_s3_bucket.logs.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::acme-legacy/*"
    }
  ]
}
POLICY
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.bucket
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"""


def test_identity_policies_of_every_carrier(tf) -> None:
    tf.write({"iam.tf": ACCOUNT})
    graph = tf.graph()
    got = sorted(
        (d.holder.address, d.attr, d.kind, d.via, sorted(p.address for p in d.principals), d.aws_managed)
        for d in graph.policies
    )
    assert got == [
        ("aws_iam_group_policy.devs", "policy", "identity", "inline", ["aws_iam_group.devs"], None),
        (
            "aws_iam_group_policy_attachment.devs_admin",
            "policy_arn",
            "identity",
            "aws-managed",
            ["aws_iam_group.devs"],
            "AdministratorAccess",
        ),
        (
            "aws_iam_policy.shared",
            "policy",
            "identity",
            "managed",
            # attached by role and user attachments, by aws_iam_policy_attachment, by managed_policy_arns
            ["aws_iam_group.devs", "aws_iam_role.app", "aws_iam_user.alice", "aws_iam_user.bob"],
            None,
        ),
        ("aws_iam_role.app", "assume_role_policy", "trust", "inline", [], None),
        ("aws_iam_role.app", "inline_policy[0].policy", "identity", "inline", ["aws_iam_role.app"], None),
        ("aws_iam_role.app", "managed_policy_arns", "identity", "aws-managed", ["aws_iam_role.app"], "ReadOnlyAccess"),
        ("aws_iam_role_policy.app", "policy", "identity", "inline", ["aws_iam_role.app"], None),
        ("aws_iam_user_policy.alice", "policy", "identity", "inline", ["aws_iam_user.alice"], None),
    ]
    inline = document(graph, "aws_iam_role.app", "inline_policy[0].policy")
    line = tf.line_of("iam.tf", 'Action = "sqs:SendMessage"')
    assert statements(inline) == [(None, "Allow", ["sqs:SendMessage"], ["*"], "iam.tf", line)]
    trust = document(graph, "aws_iam_role.app", "assume_role_policy")
    (stmt,) = trust.statements
    assert stmt.principal.aws == ["arn:aws:iam::${AWS::AccountId}:root"]
    assert stmt.span.start_line == tf.line_of("iam.tf", "statement {")
    assert [t.address for t in trust.targets] == ["aws_iam_role.app"]


def test_attachment_and_membership_edges(tf) -> None:
    tf.write({"iam.tf": ACCOUNT})
    graph = tf.graph()
    assert edges(graph, "attaches") == [
        ("aws_iam_group_policy.devs", "aws_iam_group.devs"),
        ("aws_iam_group_policy_attachment.devs_admin", "aws_iam_group.devs"),
        ("aws_iam_policy.shared", "aws_iam_group.devs"),
        ("aws_iam_policy.shared", "aws_iam_role.app"),
        ("aws_iam_policy.shared", "aws_iam_user.alice"),
        ("aws_iam_policy.shared", "aws_iam_user.bob"),
        ("aws_iam_role.app", "aws_iam_role.app"),
        ("aws_iam_role_policy.app", "aws_iam_role.app"),
        ("aws_iam_user_policy.alice", "aws_iam_user.alice"),
    ]
    assert edges(graph, "member") == [
        ("aws_iam_user.alice", "aws_iam_group.devs"),
        ("aws_iam_user.bob", "aws_iam_group.devs"),
    ]


def test_bucket_policies_and_symbolic_bucket_attributes(tf) -> None:
    tf.write({"s3.tf": BUCKETS})
    graph = tf.graph()
    logs = resource(graph, "aws_s3_bucket.logs")
    bucket_ref = resource(graph, "aws_s3_bucket_policy.logs").attrs["bucket"]
    # .id of a bucket is its name, and still says which bucket it is
    assert (str(bucket_ref), bucket_ref.ref) == ("acme-logs", (logs.id, "id"))
    policy = document(graph, "aws_s3_bucket_policy.logs", "policy")
    assert policy.kind == "resource"
    assert [t.address for t in policy.targets] == ["aws_s3_bucket.logs"]
    (tls,) = policy.statements
    assert tls.resource_patterns == ["arn:aws:s3:::acme-logs", "arn:aws:s3:::acme-logs/*"]
    assert tls.principal.wildcard is True
    assert [(c.operator, c.key, c.values) for c in tls.conditions] == [("Bool", "aws:SecureTransport", ["false"])]
    legacy = document(graph, "aws_s3_bucket.legacy", "policy")
    line = tf.line_of("s3.tf", '"Principal": {"AWS"') - 2
    assert statements(legacy) == [(None, "Allow", ["s3:GetObject"], ["arn:aws:s3:::acme-legacy/*"], "s3.tf", line)]
    assert [t.address for t in legacy.targets] == ["aws_s3_bucket.legacy"]
    assert edges(graph, "configures") == [
        ("aws_s3_bucket_policy.logs", "aws_s3_bucket.logs"),
        ("aws_s3_bucket_public_access_block.logs", "aws_s3_bucket.logs"),
    ]


def test_attributes_known_from_configuration(tf) -> None:
    tf.write(
        {
            "main.tf": """
            resource "aws_s3_bucket" "named" {
              bucket = "acme-named"
            }

            resource "aws_s3_bucket" "generated" {
              bucket_prefix = "acme-"
            }

            resource "aws_iam_role" "ops" {
              name = "ops"
              path = "/platform/"
              assume_role_policy = "{}"
            }

            resource "aws_instance" "web" {
              ami           = "ami-123"
              instance_type = "t3.micro"
            }

            data "aws_region" "current" {}

            locals {
              named       = [aws_s3_bucket.named.id, aws_s3_bucket.named.bucket, aws_s3_bucket.named.arn]
              generated   = [aws_s3_bucket.generated.id, aws_s3_bucket.generated.arn]
              role        = [aws_iam_role.ops.arn, aws_iam_role.ops.name, aws_iam_role.ops.unique_id]
              instance_ip = aws_instance.web.private_ip
              region      = data.aws_region.current.name
              module_path = path.module
              type_given  = aws_instance.web.instance_type
            }
            """
        }
    )
    graph = tf.graph()
    assert local(graph, "named") == ["acme-named", "acme-named", "arn:aws:s3:::acme-named"]
    # a computed name is still a symbolic value naming its bucket
    assert local(graph, "generated") == ["${aws_s3_bucket.generated.id}", "${aws_s3_bucket.generated.arn}"]
    generated = resource(graph, "local.generated").attrs["value"]
    assert [item.ref for item in generated] == [
        (resource(graph, "aws_s3_bucket.generated").id, "id"),
        (resource(graph, "aws_s3_bucket.generated").id, "arn"),
    ]
    assert local(graph, "role") == [
        "arn:aws:iam::${AWS::AccountId}:role/platform/ops",
        "ops",
        "${aws_iam_role.ops.unique_id}",
    ]
    ip = local(graph, "instance_ip")
    assert ip.reason == "aws_instance.web.private_ip is only known after apply"
    assert local(graph, "region") == "${AWS::Region}"
    assert local(graph, "module_path") == "."
    assert local(graph, "type_given") == "t3.micro"
    # references become graph edges with the attribute that holds them
    assert ("local.named", "aws_s3_bucket.named") in edges(graph, "ref")


def test_policy_documents_of_for_each_instances_are_separate(tf) -> None:
    tf.write(
        {
            "main.tf": """
            variable "teams" {
              default = {
                data = ["s3:GetObject"]
                ops  = ["*"]
              }
            }

            resource "aws_iam_policy" "team" {
              for_each = var.teams
              name     = "team-${each.key}"
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = each.value, Resource = "*" }]
              })
            }
            """
        }
    )
    graph = tf.graph()
    found = documents(graph, 'aws_iam_policy.team["data"]') + documents(graph, 'aws_iam_policy.team["ops"]')
    assert sorted((d.holder.address, d.statements[0].action_patterns) for d in found) == [
        ('aws_iam_policy.team["data"]', ["s3:GetObject"]),
        ('aws_iam_policy.team["ops"]', ["*"]),
    ]
