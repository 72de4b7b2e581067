# Near misses of the newer pass-role methods: the role passed is not an administrator, the
# PassedToService condition names another service, or a Deny removes a needed step.
data "aws_iam_policy_document" "automation_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
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

resource "aws_iam_role" "workflow_runner" {
  name               = "workflow-runner"
  assume_role_policy = data.aws_iam_policy_document.automation_trust.json
}

resource "aws_iam_role_policy" "workflow_runner" {
  name = "run"
  role = aws_iam_role.workflow_runner.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["lambda:InvokeFunction", "sqs:SendMessage"], Resource = "*" }]
  })
}

# trap: stepfunctions-create-state-machine: only the workflow runner, which is no administrator
resource "aws_iam_user" "workflow_author" {
  name = "workflow-author"
}

resource "aws_iam_user_policy" "workflow_author" {
  name = "workflows"
  user = aws_iam_user.workflow_author.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.workflow_runner.arn },
      { Effect = "Allow", Action = ["states:CreateStateMachine", "states:StartExecution"], Resource = "*" },
    ]
  })
}

# trap: lambda-create-and-add-permission, bedrock-agentcore-code-interpreter: roles go to Glue only
resource "aws_iam_user" "integrations" {
  name = "integrations"
}

data "aws_iam_policy_document" "integrations" {
  statement {
    actions   = ["iam:PassRole"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["glue.amazonaws.com"]
    }
  }

  statement {
    actions = [
      "lambda:CreateFunction",
      "lambda:AddPermission",
      "bedrock-agentcore:CreateCodeInterpreter",
      "bedrock-agentcore:StartCodeInterpreterSession",
      "bedrock-agentcore:InvokeCodeInterpreter",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "integrations" {
  name   = "integrations"
  user   = aws_iam_user.integrations.name
  policy = data.aws_iam_policy_document.integrations.json
}

# trap: cloudformation-create-stack-set, cloudformation-update-stack-set, glue-update-job: a Deny removes the step
# trap: ec2-associate-instance-profile: a Deny removes the step that would use the role
resource "aws_iam_user" "platform_operator" {
  name = "platform-operator"
}

data "aws_iam_policy_document" "platform_operator" {
  statement {
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.automation.arn]
  }

  statement {
    actions = [
      "cloudformation:CreateStackSet",
      "cloudformation:CreateStackInstances",
      "cloudformation:UpdateStackSet",
      "glue:UpdateJob",
      "glue:StartJobRun",
      "ec2:AssociateIamInstanceProfile",
      "ssm:SendCommand",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "ReviewedChangesOnly"
    effect    = "Deny"
    actions = [
      "cloudformation:CreateStackSet",
      "cloudformation:UpdateStackSet",
      "glue:UpdateJob",
      "ec2:AssociateIamInstanceProfile",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "platform_operator" {
  name   = "platform"
  user   = aws_iam_user.platform_operator.name
  policy = data.aws_iam_policy_document.platform_operator.json
}
