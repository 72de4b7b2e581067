# A deploy user for the CI system: its key is output so the pipeline setup can copy it into CI.
resource "aws_iam_user" "ci_deployer" { # expect: AWS-IAM-055
  name = "ci-deployer"
}

resource "aws_iam_access_key" "ci_deployer" {
  user = aws_iam_user.ci_deployer.name
}

output "ci_deployer_access_key_id" {
  value = aws_iam_access_key.ci_deployer.id
}

output "ci_deployer_secret_access_key" {
  value     = aws_iam_access_key.ci_deployer.secret
  sensitive = true
}
