resource "aws_iam_user" "partner" {
  name = "partner-upload"
}

resource "aws_iam_access_key" "partner" {
  user    = aws_iam_user.partner.name
  pgp_key = "keybase:platform_team"
}

# the key id is not a secret
output "partner_key_id" {
  value = aws_iam_access_key.partner.id
}

# PGP-encrypted: only the holder of the private key can read it
output "partner_encrypted_secret" {
  value = aws_iam_access_key.partner.encrypted_secret
}

resource "aws_ssm_parameter" "partner_secret" {
  name   = "/partner/aws-secret-access-key"
  type   = "SecureString"
  key_id = "alias/partner-secrets"
  value  = aws_iam_access_key.partner.secret
}

resource "aws_secretsmanager_secret" "partner" {
  name = "partner/aws-credentials"
}

resource "aws_secretsmanager_secret_version" "partner" {
  secret_id = aws_secretsmanager_secret.partner.id
  secret_string = jsonencode({
    access_key_id     = aws_iam_access_key.partner.id
    secret_access_key = aws_iam_access_key.partner.secret
  })
}

resource "aws_codebuild_project" "sync" {
  name         = "partner-sync"
  service_role = "arn:aws:iam::111122223333:role/codebuild-partner-sync"

  artifacts {
    type = "NO_ARTIFACTS"
  }

  environment {
    compute_type = "BUILD_GENERAL1_SMALL"
    image        = "aws/codebuild/standard:7.0"
    type         = "LINUX_CONTAINER"

    environment_variable {
      name  = "PARTNER_SECRET"
      type  = "SECRETS_MANAGER"
      value = "${aws_secretsmanager_secret.partner.arn}:secret_access_key"
    }
  }

  source {
    type     = "GITHUB"
    location = "https://github.com/example/partner-sync.git"
  }
}
