data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "ci" {
  statement { # expect: AWS-IAM-030
    sid       = "PassAnything"
    actions   = ["iam:PassRole", "ecs:RunTask"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "ci" {
  name   = "ci"
  policy = data.aws_iam_policy_document.ci.json
}

resource "aws_iam_role" "scheduler" {
  name = "scheduler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "launch"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { # expect: AWS-IAM-030
          Sid      = "PassEveryRoleOfTheAccount"
          Effect   = "Allow"
          Action   = "iam:Pass*"
          Resource = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/*"
          # a wildcard service list limits nothing
          Condition = { StringLike = { "iam:PassedToService" = "*" } }
        },
      ]
    })
  }
}
