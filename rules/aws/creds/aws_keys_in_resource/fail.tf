resource "github_actions_secret" "deploy_key_id" {
  repository      = "infrastructure"
  secret_name     = "AWS_ACCESS_KEY_ID"
  plaintext_value = "AKIAIOSFODNN7EXAMPLE" # expect: AWS-CREDS-006
}

resource "aws_secretsmanager_secret" "legacy" {
  name = "legacy/aws"
}

resource "aws_secretsmanager_secret_version" "legacy" {
  secret_id = aws_secretsmanager_secret.legacy.id
  secret_string = jsonencode({
    aws_access_key_id     = "AKIAIOSFODNN7EXAMPLE"                     # expect: AWS-CREDS-006
    aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" # expect: AWS-CREDS-006
  })
}

module "uploader" {
  source         = "./modules/uploader"
  aws_secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" # expect: AWS-CREDS-006
}
