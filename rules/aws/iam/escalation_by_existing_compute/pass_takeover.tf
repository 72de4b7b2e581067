# Near misses of taking over existing compute: the compute runs as a role that is not an
# administrator, a Deny or a permission boundary blocks the change, or a step is missing.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "service_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type = "Service"
      identifiers = [
        "cloudformation.amazonaws.com",
        "ec2.amazonaws.com",
        "ecs-tasks.amazonaws.com",
        "sagemaker.amazonaws.com",
        "tasks.apprunner.amazonaws.com",
        "bedrock-agentcore.amazonaws.com",
      ]
    }
  }
}

resource "aws_iam_role" "platform" {
  name               = "platform-admin"
  assume_role_policy = data.aws_iam_policy_document.service_trust.json
}

resource "aws_iam_role_policy_attachment" "platform" {
  role       = aws_iam_role.platform.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "reader" {
  name               = "reader"
  assume_role_policy = data.aws_iam_policy_document.service_trust.json
}

resource "aws_iam_role_policy_attachment" "reader" {
  role       = aws_iam_role.reader.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_instance_profile" "reader" {
  name = "reader"
  role = aws_iam_role.reader.name
}

# trap: cloudformation-update-stack: the stack's service role is read-only
resource "aws_cloudformation_stack" "dashboards" {
  name         = "dashboards"
  iam_role_arn = aws_iam_role.reader.arn
  template_url = "https://s3.amazonaws.com/templates/dashboards.yaml"
}

resource "aws_iam_user" "analyst" {
  name = "analyst"
}

resource "aws_iam_user_policy" "analyst" {
  name = "dashboards"
  user = aws_iam_user.analyst.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["cloudformation:UpdateStack", "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"]
      Resource = aws_cloudformation_stack.dashboards.id
    }]
  })
}

# trap: cloudformation-change-set: it may propose changes, not execute them
resource "aws_cloudformation_stack" "core" {
  name         = "core"
  iam_role_arn = aws_iam_role.platform.arn
  template_url = "https://s3.amazonaws.com/templates/core.yaml"
}

resource "aws_iam_user" "reviewer" {
  name = "reviewer"
}

resource "aws_iam_user_policy" "reviewer" {
  name = "propose-changes"
  user = aws_iam_user.reviewer.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet"]
      Resource = aws_cloudformation_stack.core.id
    }]
  })
}

# trap: ec2-modify-user-data, ec2-launch-template-version: only the read-only fleet
resource "aws_instance" "kiosk" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.reader.name
}

resource "aws_launch_template" "kiosks" {
  name          = "kiosks"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"

  iam_instance_profile {
    arn = aws_iam_instance_profile.reader.arn
  }
}

resource "aws_iam_role" "fleet_maintenance" {
  name = "fleet-maintenance"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "fleet_maintenance" {
  name = "kiosks"
  role = aws_iam_role.fleet_maintenance.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"]
        Resource = aws_instance.kiosk.arn
      },
      {
        Effect   = "Allow"
        Action   = ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"]
        Resource = aws_launch_template.kiosks.arn
      },
    ]
  })
}

# trap: ecs-execute-command: a Deny keeps ECS Exec away from every task
resource "aws_ecs_task_definition" "scheduler" {
  family                = "scheduler"
  task_role_arn         = aws_iam_role.platform.arn
  container_definitions = jsonencode([{ name = "scheduler", image = "scheduler:latest", essential = true }])
}

resource "aws_iam_user" "developer" {
  name = "developer"
}

data "aws_iam_policy_document" "developer" {
  statement {
    actions   = ["ecs:*"]
    resources = ["*"]
  }

  statement {
    sid       = "NoShellsInTasks"
    effect    = "Deny"
    actions   = ["ecs:ExecuteCommand"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "developer" {
  name   = "ecs"
  user   = aws_iam_user.developer.name
  policy = data.aws_iam_policy_document.developer.json
}

# trap: sagemaker-lifecycle-config: the permission boundary leaves notebooks alone
resource "aws_sagemaker_notebook_instance" "analytics" {
  name          = "analytics"
  role_arn      = aws_iam_role.platform.arn
  instance_type = "ml.t3.medium"
}

resource "aws_iam_policy" "ml_boundary" {
  name = "ml-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["sagemaker:Describe*", "sagemaker:List*", "sagemaker:CreateTrainingJob"], Resource = "*" },
    ]
  })
}

resource "aws_iam_user" "ml_engineer" {
  name                 = "ml-engineer"
  permissions_boundary = aws_iam_policy.ml_boundary.arn
}

resource "aws_iam_user_policy" "ml_engineer" {
  name = "sagemaker"
  user = aws_iam_user.ml_engineer.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sagemaker:*", Resource = "*" }]
  })
}

# trap: apprunner-update-service: only the read-only service
resource "aws_apprunner_service" "status_page" {
  service_name = "status-page"

  source_configuration {
    image_repository {
      image_identifier      = "public.ecr.aws/status/page:latest"
      image_repository_type = "ECR_PUBLIC"
    }
  }

  instance_configuration {
    instance_role_arn = aws_iam_role.reader.arn
  }
}

resource "aws_iam_user" "web_developer" {
  name = "web-developer"
}

resource "aws_iam_user_policy" "web_developer" {
  name = "deploy-status-page"
  user = aws_iam_user.web_developer.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["apprunner:UpdateService", "apprunner:DescribeService"]
      Resource = aws_apprunner_service.status_page.arn
    }]
  })
}

# trap: bedrock-agentcore-code-interpreter-session: the interpreter runs as the read-only role
resource "aws_bedrockagentcore_code_interpreter" "analysis" {
  name               = "analysis"
  execution_role_arn = aws_iam_role.reader.arn

  network_configuration {
    network_mode = "SANDBOX"
  }
}

resource "aws_iam_role" "agent" {
  name = "support-agent"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "agent" {
  name = "code-interpreter"
  role = aws_iam_role.agent.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"]
      Resource = aws_bedrockagentcore_code_interpreter.analysis.code_interpreter_arn
    }]
  })
}
