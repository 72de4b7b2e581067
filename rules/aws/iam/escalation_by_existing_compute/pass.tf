# Near misses: the compute these principals can take over runs as an ordinary role.
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

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

resource "aws_iam_role_policy" "app" {
  name = "app"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["dynamodb:GetItem", "dynamodb:PutItem"], Resource = "*" }]
  })
}

resource "aws_lambda_function" "app_api" {
  function_name = "app-api"
  role          = aws_iam_role.app.arn
  runtime       = "python3.12"
  handler       = "api.handler"
  filename      = "api.zip"
}

resource "aws_iam_instance_profile" "app" {
  name = "app"
  role = aws_iam_role.app.name
}

resource "aws_instance" "app" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.app.name
}

resource "aws_glue_dev_endpoint" "scratch" {
  name     = "scratch"
  role_arn = aws_iam_role.app.arn
}

resource "aws_sagemaker_notebook_instance" "scratch" {
  name          = "scratch"
  role_arn      = aws_iam_role.app.arn
  instance_type = "ml.t3.medium"
}

resource "aws_codebuild_project" "tests" {
  name         = "tests"
  service_role = aws_iam_role.app.arn
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

# trap: lambda-update-function-code: only the application's own function.
resource "aws_iam_role" "deployer" {
  name               = "lambda-deployer"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["lambda:UpdateFunctionCode"]
    resources = [aws_lambda_function.app_api.arn]
  }
}

resource "aws_iam_role_policy" "deployer" {
  name   = "deploy"
  role   = aws_iam_role.deployer.id
  policy = data.aws_iam_policy_document.deployer.json
}

# trap: lambda-update-function-configuration: only functions named app-*.
resource "aws_iam_user" "tuner" {
  name = "tuner"
}

resource "aws_iam_user_policy" "tuner" {
  name = "tune"
  user = aws_iam_user.tuner.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:UpdateFunctionConfiguration"
      Resource = "arn:aws:lambda:*:*:function:app-*"
    }]
  })
}

# trap: glue-update-dev-endpoint, sagemaker-presigned-notebook-url, codebuild-start-build: the ordinary resources only.
# trap: ssm-send-command, ssm-start-session, ec2-instance-connect: the ordinary instance only.
resource "aws_iam_group" "data_team" {
  name = "data-team"
}

resource "aws_iam_group_policy" "data_team" {
  name  = "workbenches"
  group = aws_iam_group.data_team.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "glue:UpdateDevEndpoint",
          "sagemaker:CreatePresignedNotebookInstanceUrl",
          "codebuild:StartBuild",
        ]
        Resource = [
          "arn:aws:glue:*:*:devEndpoint/scratch",
          "arn:aws:sagemaker:*:*:notebook-instance/scratch",
          aws_codebuild_project.tests.arn,
        ]
      },
      {
        Effect   = "Allow"
        Action   = ["ssm:SendCommand", "ssm:StartSession", "ec2-instance-connect:SendSSHPublicKey"]
        Resource = aws_instance.app.arn
      },
    ]
  })
}
