resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/aws-config"

  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

# deployed to every account of the organization from the management account
resource "aws_config_organization_managed_rule" "root_access_key" {
  name            = "iam-root-access-key-check"
  rule_identifier = "IAM_ROOT_ACCESS_KEY_CHECK"
}
