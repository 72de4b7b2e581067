# Near misses: the caller can act as another principal and write its policies, but a permission
# boundary caps the principal, the policies it may attach are read-only (iam:PolicyARN), or a
# Deny removes the write.
resource "aws_iam_policy" "build_boundary" {
  name = "build-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*", "logs:*", "ecr:*"], Resource = "*" }]
  })
}

resource "aws_iam_role" "build" {
  name                 = "build"
  permissions_boundary = aws_iam_policy.build_boundary.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_user" "build_admin" {
  name = "build-admin"
}

resource "aws_iam_user_policy" "build_admin" {
  name = "manage-build-role"
  user = aws_iam_user.build_admin.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy"]
      Resource = aws_iam_role.build.arn
    }]
  })
}

resource "aws_iam_user" "report_bot" {
  name = "report-bot"
}

resource "aws_iam_user" "account_manager" {
  name = "account-manager"
}

data "aws_iam_policy_document" "account_manager" {
  statement {
    actions   = ["iam:CreateAccessKey"]
    resources = [aws_iam_user.report_bot.arn]
  }

  statement {
    actions   = ["iam:AttachUserPolicy"]
    resources = [aws_iam_user.report_bot.arn]
    condition {
      test     = "ArnEquals"
      variable = "iam:PolicyARN"
      values   = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    }
  }

  statement {
    actions   = ["iam:PutUserPolicy"]
    resources = ["*"]
  }

  statement {
    sid       = "NoInlinePolicies"
    effect    = "Deny"
    actions   = ["iam:PutUserPolicy"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "account_manager" {
  name   = "service-users"
  user   = aws_iam_user.account_manager.name
  policy = data.aws_iam_policy_document.account_manager.json
}
