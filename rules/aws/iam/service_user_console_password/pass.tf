# a person: console access, no keys handed to software
resource "aws_iam_user" "jane" {
  name = "jane.doe"
}

resource "aws_iam_user_login_profile" "jane" {
  user                    = aws_iam_user.jane.name
  password_reset_required = true
}

# a service user with keys but no password
resource "aws_iam_user" "ci_deployer" {
  name = "ci-deployer"
}

resource "aws_iam_access_key" "ci_deployer" {
  user = aws_iam_user.ci_deployer.name
}

resource "github_actions_secret" "deployer_secret" {
  repository      = "infrastructure"
  secret_name     = "AWS_SECRET_ACCESS_KEY"
  plaintext_value = aws_iam_access_key.ci_deployer.secret
}
