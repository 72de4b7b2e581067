# Principals that can create credentials for other users, administrators included.
resource "aws_iam_user" "breakglass" {
  name = "breakglass"
}

resource "aws_iam_user_policy_attachment" "breakglass" {
  user       = aws_iam_user.breakglass.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# iam-create-access-key: a provisioning role that issues keys for any user.
resource "aws_iam_role" "provisioner" {
  name = "user-provisioner"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "provisioner" {
  statement { # expect: AWS-IAM-101
    sid       = "IssueKeys"
    actions   = ["iam:CreateUser", "iam:CreateAccessKey", "iam:TagUser"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "provisioner" {
  name   = "provision"
  role   = aws_iam_role.provisioner.id
  policy = data.aws_iam_policy_document.provisioner.json
}

# iam-create-login-profile: on the administrator user, by reference.
resource "aws_iam_user" "support" {
  name = "support"
}

resource "aws_iam_user_policy" "support" {
  name = "console-access"
  user = aws_iam_user.support.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-101
        Effect   = "Allow"
        Action   = "iam:CreateLoginProfile"
        Resource = aws_iam_user.breakglass.arn
      },
    ]
  })
}

# iam-update-login-profile: a helpdesk group that resets any password, only with MFA (medium).
resource "aws_iam_group" "helpdesk" {
  name = "helpdesk"
}

resource "aws_iam_group_policy" "helpdesk" {
  name  = "password-resets"
  group = aws_iam_group.helpdesk.name
  # expect+5: AWS-IAM-101
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ResetPasswords",
          "Effect": "Allow",
          "Action": ["iam:UpdateLoginProfile", "iam:GetLoginProfile"],
          "Resource": "arn:aws:iam::*:user/*",
          "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        }
      ]
    }
  EOT
}
