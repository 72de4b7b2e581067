# A CI user whose key can create more keys and attach policies.
resource "aws_iam_user" "ci" { # expect: AWS-IAM-041
  name = "ci"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

data "aws_iam_policy_document" "ci" {
  statement {
    sid       = "ManageUsers"
    actions   = ["iam:CreateAccessKey", "iam:AttachUserPolicy", "iam:GetUser"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "ci" {
  name   = "ci"
  user   = aws_iam_user.ci.name
  policy = data.aws_iam_policy_document.ci.json
}

# An operator guarded by a Deny with "Bool aws:MultiFactorAuthPresent false": console sessions
# need MFA, but a request signed with her access key has no such key and the Deny does not match.
resource "aws_iam_user" "olivia" { # expect: AWS-IAM-041
  name = "olivia"
}

resource "aws_iam_user_policy" "olivia" {
  name = "iam-operator"
  user = aws_iam_user.olivia.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Operate", Effect = "Allow", Action = ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"], Resource = "*" },
      {
        Sid       = "RequireMfa"
        Effect    = "Deny"
        Action    = "*"
        Resource  = "*"
        Condition = { Bool = { "aws:MultiFactorAuthPresent" = "false" } }
      },
    ]
  })
}

# A deploy user who may assume an administrator role of this code; the role's trust does not
# ask for MFA.
resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_user.deploy.arn }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "deploy" { # expect: AWS-IAM-041
  name = "deploy"
}

resource "aws_iam_user_policy" "deploy" {
  name = "assume-admin"
  user = aws_iam_user.deploy.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.admin.arn }]
  })
}
