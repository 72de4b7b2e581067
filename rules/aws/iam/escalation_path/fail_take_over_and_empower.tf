# Two steps by the same caller: one lets it act as another principal, the other makes that
# principal an administrator (pathfinding.cloud iam-015 to iam-021).

# iam-write-role-policy: rewrite the build role's trust to let itself in, then attach a policy to it
resource "aws_iam_role" "build" {
  name = "build"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "build" {
  name = "artifacts"
  role = aws_iam_role.build.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:PutObject", "s3:GetObject"], Resource = "arn:aws:s3:::artifacts/*" }]
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
    Statement = [{ # expect: AWS-IAM-110
      Effect   = "Allow"
      Action   = ["iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:GetRole"]
      Resource = aws_iam_role.build.arn
    }]
  })
}

# iam-write-user-policy: create the report bot's access key, and write its inline policy
resource "aws_iam_user" "report_bot" {
  name = "report-bot"
}

resource "aws_iam_role" "account_manager" {
  name = "account-manager"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "account_manager" {
  statement { # expect: AWS-IAM-110
    sid       = "ServiceUsers"
    actions   = ["iam:CreateAccessKey", "iam:PutUserPolicy", "iam:ListAccessKeys"]
    resources = [aws_iam_user.report_bot.arn]
  }
}

resource "aws_iam_role_policy" "account_manager" {
  name   = "service-users"
  role   = aws_iam_role.account_manager.id
  policy = data.aws_iam_policy_document.account_manager.json
}

# iam-create-policy-version-of-other: assume the auditor role, then rewrite its managed policy
resource "aws_iam_policy" "audit" {
  name = "audit"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["cloudtrail:LookupEvents", "config:Get*"], Resource = "*" }]
  })
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
  policy_arn = aws_iam_policy.audit.arn
}

resource "aws_iam_user_policy" "compliance_lead" {
  name = "maintain-audit-policy"
  user = aws_iam_user.compliance_lead.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.auditor.arn }, # expect: AWS-IAM-110
      { Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = aws_iam_policy.audit.arn },
    ]
  })
}
