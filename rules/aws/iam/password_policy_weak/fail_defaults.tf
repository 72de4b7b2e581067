# every field left to AWS's defaults: one finding per missing field, at the resource
resource "aws_iam_account_password_policy" "defaults" { # expect: AWS-IAM-056
  allow_users_to_change_password = true
}
