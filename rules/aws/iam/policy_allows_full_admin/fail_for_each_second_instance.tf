# The first instance ("analytics") is scoped; only the second ("platform") grants everything.
locals {
  team_actions = {
    analytics = ["athena:StartQueryExecution", "athena:GetQueryResults"]
    platform  = ["*"]
  }
}

resource "aws_iam_policy" "team" {
  for_each = local.team_actions
  name     = "team-${each.key}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-001
        Sid      = "TeamAccess"
        Effect   = "Allow"
        Action   = each.value
        Resource = "*"
      },
    ]
  })
}
