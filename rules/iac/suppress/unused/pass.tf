data "aws_iam_policy_document" "break_glass" {
  # iamready:ignore[AWS-IAM-001] break-glass role, MFA-only, approved in SEC-1234
  statement {
    sid       = "BreakGlass"
    actions   = ["*"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_policy" "break_glass" {
  name   = "break-glass"
  policy = data.aws_iam_policy_document.break_glass.json
}

resource "aws_iam_role" "platform" {
  name = "platform-admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/sso-platform" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "platform_admin" {
  role       = aws_iam_role.platform.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # iamready:ignore[AWS-IAM-001] platform team, SEC-77
}
