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

# trap: iam-write-role-policy: the build role it takes over is capped by its permission boundary
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

# trap: iam-write-user-policy: only read-only policies (iam:PolicyARN) and no inline policy (Deny)
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

# trap: iam-create-policy-version-of-other: the lead may assume the auditor role, but the policy it
# maintains is attached to the reporting role, which it cannot become
resource "aws_iam_policy" "reporting" {
  name = "reporting"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["cloudwatch:GetMetricData"], Resource = "*" }]
  })
}

resource "aws_iam_role" "reporting" {
  name = "reporting"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "reporting" {
  role       = aws_iam_role.reporting.name
  policy_arn = aws_iam_policy.reporting.arn
}

resource "aws_iam_user" "compliance_lead" {
  name = "compliance-lead"
}

resource "aws_iam_role" "auditor" {
  name = "auditor"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_user.compliance_lead.arn }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "auditor" {
  role       = aws_iam_role.auditor.name
  policy_arn = "arn:aws:iam::aws:policy/SecurityAudit"
}

resource "aws_iam_user_policy" "compliance_lead" {
  name = "maintain-reporting-policy"
  user = aws_iam_user.compliance_lead.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.auditor.arn },
      { Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = aws_iam_policy.reporting.arn },
    ]
  })
}
