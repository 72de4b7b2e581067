# Marked sensitive, but still handed out: the secret is in the state, and `terraform output
# -raw partner_secret` prints it for whoever runs it.
resource "aws_iam_user" "partner" {
  name = "partner-upload"
}

resource "aws_iam_access_key" "partner" {
  user = aws_iam_user.partner.name
}

output "partner_secret" {
  value     = aws_iam_access_key.partner.secret # expect: AWS-IAM-051
  sensitive = true
}
