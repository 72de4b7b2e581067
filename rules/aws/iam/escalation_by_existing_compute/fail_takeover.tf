# Existing compute that runs as an administrator role, taken over without iam:PassRole.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "platform_trust" {
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
      ]
    }
  }
}

resource "aws_iam_role" "platform" {
  name               = "platform-admin"
  assume_role_policy = data.aws_iam_policy_document.platform_trust.json
}

resource "aws_iam_role_policy_attachment" "platform" {
  role       = aws_iam_role.platform.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_instance_profile" "platform" {
  name = "platform-admin"
  role = aws_iam_role.platform.name
}

# cloudformation-update-stack and cloudformation-change-set: a stack deployed with a service role
resource "aws_cloudformation_stack" "network" {
  name         = "network"
  iam_role_arn = aws_iam_role.platform.arn
  template_url = "https://s3.amazonaws.com/templates/network.yaml"
}

resource "aws_iam_user" "network_engineer" {
  name = "network-engineer"
}

resource "aws_iam_user_policy" "network_engineer" {
  name = "stack-updates"
  user = aws_iam_user.network_engineer.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-104
      Effect   = "Allow"
      Action   = ["cloudformation:UpdateStack", "cloudformation:DescribeStacks"]
      Resource = aws_cloudformation_stack.network.id
    }]
  })
}

resource "aws_iam_user" "release_manager" {
  name = "release-manager"
}

resource "aws_iam_user_policy" "release_manager" {
  name = "change-sets"
  user = aws_iam_user.release_manager.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-104
      Effect   = "Allow"
      Action   = ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"]
      Resource = "arn:aws:cloudformation:*:${data.aws_caller_identity.current.account_id}:stack/network/*"
    }]
  })
}

# ec2-modify-user-data: the instance's user data, then a restart
resource "aws_instance" "build_agent" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.large"
  iam_instance_profile = aws_iam_instance_profile.platform.name
}

resource "aws_iam_role" "agent_maintenance" {
  name = "agent-maintenance"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "agent_maintenance" {
  name = "restart-agents"
  role = aws_iam_role.agent_maintenance.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-104
      Effect   = "Allow"
      Action   = ["ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"]
      Resource = "*"
    }]
  })
}

# ec2-launch-template-version: a template an Auto Scaling group launches from
resource "aws_launch_template" "workers" {
  name_prefix   = "workers-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "m6i.large"

  iam_instance_profile {
    name = aws_iam_instance_profile.platform.name
  }
}

resource "aws_autoscaling_group" "workers" {
  min_size            = 1
  max_size            = 4
  vpc_zone_identifier = ["subnet-0123456789abcdef0"]

  launch_template {
    id      = aws_launch_template.workers.id
    version = "$Default"
  }
}

resource "aws_iam_group" "image_builders" {
  name = "image-builders"
}

resource "aws_iam_group_policy" "image_builders" {
  name  = "roll-templates"
  group = aws_iam_group.image_builders.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-104
      Effect   = "Allow"
      Action   = ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate", "ec2:DescribeLaunchTemplates"]
      Resource = "*"
    }]
  })
}

# ecs-execute-command: running tasks of a task definition with the role
resource "aws_ecs_task_definition" "scheduler" {
  family                = "scheduler"
  task_role_arn         = aws_iam_role.platform.arn
  container_definitions = jsonencode([{ name = "scheduler", image = "scheduler:latest", essential = true }])
}

resource "aws_iam_user" "platform_oncall" {
  name = "platform-oncall"
}

resource "aws_iam_user_policy" "platform_oncall" {
  name = "debug-tasks"
  user = aws_iam_user.platform_oncall.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-104
      Effect   = "Allow"
      Action   = ["ecs:ExecuteCommand", "ecs:DescribeTasks"]
      Resource = "*"
    }]
  })
}

# sagemaker-lifecycle-config: a new start-up script for the notebook
resource "aws_sagemaker_notebook_instance" "analytics" {
  name          = "analytics"
  role_arn      = aws_iam_role.platform.arn
  instance_type = "ml.t3.medium"
}

resource "aws_iam_user" "data_scientist" {
  name = "data-scientist"
}

data "aws_iam_policy_document" "data_scientist" {
  statement { # expect: AWS-IAM-104
    actions = [
      "sagemaker:CreateNotebookInstanceLifecycleConfig",
      "sagemaker:UpdateNotebookInstance",
      "sagemaker:StopNotebookInstance",
      "sagemaker:StartNotebookInstance",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "data_scientist" {
  name   = "notebooks"
  user   = aws_iam_user.data_scientist.name
  policy = data.aws_iam_policy_document.data_scientist.json
}

# apprunner-update-service: a new image for the service
resource "aws_apprunner_service" "portal" {
  service_name = "portal"

  source_configuration {
    image_repository {
      image_identifier      = "public.ecr.aws/portal/web:latest"
      image_repository_type = "ECR_PUBLIC"
    }
  }

  instance_configuration {
    instance_role_arn = aws_iam_role.platform.arn
  }
}

resource "aws_iam_user" "web_developer" {
  name = "web-developer"
}

resource "aws_iam_user_policy" "web_developer" {
  name = "deploy-portal"
  user = aws_iam_user.web_developer.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-104
      Effect   = "Allow"
      Action   = ["apprunner:UpdateService", "apprunner:DescribeService"]
      Resource = aws_apprunner_service.portal.arn
    }]
  })
}

# bedrock-agentcore-code-interpreter-session: code run in the interpreter reads its execution role
resource "aws_bedrockagentcore_code_interpreter" "analysis" {
  name               = "analysis"
  execution_role_arn = aws_iam_role.platform.arn

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
    Statement = [{ # expect: AWS-IAM-104
      Effect   = "Allow"
      Action   = ["bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"]
      Resource = aws_bedrockagentcore_code_interpreter.analysis.code_interpreter_arn
    }]
  })
}
