resource "aws_iam_user" "ci_deployer" {
  name = "ci-deployer"
}

resource "aws_iam_user_login_profile" "ci_deployer" { # expect: AWS-IAM-052
  user                    = aws_iam_user.ci_deployer.name
  password_reset_required = true
}

resource "aws_iam_user" "reports" {
  name = "quarterly-reports"
}

resource "aws_iam_access_key" "reports" {
  user = aws_iam_user.reports.name
}

resource "aws_iam_user_login_profile" "reports" { # expect: AWS-IAM-052
  user = aws_iam_user.reports.name
}

resource "github_actions_secret" "reports_secret" {
  repository      = "quarterly-reports"
  secret_name     = "AWS_SECRET_ACCESS_KEY"
  plaintext_value = aws_iam_access_key.reports.secret
}
