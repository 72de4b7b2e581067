"""AWS-IAM-041 says what the code does about access keys: the key it creates for the user, by name, or
that it creates none (the user can still be given one: the grant is what needs MFA)."""

from __future__ import annotations

from tests.workflow.conftest import by_rule

# An account's users: the CI user and its key come from a local module; the operator is a console user the
# code gives no key.
USERS = {
    "modules/ci-user/main.tf": """
    variable "name" {
      type = string
    }

    resource "aws_iam_user" "this" {
      name = var.name
    }

    resource "aws_iam_access_key" "this" {
      user = aws_iam_user.this.name
    }

    data "aws_iam_policy_document" "manage" {
      statement {
        sid       = "ManageUsers"
        actions   = ["iam:AttachUserPolicy", "iam:CreateAccessKey"]
        resources = ["*"]
      }
    }

    resource "aws_iam_user_policy" "manage" {
      name   = "manage-users"
      user   = aws_iam_user.this.name
      policy = data.aws_iam_policy_document.manage.json
    }
    """,
    "main.tf": """
    module "ci" {
      source = "./modules/ci-user"
      name   = "ci"
    }

    resource "aws_iam_user" "operator" {
      name = "operator"
    }

    resource "aws_iam_user_login_profile" "operator" {
      user = aws_iam_user.operator.name
    }

    resource "aws_iam_user_policy" "operator" {
      name = "operate"
      user = aws_iam_user.operator.name
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Sid      = "Operate"
          Effect   = "Allow"
          Action   = ["iam:PutRolePolicy"]
          Resource = "*"
        }]
      })
    }
    """,
    "stack/users.yaml": """
    AWSTemplateFormatVersion: "2010-09-09"
    Resources:
      Deployer:
        Type: AWS::IAM::User
        Properties:
          Policies:
            - PolicyName: deploy
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Action: iam:PassRole
                    Resource: "*"
      DeployerKey:
        Type: AWS::IAM::AccessKey
        Properties:
          UserName: !Ref Deployer
      Auditor:
        Type: AWS::IAM::User
        Properties:
          Policies:
            - PolicyName: audit
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Action: iam:CreateLoginProfile
                    Resource: "*"
    """,
}

NO_KEY = "the code creates no access key for this user, but one can be created for it at any time"


def test_the_message_names_the_key_the_code_creates_or_says_it_creates_none(project) -> None:
    project.write(USERS)
    _, data = project.json(".", "--select", "AWS-IAM-041", select=False)

    said = {r["message"].split(":", 1)[0]: r["message"] for r in by_rule(data, "AWS-IAM-041")}
    assert said == {
        "module.ci.aws_iam_user.this": (
            "module.ci.aws_iam_user.this: can use sensitive IAM/STS actions (iam:AttachUserPolicy, "
            "iam:CreateAccessKey) with its long-term access key module.ci.aws_iam_access_key.this and no MFA, "
            "through policy module.ci.aws_iam_user_policy.manage (statement 'ManageUsers')"
        ),
        "aws_iam_user.operator": (
            "aws_iam_user.operator: can use sensitive IAM/STS actions (iam:PutRolePolicy) with no MFA when it "
            "signs with a long-term access key, through policy aws_iam_user_policy.operator (statement 'Operate'); "
            + NO_KEY
        ),
        "Deployer": (
            "Deployer: can use sensitive IAM/STS actions (iam:PassRole) with its long-term access key DeployerKey "
            "and no MFA, through inline policy deploy (statement 1)"
        ),
        "Auditor": (
            "Auditor: can use sensitive IAM/STS actions (iam:CreateLoginProfile) with no MFA when it signs with a "
            "long-term access key, through inline policy audit (statement 1); " + NO_KEY
        ),
    }


def test_a_key_naming_its_user_by_name_or_by_a_value_not_known(project) -> None:
    # the key of "release" names its user by a literal name; the key of the "build" module names a user
    # through a variable without a value: it may be the user's key, and the message does not say none exists
    project.write(
        {
            "release/main.tf": """
            resource "aws_iam_user" "release" {
              name = "release"
            }

            resource "aws_iam_access_key" "release" {
              user = "release"
            }

            resource "aws_iam_user_policy" "release" {
              name   = "release"
              user   = aws_iam_user.release.name
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }]
              })
            }
            """,
            "build/main.tf": """
            variable "key_user" {
              type = string
            }

            resource "aws_iam_user" "build" {
              name = "build"
            }

            resource "aws_iam_access_key" "build" {
              user = var.key_user
            }

            resource "aws_iam_user_policy" "build" {
              name   = "build"
              user   = aws_iam_user.build.name
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }]
              })
            }
            """,
        }
    )
    _, data = project.json(".", "--select", "AWS-IAM-041", select=False)

    said = {r["message"].split(":", 1)[0]: r["message"].split(", through ", 1) for r in by_rule(data, "AWS-IAM-041")}
    assert said == {
        "aws_iam_user.release": [
            "aws_iam_user.release: can use sensitive IAM/STS actions (iam:PassRole) with its long-term access key "
            "aws_iam_access_key.release and no MFA",
            "policy aws_iam_user_policy.release (statement 1)",
        ],
        "aws_iam_user.build": [
            "aws_iam_user.build: can use sensitive IAM/STS actions (iam:PassRole) with no MFA when it signs with a "
            "long-term access key",
            "policy aws_iam_user_policy.build (statement 1); whether aws_iam_access_key.build is this user's key is "
            "not known, and one can be created for it at any time",
        ],
    }
