# Each principal below can hand a role to a service and run code with it. The administrator
# role trusts every compute service, so passing it is enough.
data "aws_iam_policy_document" "compute_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type = "Service"
      identifiers = [
        "ec2.amazonaws.com",
        "lambda.amazonaws.com",
        "glue.amazonaws.com",
        "cloudformation.amazonaws.com",
        "datapipeline.amazonaws.com",
        "sagemaker.amazonaws.com",
        "ecs-tasks.amazonaws.com",
        "codebuild.amazonaws.com",
        "tasks.apprunner.amazonaws.com",
      ]
    }
  }
}

resource "aws_iam_role" "platform_admin" {
  name               = "platform-admin"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

resource "aws_iam_role_policy_attachment" "platform_admin" {
  role       = aws_iam_role.platform_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# ec2-run-instances: PassRole on every role.
resource "aws_iam_role" "ci_runner" {
  name               = "ci-runner"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

data "aws_iam_policy_document" "ci_runner" {
  statement { # expect: AWS-IAM-103
    sid       = "PassAnyRole"
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }

  statement {
    sid       = "LaunchRunners"
    actions   = ["ec2:RunInstances", "ec2:CreateTags", "ec2:Describe*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "ci_runner" {
  name   = "runners"
  role   = aws_iam_role.ci_runner.id
  policy = data.aws_iam_policy_document.ci_runner.json
}

# autoscaling-launch: PassRole on the administrator role by reference.
resource "aws_iam_role" "fleet_manager" {
  name               = "fleet-manager"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

resource "aws_iam_role_policy" "fleet_manager" {
  name = "fleet"
  role = aws_iam_role.fleet_manager.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-103
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = aws_iam_role.platform_admin.arn
      },
      {
        Effect   = "Allow"
        Action   = ["ec2:CreateLaunchTemplate", "autoscaling:CreateAutoScalingGroup"]
        Resource = "*"
      },
    ]
  })
}

# lambda-create-and-invoke: a developer user, PassRole on role/* (any role).
resource "aws_iam_user" "lambda_dev" {
  name = "lambda-dev"
}

resource "aws_iam_user_policy" "lambda_dev" {
  name = "functions"
  user = aws_iam_user.lambda_dev.name
  # expect+5: AWS-IAM-103
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "iam:PassRole",
          "Resource": "arn:aws:iam::111122223333:role/*"
        },
        {
          "Effect": "Allow",
          "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"],
          "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:dev-*"
        }
      ]
    }
  EOT
}

# lambda-create-with-event-source: a group; its member is covered by the group's finding.
resource "aws_iam_group" "stream_processors" {
  name = "stream-processors"
}

resource "aws_iam_user" "stream_dev" {
  name = "stream-dev"
}

resource "aws_iam_group_membership" "stream_processors" {
  name  = "stream-processors"
  group = aws_iam_group.stream_processors.name
  users = [aws_iam_user.stream_dev.name]
}

data "aws_iam_policy_document" "stream_processors" {
  statement { # expect: AWS-IAM-103
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.platform_admin.arn]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["lambda.amazonaws.com"]
    }
  }

  statement {
    actions   = ["lambda:CreateFunction", "lambda:CreateEventSourceMapping"]
    resources = ["*"]
  }
}

resource "aws_iam_group_policy" "stream_processors" {
  name   = "streams"
  group  = aws_iam_group.stream_processors.name
  policy = data.aws_iam_policy_document.stream_processors.json
}

# glue-create-dev-endpoint and glue-create-job: a data engineering role with glue:*.
resource "aws_iam_role" "data_engineer" {
  name               = "data-engineer"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

data "aws_iam_policy_document" "data_engineer" {
  statement { # expect: AWS-IAM-103
    actions   = ["glue:*", "iam:PassRole"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "data_engineer" {
  name   = "data-engineer"
  policy = data.aws_iam_policy_document.data_engineer.json
}

resource "aws_iam_role_policy_attachment" "data_engineer" {
  role       = aws_iam_role.data_engineer.name
  policy_arn = aws_iam_policy.data_engineer.arn
}

# cloudformation-create-stack
resource "aws_iam_role" "stack_deployer" {
  name               = "stack-deployer"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
  inline_policy {
    name = "stacks"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { # expect: AWS-IAM-103
          Sid      = "PassAdmin"
          Effect   = "Allow"
          Action   = "iam:PassRole"
          Resource = "arn:aws:iam::111122223333:role/platform-admin"
        },
        {
          Sid      = "Stacks"
          Effect   = "Allow"
          Action   = ["cloudformation:CreateStack", "cloudformation:DescribeStacks"]
          Resource = "*"
        },
      ]
    })
  }
}

# datapipeline-create-pipeline
resource "aws_iam_user" "etl_operator" {
  name = "etl-operator"
}

data "aws_iam_policy_document" "etl_operator" {
  statement {
    actions   = ["datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition", "datapipeline:ActivatePipeline"]
    resources = ["*"]
  }

  statement { # expect: AWS-IAM-103
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "etl_operator" {
  name   = "pipelines"
  user   = aws_iam_user.etl_operator.name
  policy = data.aws_iam_policy_document.etl_operator.json
}

# sagemaker-create-notebook and sagemaker-create-job: a data scientist role.
resource "aws_iam_role" "data_scientist" {
  name               = "data-scientist"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

resource "aws_iam_role_policy" "data_scientist" {
  name = "notebooks"
  role = aws_iam_role.data_scientist.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "sagemaker:CreateNotebookInstance",
          "sagemaker:CreatePresignedNotebookInstanceUrl",
          "sagemaker:CreateProcessingJob",
        ]
        Resource = "*"
      },
      { Effect = "Allow", Action = "iam:PassRole", Resource = "*" }, # expect: AWS-IAM-103
    ]
  })
}

# ecs-run-task, allowed only with MFA: still an escalation (reported at medium severity).
resource "aws_iam_user" "ops_oncall" {
  name = "ops-oncall"
}

data "aws_iam_policy_document" "ops_oncall" {
  statement { # expect: AWS-IAM-103
    actions   = ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"]
    resources = ["*"]
  }

  statement {
    sid         = "DenyWithoutMfa"
    effect      = "Deny"
    not_actions = ["iam:ChangePassword", "sts:GetSessionToken"]
    resources   = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_user_policy" "ops_oncall" {
  name   = "oncall"
  user   = aws_iam_user.ops_oncall.name
  policy = data.aws_iam_policy_document.ops_oncall.json
}

# codebuild-create-project: the managed policy CodeBuild users get, with PassRole to codebuild.
resource "aws_iam_role" "build_admin" {
  name               = "build-admin"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

data "aws_iam_policy_document" "build_admin" {
  statement {
    actions   = ["codebuild:*"]
    resources = ["*"]
  }

  statement { # expect: AWS-IAM-103
    actions   = ["iam:PassRole"]
    resources = ["*"]
    condition {
      test     = "StringLike"
      variable = "iam:PassedToService"
      values   = ["codebuild.*"]
    }
  }
}

resource "aws_iam_role_policy" "build_admin" {
  name   = "builds"
  role   = aws_iam_role.build_admin.id
  policy = data.aws_iam_policy_document.build_admin.json
}

# apprunner-create-service
resource "aws_iam_role" "web_deployer" {
  name               = "web-deployer"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

resource "aws_iam_role_policy" "web_deployer" {
  name = "apprunner"
  role = aws_iam_role.web_deployer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-103
        Effect   = "Allow"
        Action   = ["apprunner:CreateService", "iam:PassRole"]
        Resource = "*"
      },
    ]
  })
}
