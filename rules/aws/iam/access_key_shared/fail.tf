resource "aws_iam_user" "integration" {
  name = "integration"
}

resource "aws_iam_access_key" "integration" { # expect: AWS-IAM-054
  user = aws_iam_user.integration.name
}

resource "aws_secretsmanager_secret" "integration" {
  name = "integration/aws-credentials"
}

resource "aws_secretsmanager_secret_version" "integration" {
  secret_id = aws_secretsmanager_secret.integration.id
  secret_string = jsonencode({
    id     = aws_iam_access_key.integration.id
    secret = aws_iam_access_key.integration.secret
  })
}

resource "github_actions_secret" "billing_sync" {
  repository      = "billing-sync"
  secret_name     = "AWS_SECRET_ACCESS_KEY"
  plaintext_value = aws_iam_access_key.integration.secret
}

resource "github_actions_secret" "crm_export" {
  repository      = "crm-export"
  secret_name     = "AWS_SECRET_ACCESS_KEY"
  plaintext_value = aws_iam_access_key.integration.secret
}
