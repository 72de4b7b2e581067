"""Resources whose count/for_each depends only on whether they are created (``enabled ? 1 : 0`` with a
condition iamready cannot know) are still checked: what each instance holds is known."""

from __future__ import annotations

from tests.workflow.conftest import by_rule, findings, notes

# The shape of cloudposse modules: a label module (from the registry, not installed) decides whether
# anything is created; the trusted principals default to everyone.
ROLE_MODULE = {
    "main.tf": """
    module "role" {
      source = "./modules/role"
    }
    """,
    "modules/role/main.tf": """
    module "label" {
      source  = "cloudposse/label/null"
      version = "0.25.0"
    }

    variable "principals" {
      type    = map(list(string))
      default = { AWS = ["*"] }
    }

    data "aws_iam_policy_document" "assume_role" {
      count = module.label.enabled ? length(keys(var.principals)) : 0

      statement {
        actions = ["sts:AssumeRole"]

        principals {
          type        = element(keys(var.principals), count.index)
          identifiers = var.principals[element(keys(var.principals), count.index)]
        }
      }
    }

    resource "aws_iam_role" "default" {
      count              = module.label.enabled ? 1 : 0
      name               = "app"
      assume_role_policy = data.aws_iam_policy_document.assume_role[0].json
    }
    """,
}


def test_trust_to_everyone_behind_an_enabled_flag_of_a_module_not_installed_is_reported(project) -> None:
    project.write(ROLE_MODULE)
    code, data = project.json(".", "--select", "AWS-IAM-031")

    assert code == 1
    assert findings(data) == [("modules/role/main.tf", 15, "AWS-IAM-031")]
    (result,) = by_rule(data, "AWS-IAM-031")
    assert "module.role.aws_iam_role.default[0]" in result["message"]
    # the one note names the real root cause and its fix, not the count, not "scan a plan"
    (note,) = notes(data, "unresolved")
    assert note[:2] == ("modules/role/main.tf", 2)
    assert "module.label comes from 'cloudposse/label/null', which is not installed" in note[3]
    assert "terraform init -backend=false" in note[3]
    assert "count" not in note[3] and "scan a plan" not in note[3]


def test_for_each_over_roles_or_nothing_checks_every_role(project) -> None:
    project.write(
        {
            "variables.tf": """
            variable "create" {
              type = bool
            }
            """,
            "main.tf": """
            locals {
              trusted = {
                ci     = "arn:aws:iam::111122223333:role/ci"
                public = "*"
              }
            }

            resource "aws_iam_role" "this" {
              for_each = var.create ? local.trusted : {}
              name     = each.key
              assume_role_policy = jsonencode({
                Version = "2012-10-17"
                Statement = [{
                  Effect    = "Allow"
                  Principal = { AWS = each.value }
                  Action    = "sts:AssumeRole"
                }]
              })
            }
            """,
        }
    )
    code, data = project.json(".", "--select", "AWS-IAM-031")

    assert code == 1
    (result,) = by_rule(data, "AWS-IAM-031")
    assert result["message"].startswith('aws_iam_role.this["public"]')
    assert data["notifications"] == []


def test_an_index_into_resources_of_unknown_count_is_the_instance_that_stands_for_them(project) -> None:
    project.write(
        {
            "main.tf": """
            variable "replicas" {
              type = number
            }

            data "aws_iam_policy_document" "trust" {
              count = var.replicas
              statement {
                actions = ["sts:AssumeRole"]
                principals {
                  type        = "AWS"
                  identifiers = ["*"]
                }
              }
            }

            resource "aws_iam_role" "app" {
              name               = "app"
              assume_role_policy = data.aws_iam_policy_document.trust[0].json
            }
            """,
        }
    )
    code, data = project.json(".", "--select", "AWS-IAM-031")

    assert code == 1
    assert findings(data) == [("main.tf", 8, "AWS-IAM-031")]
    assert data["notifications"] == []
