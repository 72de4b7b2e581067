# The outputs are one consumer, the CI secret another: two consumers.
resource "aws_iam_user" "relay" {
  name = "relay"
}

resource "aws_iam_access_key" "relay" { # expect: AWS-IAM-054
  user = aws_iam_user.relay.name
}

output "relay_secret" {
  value     = aws_iam_access_key.relay.secret
  sensitive = true
}

output "relay_smtp_password" {
  value     = aws_iam_access_key.relay.ses_smtp_password_v4
  sensitive = true
}

resource "github_actions_secret" "relay" {
  repository      = "mail-relay"
  secret_name     = "AWS_SECRET_ACCESS_KEY"
  plaintext_value = aws_iam_access_key.relay.secret
}
