resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/aws-config"

  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

locals {
  managed_rules = {
    "root-account-mfa-enabled" = "ROOT_ACCOUNT_MFA_ENABLED"
    "access-keys-rotated" = "ACCESS_KEYS_ROTATED"
  }
}

resource "aws_config_config_rule" "managed" {
  for_each = local.managed_rules
  name     = each.key

  source {
    owner             = "AWS"
    source_identifier = each.value
  }

  depends_on = [aws_config_configuration_recorder.main]
}
