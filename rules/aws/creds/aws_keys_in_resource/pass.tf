variable "deploy_role_arn" {
  type = string
}

resource "github_actions_secret" "deploy_role" {
  repository      = "infrastructure"
  secret_name     = "AWS_ROLE_TO_ASSUME"
  plaintext_value = var.deploy_role_arn
}

resource "aws_secretsmanager_secret" "legacy" {
  name = "legacy/aws"
}

resource "random_password" "legacy" {
  length = 40
}

resource "aws_secretsmanager_secret_version" "legacy" {
  secret_id     = aws_secretsmanager_secret.legacy.id
  secret_string = random_password.legacy.result
}

# AIDA... is the unique id of a user, not a key; a SHA-1 is not a secret key
resource "aws_s3_bucket" "audit" {
  bucket = "example-audit"
  tags = {
    owner_unique_id = "AIDAJQABLZS4A3QDU576Q"
    commit          = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
  }
}
