locals {
  deploy_key_id = "AKIAIOSFODNN7EXAMPLE" # expect: AWS-CREDS-004

  worker_env = {
    AWS_ACCESS_KEY_ID     = "AKIAIOSFODNN7EXAMPLE"                     # expect: AWS-CREDS-004
    AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" # expect: AWS-CREDS-004
    LOG_LEVEL             = "info"
  }

  smtp_password = "Smtp-Relay-2024!" # expect: AWS-CREDS-004
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
