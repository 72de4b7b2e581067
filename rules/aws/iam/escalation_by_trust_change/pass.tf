# Near misses: trust policies the caller may change belong to ordinary roles only.
resource "aws_iam_role" "org_admin" {
  name = "org-admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "sts:AssumeRole" }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_iam_role" "app_reader" {
  name = "reader"
  path = "/app/"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "app_reader" {
  name = "read"
  role = aws_iam_role.app_reader.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::app-data/*" }]
  })
}

# trap: iam-update-assume-role-policy: only roles under the /app/ path.
resource "aws_iam_role" "role_maintainer" {
  name = "role-maintainer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "role_maintainer" {
  statement {
    actions   = ["iam:UpdateAssumeRolePolicy"]
    resources = ["arn:aws:iam::*:role/app/*"]
  }
}

resource "aws_iam_role_policy" "role_maintainer" {
  name   = "maintain"
  role   = aws_iam_role.role_maintainer.id
  policy = data.aws_iam_policy_document.role_maintainer.json
}

# trap: iam-update-assume-role-policy: only the ordinary reader role, by reference.
resource "aws_iam_user" "app_owner" {
  name = "app-owner"
}

resource "aws_iam_user_policy" "app_owner" {
  name = "trust"
  user = aws_iam_user.app_owner.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:UpdateAssumeRolePolicy", Resource = aws_iam_role.app_reader.arn }]
  })
}
