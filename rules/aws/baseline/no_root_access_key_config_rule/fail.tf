resource "aws_config_configuration_recorder" "main" { # expect: AWS-BASELINE-006
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/aws-config"

  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

# a Config rule, but not the one this control needs
resource "aws_config_config_rule" "root_account_mfa_enabled" {
  name = "root-account-mfa-enabled"

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_MFA_ENABLED"
  }

  depends_on = [aws_config_configuration_recorder.main]
}
