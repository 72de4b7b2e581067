# The provisioner may create roles only with the team permission boundary
# (iam:PermissionsBoundary), so a role it creates can never be an administrator.
# trap: iam-create-role-with-policy: every role it creates carries the team boundary
data "aws_caller_identity" "current" {}

resource "aws_iam_policy" "team_boundary" {
  name = "team-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*", "dynamodb:*", "logs:*"], Resource = "*" }]
  })
}

resource "aws_iam_role" "provisioner" {
  name = "team-provisioner"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "provisioner" {
  statement {
    sid       = "CreateBoundedRoles"
    actions   = ["iam:CreateRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"]
    resources = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/team/*"]

    condition {
      test     = "ArnEquals"
      variable = "iam:PermissionsBoundary"
      values   = [aws_iam_policy.team_boundary.arn]
    }
  }
}

resource "aws_iam_role_policy" "provisioner" {
  name   = "create-team-roles"
  role   = aws_iam_role.provisioner.id
  policy = data.aws_iam_policy_document.provisioner.json
}
