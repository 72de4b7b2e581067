resource "aws_config_configuration_recorder" "main" { # expect: AWS-BASELINE-005
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/aws-config"

  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

# a Config rule, but not the one this control needs
resource "aws_config_config_rule" "access_keys_rotated" {
  name = "access-keys-rotated"

  source {
    owner             = "AWS"
    source_identifier = "ACCESS_KEYS_ROTATED"
  }

  depends_on = [aws_config_configuration_recorder.main]
}
