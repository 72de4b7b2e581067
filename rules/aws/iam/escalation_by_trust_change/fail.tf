# Principals that can rewrite who may assume a role, administrator roles included.
resource "aws_iam_role" "org_admin" {
  name = "org-admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/sso-admins" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "org_admin" {
  role       = aws_iam_role.org_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# On any role.
resource "aws_iam_role" "role_maintainer" {
  name = "role-maintainer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "role_maintainer" {
  statement { # expect: AWS-IAM-102
    actions   = ["iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "role_maintainer" {
  name   = "maintain"
  role   = aws_iam_role.role_maintainer.id
  policy = data.aws_iam_policy_document.role_maintainer.json
}

# On the administrator role, by reference.
resource "aws_iam_user" "platform_engineer" {
  name = "platform-engineer"
}

resource "aws_iam_user_policy" "platform_engineer" {
  name = "trust"
  user = aws_iam_user.platform_engineer.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "iam:UpdateAssumeRolePolicy", Resource = aws_iam_role.org_admin.arn }, # expect: AWS-IAM-102
    ]
  })
}
