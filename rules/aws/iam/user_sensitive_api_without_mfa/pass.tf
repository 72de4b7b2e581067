# Sensitive actions behind the right guards, and users with nothing sensitive:
# - pat: Deny with BoolIfExists aws:MultiFactorAuthPresent false (keys are covered too);
# - quinn: her Allow requires MFA (Bool ... true);
# - reader: read-only, and may assume a role whose trust requires MFA;
# - self-service: manages only her own keys (resource scoped to ${aws:username}).
resource "aws_iam_user" "pat" {
  name = "pat"
}

resource "aws_iam_user_policy" "pat" {
  name = "iam-operator"
  user = aws_iam_user.pat.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:PutRolePolicy", "iam:CreateAccessKey"], Resource = "*" },
      {
        Effect    = "Deny"
        Action    = "*"
        Resource  = "*"
        Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
      },
    ]
  })
}

resource "aws_iam_user" "quinn" {
  name = "quinn"
}

data "aws_iam_policy_document" "quinn" {
  statement {
    actions   = ["iam:*", "sts:AssumeRole"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_user_policy" "quinn" {
  name   = "iam-admin-with-mfa"
  user   = aws_iam_user.quinn.name
  policy = data.aws_iam_policy_document.quinn.json
}

resource "aws_iam_role" "break_glass" {
  name = "break-glass"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_user.reader.arn }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "break_glass" {
  role       = aws_iam_role.break_glass.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "reader" {
  name = "reader"
}

resource "aws_iam_user_policy" "reader" {
  name = "reader"
  user = aws_iam_user.reader.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "iam:GetUser", "iam:ListRoles"], Resource = "*" },
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.break_glass.arn },
    ]
  })
}

resource "aws_iam_user" "self_service" {
  name = "self-service"
}

resource "aws_iam_user_policy" "self_service" {
  name = "own-credentials"
  user = aws_iam_user.self_service.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:DeleteAccessKey"]
      Resource = "arn:aws:iam::*:user/$${aws:username}"
    }]
  })
}
