# Secret-looking names written without separators, or abbreviated, stored as plain String.
variable "app_db_pass" {
  type      = string
  sensitive = true
}

resource "aws_ssm_parameter" "mysecret" {
  name  = "/app/MYSECRET"
  type  = "String" # expect: AWS-SSM-001
  value = var.app_db_pass
}

resource "aws_ssm_parameter" "db_pass" {
  name  = "/app/prod/db_pass"
  type  = "String" # expect: AWS-SSM-001
  value = var.app_db_pass
}
