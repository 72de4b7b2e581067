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
