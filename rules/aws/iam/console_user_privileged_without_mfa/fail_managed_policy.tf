# A data engineer with a console password and AWSGlueConsoleFullAccess, no MFA condition: the policy
# grants glue:PutResourcePolicy and glue:DeleteResourcePolicy (Permissions management) on *.
resource "aws_iam_user" "etl" { # expect: AWS-IAM-040
  name = "etl"
}

resource "aws_iam_user_login_profile" "etl" {
  user = aws_iam_user.etl.name
}

resource "aws_iam_user_policy_attachment" "etl" {
  user       = aws_iam_user.etl.name
  policy_arn = "arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess"
}
