variable "environment" {
  type    = string
  default = "prod"
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_ssm_parameter" "db_password" {
  name  = "/${var.environment}/orders/db_password"
  type  = "String" # expect: AWS-SSM-001
  value = var.db_password
}

resource "aws_ssm_parameter" "legacy_key" {
  name  = "/${var.environment}/legacy/aws-key-id"
  type  = "String"
  value = "AKIAIOSFODNN7EXAMPLE" # expect: AWS-SSM-001
}

resource "aws_ssm_parameter" "tokens" {
  name  = "/${var.environment}/integrations/ApiToken"
  type  = "StringList" # expect: AWS-SSM-001
  value = "placeholder"

  lifecycle {
    ignore_changes = [value]
  }
}
