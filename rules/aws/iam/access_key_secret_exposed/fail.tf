resource "aws_iam_user" "partner" {
  name = "partner-upload"
}

resource "aws_iam_access_key" "partner" {
  user = aws_iam_user.partner.name
}

locals {
  partner_secret = aws_iam_access_key.partner.secret
}

output "partner_key_id" {
  value = aws_iam_access_key.partner.id
}

output "partner_secret" {
  value = local.partner_secret # expect: AWS-IAM-051
}

output "partner_smtp_password" {
  value     = aws_iam_access_key.partner.ses_smtp_password_v4 # expect: AWS-IAM-051
  sensitive = false
}

resource "local_file" "partner_credentials" {
  filename = "${path.module}/partner.credentials"
  # expect+4: AWS-IAM-051
  content = <<-EOT
    [partner]
    aws_access_key_id     = ${aws_iam_access_key.partner.id}
    aws_secret_access_key = ${aws_iam_access_key.partner.secret}
  EOT
}

resource "aws_ssm_parameter" "partner_secret" {
  name  = "/partner/aws-secret-access-key"
  type  = "String"
  value = aws_iam_access_key.partner.secret # expect: AWS-IAM-051
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
      value = aws_iam_access_key.partner.secret # expect: AWS-IAM-051
    }
  }

  source {
    type     = "GITHUB"
    location = "https://github.com/example/partner-sync.git"
  }
}
