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

# The URL was public and is now signed: the permission written for auth type NONE is left over, and its
# condition (lambda:FunctionUrlAuthType NONE) never matches a URL that uses AWS_IAM.
resource "aws_lambda_function" "export" {
  function_name = "export-api"
  role          = "arn:aws:iam::111122223333:role/export-api"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "export.zip"
}

resource "aws_lambda_function_url" "export" {
  function_name      = aws_lambda_function.export.function_name
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_permission" "export_url" {
  statement_id           = "FunctionURLAllowPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.export.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}
