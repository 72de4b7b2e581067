# nonsensitive() strips Terraform's redaction: the secret is printed by every plan and apply.
resource "aws_iam_user" "reporter" {
  name = "reporter"
}

resource "aws_iam_access_key" "reporter" {
  user = aws_iam_user.reporter.name
}

output "reporter_secret" {
  value = nonsensitive(aws_iam_access_key.reporter.secret) # expect: AWS-IAM-051
}
