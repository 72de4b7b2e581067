variable "environment" {
  type    = string
  default = "prod"
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_ssm_parameter" "db_password" {
  name   = "/${var.environment}/orders/db_password"
  type   = "SecureString"
  key_id = "alias/orders"
  value  = var.db_password
}

# names that point at a secret or describe it are not secrets
resource "aws_ssm_parameter" "db_password_secret_arn" {
  name  = "/${var.environment}/orders/db_password_secret_arn"
  type  = "String"
  value = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/db"
}

resource "aws_ssm_parameter" "token_ttl" {
  name           = "/${var.environment}/orders/token_ttl"
  type           = "String"
  insecure_value = "3600"
}
