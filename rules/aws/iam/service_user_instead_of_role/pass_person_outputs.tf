# A person's key handed to her through a sensitive output (AWS-IAM-051 reports the output): the
# name says nothing about software, so it is not a service user.
resource "aws_iam_user" "maria" {
  name = "maria.lopez"
}

resource "aws_iam_access_key" "maria" {
  user = aws_iam_user.maria.name
}

output "maria_secret" {
  value     = aws_iam_access_key.maria.secret
  sensitive = true
}
