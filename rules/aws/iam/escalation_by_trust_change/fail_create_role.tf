# iam-create-role-with-policy: the caller writes the new role's trust policy (naming itself) and
# then its permissions.
resource "aws_iam_role" "provisioner" {
  name = "team-provisioner"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "provisioner" {
  name = "create-team-roles"
  role = aws_iam_role.provisioner.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-102
      Effect   = "Allow"
      Action   = ["iam:CreateRole", "iam:AttachRolePolicy", "iam:TagRole"]
      Resource = "*"
    }]
  })
}
