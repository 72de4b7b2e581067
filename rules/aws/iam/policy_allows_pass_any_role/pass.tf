# PassRole limited to named roles, or to every role but only towards one service; a Deny.
resource "aws_iam_role" "task" {
  name = "app-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

data "aws_iam_policy_document" "deployer" {
  statement {
    sid       = "PassTheTaskRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.task.arn]
  }

  statement {
    sid       = "PassToLambdaOnly"
    actions   = ["iam:PassRole"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["lambda.amazonaws.com"]
    }
  }

  statement {
    sid       = "NeverPassAdmin"
    effect    = "Deny"
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "deployer" {
  name   = "deployer"
  policy = data.aws_iam_policy_document.deployer.json
}
