# Near misses: every principal below has most of a method, but not a way to an administrator.
data "aws_iam_policy_document" "compute_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type = "Service"
      identifiers = [
        "ec2.amazonaws.com",
        "lambda.amazonaws.com",
        "glue.amazonaws.com",
        "sagemaker.amazonaws.com",
        "tasks.apprunner.amazonaws.com",
      ]
    }
  }
}

# A harmless worker role the services may receive.
resource "aws_iam_role" "app_worker" {
  name               = "app-worker"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

resource "aws_iam_role_policy" "app_worker" {
  name = "queue"
  role = aws_iam_role.app_worker.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["sqs:ReceiveMessage", "sqs:DeleteMessage"], Resource = "*" }]
  })
}

# An administrator only EC2 may assume: it cannot be handed to Lambda.
resource "aws_iam_role" "ec2_admin" {
  name = "ec2-admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

# trap: ec2-run-instances: PassRole only to the worker role.
resource "aws_iam_role" "ci_runner" {
  name               = "ci-runner"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

data "aws_iam_policy_document" "ci_runner" {
  statement {
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.app_worker.arn]
  }

  statement {
    actions   = ["ec2:RunInstances"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "ci_runner" {
  name   = "runners"
  role   = aws_iam_role.ci_runner.id
  policy = data.aws_iam_policy_document.ci_runner.json
}

# trap: autoscaling-launch: a launch template but no Auto Scaling group.
resource "aws_iam_role" "fleet_manager" {
  name               = "fleet-manager"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
  inline_policy {
    name = "fleet"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["iam:PassRole", "ec2:CreateLaunchTemplate", "autoscaling:Describe*"]
        Resource = "*"
      }]
    })
  }
}

# trap: lambda-create-and-invoke: PassRole only to EC2 (iam:PassedToService), and no ec2:RunInstances.
resource "aws_iam_user" "lambda_dev" {
  name = "lambda-dev"
}

resource "aws_iam_user_policy" "lambda_dev" {
  name   = "functions"
  user   = aws_iam_user.lambda_dev.name
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "iam:PassRole",
          "Resource": "*",
          "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
        },
        {
          "Effect": "Allow",
          "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"],
          "Resource": "*"
        }
      ]
    }
  EOT
}

# trap: lambda-create-with-event-source: PassRole to the EC2-only administrator role.
resource "aws_iam_role" "stream_processor" {
  name               = "stream-processor"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

resource "aws_iam_role_policy" "stream_processor" {
  name = "streams"
  role = aws_iam_role.stream_processor.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.ec2_admin.arn },
      { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:CreateEventSourceMapping"], Resource = "*" },
    ]
  })
}

# trap: glue-create-dev-endpoint: PassRole to the worker role only.
resource "aws_iam_role" "glue_dev" {
  name               = "glue-dev"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

data "aws_iam_policy_document" "glue_dev" {
  statement {
    actions   = ["glue:CreateDevEndpoint", "glue:GetDevEndpoint"]
    resources = ["*"]
  }

  statement {
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::111122223333:role/app-worker"]
  }
}

resource "aws_iam_role_policy" "glue_dev" {
  name   = "endpoints"
  role   = aws_iam_role.glue_dev.id
  policy = data.aws_iam_policy_document.glue_dev.json
}

# trap: glue-create-job: creates jobs but cannot start them.
resource "aws_iam_role" "glue_author" {
  name               = "glue-author"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

resource "aws_iam_role_policy" "glue_author" {
  name = "jobs"
  role = aws_iam_role.glue_author.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "glue:CreateJob", "glue:GetJob*"], Resource = "*" }]
  })
}

# trap: cloudformation-create-stack: an unconditional Deny on PassRole in an attached policy.
resource "aws_iam_role" "stack_deployer" {
  name               = "stack-deployer"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

resource "aws_iam_role_policy" "stack_deployer" {
  name = "stacks"
  role = aws_iam_role.stack_deployer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "cloudformation:CreateStack"], Resource = "*" }]
  })
}

resource "aws_iam_policy" "no_pass_role" {
  name = "no-pass-role"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "iam:PassRole", Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachment" "stack_deployer_guard" {
  role       = aws_iam_role.stack_deployer.name
  policy_arn = aws_iam_policy.no_pass_role.arn
}

# trap: datapipeline-create-pipeline: cannot activate the pipeline.
resource "aws_iam_user" "etl_operator" {
  name = "etl-operator"
}

resource "aws_iam_user_policy" "etl_operator" {
  name = "pipelines"
  user = aws_iam_user.etl_operator.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"]
      Resource = "*"
    }]
  })
}

# trap: sagemaker-create-notebook: PassRole to the worker role by reference.
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
        Effect   = "Allow"
        Action   = ["sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"]
        Resource = "*"
      },
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.app_worker.arn },
    ]
  })
}

# trap: sagemaker-create-job: PassRole limited to a name prefix no administrator role has.
resource "aws_iam_role" "ml_pipeline" {
  name               = "ml-pipeline"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

data "aws_iam_policy_document" "ml_pipeline" {
  statement {
    actions   = ["sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob"]
    resources = ["*"]
  }

  statement {
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::*:role/sagemaker-*"]
  }
}

resource "aws_iam_role_policy" "ml_pipeline" {
  name   = "training"
  role   = aws_iam_role.ml_pipeline.id
  policy = data.aws_iam_policy_document.ml_pipeline.json
}

# trap: ecs-run-task: a permission boundary that does not include iam:PassRole.
resource "aws_iam_policy" "task_boundary" {
  name = "task-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["ecs:*", "logs:*"], Resource = "*" }]
  })
}

resource "aws_iam_user" "ops_oncall" {
  name                 = "ops-oncall"
  permissions_boundary = aws_iam_policy.task_boundary.arn
}

resource "aws_iam_user_policy" "ops_oncall" {
  name = "oncall"
  user = aws_iam_user.ops_oncall.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"], Resource = "*" }]
  })
}

# trap: codebuild-create-project: can create projects but never start a build.
resource "aws_iam_role" "build_author" {
  name               = "build-author"
  assume_role_policy = data.aws_iam_policy_document.compute_trust.json
}

resource "aws_iam_role_policy" "build_author" {
  name = "builds"
  role = aws_iam_role.build_author.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["codebuild:CreateProject", "codebuild:BatchGet*"], Resource = "*" },
      {
        Effect    = "Allow"
        Action    = "iam:PassRole"
        Resource  = "*"
        Condition = { StringEquals = { "iam:PassedToService" = "codebuild.amazonaws.com" } }
      },
    ]
  })
}

# trap: apprunner-create-service: PassRole to the worker role only.
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
      { Effect = "Allow", Action = "apprunner:CreateService", Resource = "*" },
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.app_worker.arn },
    ]
  })
}
