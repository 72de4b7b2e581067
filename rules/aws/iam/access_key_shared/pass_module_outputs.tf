# A user module hands its key out through its outputs: the secret and the SES SMTP password
# derived from it go to the same reader (whoever calls the module or reads its state), so the key
# has one consumer. Handing a secret out through outputs is AWS-IAM-051's finding.
resource "aws_iam_user" "mailer" {
  name = "mailer"
}

resource "aws_iam_access_key" "mailer" {
  user = aws_iam_user.mailer.name
}

output "access_key_secret" {
  value     = aws_iam_access_key.mailer.secret
  sensitive = true
}

output "ses_smtp_password_v4" {
  value     = aws_iam_access_key.mailer.ses_smtp_password_v4
  sensitive = true
}
