"""Policies written but not attached in the scan (a module exporting a document through an output, an
unattached managed policy) are checked at the document; attached ones are reported once."""

from __future__ import annotations

from tests.workflow.conftest import findings

CONTENT_RULES = ("--select", "AWS-IAM-001,AWS-IAM-010,AWS-IAM-011,AWS-IAM-012,AWS-IAM-014,AWS-IAM-030")

# A policy library: documents built in a module and handed to callers through outputs.
POLICY_MODULE = {
    "modules/policies/main.tf": """\
data "aws_iam_policy_document" "break_glass" {
  statement {
    sid       = "Everything"
    actions   = ["*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "deployer" {
  statement {
    sid       = "PassAnyRole"
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }

  statement {
    sid           = "AllButIam"
    not_actions   = ["iam:*"]
    resources     = ["*"]
  }
}
""",
    "modules/policies/outputs.tf": """\
output "break_glass_json" {
  value = data.aws_iam_policy_document.break_glass.json
}

output "deployer_json" {
  value = data.aws_iam_policy_document.deployer.json
}

output "reader_json" {
  value = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect      = "Allow"
      Action      = ["s3:GetObject", "s3:GetObjectt"]
      NotResource = ["arn:aws:s3:::secrets/*"]
    }]
  })
}
""",
}


def test_module_exporting_policies_through_outputs_is_checked_at_the_documents(project) -> None:
    project.write(POLICY_MODULE)
    code, data = project.json("modules/policies", *CONTENT_RULES, select=False)

    assert code == 1
    assert findings(data) == [
        ("modules/policies/main.tf", 2, "AWS-IAM-001"),
        ("modules/policies/main.tf", 10, "AWS-IAM-030"),
        ("modules/policies/main.tf", 16, "AWS-IAM-011"),
        ("modules/policies/outputs.tf", 12, "AWS-IAM-012"),  # both at the statement (12: "Statement = [{")
        ("modules/policies/outputs.tf", 12, "AWS-IAM-014"),
    ]


def test_attached_documents_are_reported_once(project) -> None:
    # the root attaches one exported document; the module is also scanned as a root of its own
    project.write(
        {
            **POLICY_MODULE,
            "main.tf": """\
module "policies" {
  source = "./modules/policies"
}

resource "aws_iam_policy" "break_glass" {
  name   = "break-glass"
  policy = module.policies.break_glass_json
}
""",
        }
    )
    code, data = project.json(".", *CONTENT_RULES, select=False)

    assert code == 1
    rows = findings(data)
    assert rows.count(("modules/policies/main.tf", 2, "AWS-IAM-001")) == 1
    assert len(rows) == len(set(rows)) == 5


def test_document_merged_into_another_is_reported_where_it_is_written_once(project) -> None:
    project.write(
        {
            "main.tf": """\
data "aws_iam_policy_document" "base" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "combined" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]

  statement {
    actions   = ["s3:*"]
    resources = ["*"]
  }
}

output "combined" {
  value = data.aws_iam_policy_document.combined.json
}
""",
        }
    )
    code, data = project.json(".", *CONTENT_RULES, select=False)

    assert code == 1
    assert findings(data) == [("main.tf", 2, "AWS-IAM-001"), ("main.tf", 11, "AWS-IAM-010")]


def test_documents_with_a_principal_are_left_to_their_owners(project) -> None:
    # an unattached trust policy document: not read as an identity policy
    project.write(
        {
            "main.tf": """\
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}
""",
        }
    )
    code, data = project.json(".", *CONTENT_RULES, select=False)

    assert (code, data["results"], data["notifications"]) == (0, [], [])


def test_unattached_cloudformation_managed_policy_is_checked(project) -> None:
    project.write(
        {
            "stack.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DeployPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: iam:PassRole
            Resource: "*"
""",
        }
    )
    code, data = project.json(".", *CONTENT_RULES, select=False)

    assert code == 1
    assert findings(data) == [("stack.yaml", 9, "AWS-IAM-030")]
