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
