resource "aws_iam_user" "admin" {
  name = "admin"
}

resource "aws_iam_user_login_profile" "admin" { # expect: AWS-IAM-053
  user = aws_iam_user.admin.name
}

resource "aws_iam_user" "ops" {
  for_each = toset(["shared-ops", "prod-support"])
  name     = each.key
}

resource "aws_iam_user_login_profile" "ops" { # expect: AWS-IAM-053
  for_each = aws_iam_user.ops
  user     = each.value.name
}
