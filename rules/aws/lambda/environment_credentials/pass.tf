data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "exporter" {
  name               = "report-exporter"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_secretsmanager_secret" "sftp" {
  name = "report-exporter/sftp"
}

resource "aws_lambda_function" "exporter" {
  function_name = "report-exporter"
  role          = aws_iam_role.exporter.arn
  runtime       = "python3.12"
  handler       = "export.handler"
  filename      = "exporter.zip"

  environment {
    variables = {
      EXPORT_BUCKET        = "example-reports"
      SFTP_PASSWORD_SECRET = aws_secretsmanager_secret.sftp.arn
      SFTP_PASSWORD        = "{{resolve:secretsmanager:report-exporter/sftp}}"
      API_TOKEN_PARAMETER  = "/report-exporter/api-token"
      TOKEN_TTL_SECONDS    = "3600"
    }
  }
}
