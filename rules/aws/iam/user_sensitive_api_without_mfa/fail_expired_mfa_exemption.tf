# The Deny that was meant to require MFA only applied until 2020, so nothing guards the grant any
# more; the Allow's own date condition ("until 2099") still holds for years.
resource "aws_iam_user" "payments_ops" { # expect: AWS-IAM-041
  name = "payments-ops"
}

resource "aws_iam_access_key" "payments_ops" {
  user = aws_iam_user.payments_ops.name
}

resource "aws_iam_user_policy" "payments_ops" {
  name = "payments-ops"
  user = aws_iam_user.payments_ops.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Operate"
        Effect    = "Allow"
        Action    = ["iam:CreateAccessKey", "iam:UpdateAssumeRolePolicy"]
        Resource  = "*"
        Condition = { DateLessThan = { "aws:CurrentTime" = "2099-01-01T00:00:00Z" } }
      },
      {
        Sid       = "RequireMfaUntil2020"
        Effect    = "Deny"
        Action    = "*"
        Resource  = "*"
        Condition = {
          BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" }
          DateLessThan = { "aws:CurrentTime" = "2020-01-01T00:00:00Z" }
        }
      },
    ]
  })
}
