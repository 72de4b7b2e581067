# More ways to run code as a passed administrator role (pathfinding.cloud, PMapper, awspx).
data "aws_iam_policy_document" "automation_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type = "Service"
      identifiers = [
        "bedrock-agentcore.amazonaws.com",
        "cloudformation.amazonaws.com",
        "ec2.amazonaws.com",
        "glue.amazonaws.com",
        "lambda.amazonaws.com",
        "states.amazonaws.com",
      ]
    }
  }
}

resource "aws_iam_role" "automation" {
  name               = "automation-admin"
  assume_role_policy = data.aws_iam_policy_document.automation_trust.json
}

resource "aws_iam_role_policy_attachment" "automation" {
  role       = aws_iam_role.automation.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

locals {
  pass_automation = {
    Effect   = "Allow"
    Action   = "iam:PassRole"
    Resource = aws_iam_role.automation.arn
  }
}

# lambda-create-and-add-permission: the function's resource policy lets its author invoke it
resource "aws_iam_user" "integrations" {
  name = "integrations"
}

resource "aws_iam_user_policy" "integrations" {
  name = "webhooks"
  user = aws_iam_user.integrations.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.pass_automation, # expect: AWS-IAM-103
      { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:AddPermission"], Resource = "*" },
    ]
  })
}

# stepfunctions-create-state-machine
resource "aws_iam_user" "workflow_author" {
  name = "workflow-author"
}

data "aws_iam_policy_document" "workflow_author" {
  statement { # expect: AWS-IAM-103
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.automation.arn]
  }

  statement {
    actions   = ["states:CreateStateMachine", "states:StartExecution"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "workflow_author" {
  name   = "workflows"
  user   = aws_iam_user.workflow_author.name
  policy = data.aws_iam_policy_document.workflow_author.json
}

# bedrock-agentcore-code-interpreter
resource "aws_iam_role" "agent_builder" {
  name = "agent-builder"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "agent_builder" {
  name = "agentcore"
  role = aws_iam_role.agent_builder.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.pass_automation, # expect: AWS-IAM-103
      {
        Effect = "Allow"
        Action = [
          "bedrock-agentcore:CreateCodeInterpreter",
          "bedrock-agentcore:StartCodeInterpreterSession",
          "bedrock-agentcore:InvokeCodeInterpreter",
        ]
        Resource = "*"
      },
    ]
  })
}

# cloudformation-create-stack-set and cloudformation-update-stack-set
resource "aws_iam_group" "landing_zone" {
  name = "landing-zone"
}

resource "aws_iam_group_policy" "landing_zone" {
  name  = "stack-sets"
  group = aws_iam_group.landing_zone.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.pass_automation, # expect: AWS-IAM-103
      {
        Effect   = "Allow"
        Action   = ["cloudformation:CreateStackSet", "cloudformation:CreateStackInstances"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_user" "stack_set_operator" {
  name = "stack-set-operator"
}

resource "aws_iam_user_policy" "stack_set_operator" {
  name = "update-stack-sets"
  user = aws_iam_user.stack_set_operator.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.pass_automation, # expect: AWS-IAM-103
      { Effect = "Allow", Action = "cloudformation:UpdateStackSet", Resource = "*" },
    ]
  })
}

# glue-update-job
resource "aws_iam_user" "etl_developer" {
  name = "etl-developer"
}

resource "aws_iam_user_policy" "etl_developer" {
  name = "glue-jobs"
  user = aws_iam_user.etl_developer.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.pass_automation, # expect: AWS-IAM-103
      { Effect = "Allow", Action = ["glue:UpdateJob", "glue:StartJobRun", "glue:GetJob"], Resource = "*" },
    ]
  })
}

# ec2-associate-instance-profile: onto an instance it can run commands on
resource "aws_iam_user" "fleet_operator" {
  name = "fleet-operator"
}

resource "aws_iam_user_policy" "fleet_operator" {
  name = "profiles"
  user = aws_iam_user.fleet_operator.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.pass_automation, # expect: AWS-IAM-103
      {
        Effect   = "Allow"
        Action   = ["ec2:ReplaceIamInstanceProfileAssociation", "ssm:SendCommand"]
        Resource = "*"
      },
    ]
  })
}
