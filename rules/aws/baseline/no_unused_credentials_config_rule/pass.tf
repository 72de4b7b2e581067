resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/aws-config"

  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

# deployed through a conformance pack
resource "aws_config_conformance_pack" "iam" {
  name = "iam-baseline"

  template_body = <<-EOT
    Parameters:
      MaxCredentialUsageAge:
        Type: String
        Default: "45"
    Resources:
      UnusedCredentials:
        Type: AWS::Config::ConfigRule
        Properties:
          ConfigRuleName: iam-user-unused-credentials-check
          Source:
            Owner: AWS
            SourceIdentifier: IAM_USER_UNUSED_CREDENTIALS_CHECK
          InputParameters:
            maxCredentialUsageAge:
              Ref: MaxCredentialUsageAge
  EOT

  depends_on = [aws_config_configuration_recorder.main]
}
