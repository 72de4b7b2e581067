# Function URLs that only signed requests reach: AWS_IAM auth, callers named in the function's policy.
resource "aws_lambda_function" "reports" {
  function_name = "reports-api"
  role          = "arn:aws:iam::111122223333:role/reports-api"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "reports.zip"
}

resource "aws_lambda_function_url" "reports" {
  function_name      = aws_lambda_function.reports.function_name
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_permission" "reports_url" {
  statement_id           = "AllowDashboardRole"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.reports.function_name
  principal              = "arn:aws:iam::111122223333:role/dashboard"
  function_url_auth_type = "AWS_IAM"
}
