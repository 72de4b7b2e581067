# IAM Identity Center: a permission set's inline policy is the policy of the role it provisions in every
# account it is assigned to.
data "aws_ssoadmin_instances" "this" {}

resource "aws_ssoadmin_permission_set" "platform" {
  name         = "PlatformEngineer"
  instance_arn = tolist(data.aws_ssoadmin_instances.this.arns)[0]
}

resource "aws_ssoadmin_permission_set_inline_policy" "platform" {
  instance_arn       = aws_ssoadmin_permission_set.platform.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.platform.arn
  inline_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Everything", Effect = "Allow", Action = "*", Resource = "*" }, # expect: AWS-IAM-001
    ]
  })
}

resource "aws_ssoadmin_permission_set" "admin" {
  name         = "Administrator"
  instance_arn = tolist(data.aws_ssoadmin_instances.this.arns)[0]
}

resource "aws_ssoadmin_managed_policy_attachment" "admin" {
  instance_arn       = aws_ssoadmin_permission_set.admin.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.admin.arn
  managed_policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # expect: AWS-IAM-001
}
