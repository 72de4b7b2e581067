# Compute that runs as an administrator role, and principals that can take it over.
data "aws_iam_policy_document" "compute_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com", "ec2.amazonaws.com", "glue.amazonaws.com", "sagemaker.amazonaws.com", "codebuild.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "ops_admin" {
  name                = "ops-admin"
  assume_role_policy  = data.aws_iam_policy_document.compute_trust.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_lambda_function" "account_janitor" {
  function_name = "account-janitor"
  role          = aws_iam_role.ops_admin.arn
  runtime       = "python3.12"
  handler       = "janitor.handler"
  filename      = "janitor.zip"
}

resource "aws_iam_instance_profile" "ops_admin" {
  name = "ops-admin"
  role = aws_iam_role.ops_admin.name
}

resource "aws_instance" "bastion" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.ops_admin.name
}

resource "aws_glue_dev_endpoint" "etl" {
  name     = "etl"
  role_arn = aws_iam_role.ops_admin.arn
}

resource "aws_sagemaker_notebook_instance" "research" {
  name          = "research"
  role_arn      = aws_iam_role.ops_admin.arn
  instance_type = "ml.t3.medium"
}

resource "aws_codebuild_project" "release" {
  name         = "release"
  service_role = aws_iam_role.ops_admin.arn
  artifacts {
    type = "NO_ARTIFACTS"
  }
  environment {
    compute_type = "BUILD_GENERAL1_SMALL"
    image        = "aws/codebuild/standard:7.0"
    type         = "LINUX_CONTAINER"
  }
  source {
    type = "NO_SOURCE"
  }
}

# lambda-update-function-code: the administrator function, by reference.
resource "aws_iam_role" "deployer" {
  name               = "lambda-deployer"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

data "aws_iam_policy_document" "deployer" {
  statement { # expect: AWS-IAM-104
    actions   = ["lambda:UpdateFunctionCode", "lambda:PublishVersion"]
    resources = [aws_lambda_function.account_janitor.arn]
  }
}

resource "aws_iam_role_policy" "deployer" {
  name   = "deploy"
  role   = aws_iam_role.deployer.id
  policy = data.aws_iam_policy_document.deployer.json
}

# lambda-update-function-configuration: any function in the account.
resource "aws_iam_user" "tuner" {
  name = "tuner"
}

resource "aws_iam_user_policy" "tuner" {
  name = "tune"
  user = aws_iam_user.tuner.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-104
      Effect   = "Allow"
      Action   = ["lambda:GetFunctionConfiguration", "lambda:UpdateFunctionConfiguration"]
      Resource = "arn:aws:lambda:*:*:function:*"
    }]
  })
}

# glue-update-dev-endpoint and sagemaker-presigned-notebook-url: a data team group.
resource "aws_iam_group" "data_team" {
  name = "data-team"
}

resource "aws_iam_group_policy" "data_team" {
  name  = "workbenches"
  group = aws_iam_group.data_team.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-104
        Effect   = "Allow"
        Action   = ["glue:UpdateDevEndpoint", "sagemaker:CreatePresignedNotebookInstanceUrl"]
        Resource = "*"
      },
    ]
  })
}

# ssm-send-command: every instance, with the shell document.
resource "aws_iam_role" "patcher" {
  name               = "patcher"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

data "aws_iam_policy_document" "patcher" {
  statement { # expect: AWS-IAM-104
    actions = ["ssm:SendCommand"]
    resources = [
      "arn:aws:ec2:*:*:instance/*",
      "arn:aws:ssm:*::document/AWS-RunShellScript",
    ]
  }
}

resource "aws_iam_role_policy" "patcher" {
  name   = "patch"
  role   = aws_iam_role.patcher.id
  policy = data.aws_iam_policy_document.patcher.json
}

# ssm-start-session: the administrator instance, by reference.
resource "aws_iam_user" "oncall" {
  name = "oncall"
}

resource "aws_iam_user_policy" "oncall" {
  name = "sessions"
  user = aws_iam_user.oncall.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ssm:StartSession", Resource = aws_instance.bastion.arn }] # expect: AWS-IAM-104
  })
}

# ec2-instance-connect: any instance tagged for the team (conditional: medium).
resource "aws_iam_user" "sre" {
  name = "sre"
}

data "aws_iam_policy_document" "sre" {
  statement { # expect: AWS-IAM-104
    actions   = ["ec2-instance-connect:SendSSHPublicKey"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/team"
      values   = ["sre"]
    }
  }
}

resource "aws_iam_user_policy" "sre" {
  name   = "ssh"
  user   = aws_iam_user.sre.name
  policy = data.aws_iam_policy_document.sre.json
}

# codebuild-start-build: the release project, which runs as the administrator role.
resource "aws_iam_role" "release_trigger" {
  name               = "release-trigger"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
  inline_policy {
    name = "trigger"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{ # expect: AWS-IAM-104
        Effect   = "Allow"
        Action   = "codebuild:StartBuild"
        Resource = aws_codebuild_project.release.arn
      }]
    })
  }
}
