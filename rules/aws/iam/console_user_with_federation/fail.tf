variable "okta_metadata" {
  description = "SAML metadata document exported from the Okta app"
  type        = string
}

resource "aws_iam_saml_provider" "okta" {
  name                   = "okta"
  saml_metadata_document = var.okta_metadata
}

resource "aws_iam_user" "jane" {
  name = "jane.doe"
}

resource "aws_iam_user_login_profile" "jane" { # expect: AWS-IAM-057
  user                    = aws_iam_user.jane.name
  password_reset_required = true
}
