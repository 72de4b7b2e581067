variable "environment" {
  type    = string
  default = "prod"
}

data "aws_secretsmanager_secret" "smtp" {
  name = "${var.environment}/smtp"
}

locals {
  worker_env = {
    LOG_LEVEL        = "info"
    SMTP_SECRET_ARN  = data.aws_secretsmanager_secret.smtp.arn
    SMTP_PASSWORD    = "{{resolve:secretsmanager:${var.environment}/smtp:SecretString:password}}"
    API_TOKEN_PARAM  = "/${var.environment}/worker/api-token"
  }
  smtp_password_parameter = "/${var.environment}/smtp/password"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::111122223333:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "worker.zip"

  environment {
    variables = local.worker_env
  }
}
