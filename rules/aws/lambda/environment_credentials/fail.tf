variable "stripe_api_key" {
  type      = string
  sensitive = true
}

resource "aws_iam_user" "exporter" {
  name = "report-exporter"
}

resource "aws_iam_access_key" "exporter" {
  user = aws_iam_user.exporter.name
}

resource "aws_lambda_function" "exporter" {
  function_name = "report-exporter"
  role          = "arn:aws:iam::111122223333:role/report-exporter"
  runtime       = "python3.12"
  handler       = "export.handler"
  filename      = "exporter.zip"

  environment {
    variables = {
      EXPORT_BUCKET         = "example-reports"
      AWS_KEY_ID            = aws_iam_access_key.exporter.id     # expect: AWS-LAMBDA-001
      AWS_KEY_SECRET        = aws_iam_access_key.exporter.secret # expect: AWS-LAMBDA-001
      LEGACY_ACCESS_KEY_ID  = "AKIAIOSFODNN7EXAMPLE"             # expect: AWS-LAMBDA-001
      SFTP_PASSWORD         = "Tr4nsfer!Nightly"                 # expect: AWS-LAMBDA-001
      STRIPE_API_KEY        = var.stripe_api_key
    }
  }
}
