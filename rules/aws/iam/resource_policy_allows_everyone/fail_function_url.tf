# A webhook receiver behind a Lambda function URL without authentication: the AWS provider adds
# the statement FunctionURLAllowPublicAccess (lambda:InvokeFunctionUrl to "*") for authorization_type NONE.
variable "webhook_auth" {
  type    = string
  default = "NONE"
}

resource "aws_lambda_function" "webhook" {
  function_name = "github-webhook"
  role          = "arn:aws:iam::111122223333:role/github-webhook"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "webhook.zip"
}

resource "aws_lambda_function_url" "webhook" {
  function_name      = aws_lambda_function.webhook.function_name
  authorization_type = var.webhook_auth # expect: AWS-IAM-036

  cors {
    allow_origins = ["https://github.com"]
    allow_methods = ["POST"]
  }
}

resource "aws_lambda_function" "status" {
  function_name = "status-page"
  role          = "arn:aws:iam::111122223333:role/status-page"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "status.zip"
}

resource "aws_lambda_function_url" "status" {
  function_name      = aws_lambda_function.status.function_name
  authorization_type = "NONE" # expect: AWS-IAM-036
}

# Written out as well, as many modules do: the same grant, said where it is written.
resource "aws_lambda_permission" "status_url" {
  statement_id           = "AllowPublicFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.status.function_name
  principal              = "*" # expect: AWS-IAM-036
  function_url_auth_type = "NONE"
}
