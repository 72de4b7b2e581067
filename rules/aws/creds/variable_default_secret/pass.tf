variable "db_password" {
  description = "Password of the reporting database, from TF_VAR_db_password"
  type        = string
  sensitive   = true
}

variable "db_password_secret_arn" {
  type    = string
  default = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:reporting/db"
}

variable "api_token" {
  type    = string
  default = "" # set in the CI secret store
}

variable "admin_password" {
  type    = string
  default = "CHANGE_ME"
}

variable "token_ttl" {
  type    = number
  default = 3600
}

variable "db_password_parameter" {
  type    = string
  default = "/reporting/db/password"
}

data "aws_secretsmanager_secret_version" "db" {
  secret_id = var.db_password_secret_arn
}
