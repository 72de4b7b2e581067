data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "thumbnailer" {
  name               = "thumbnailer"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_lambda_function" "thumbnailer" {
  function_name = "thumbnailer"
  role          = aws_iam_role.thumbnailer.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "thumbnailer.zip"
}

# a person's key, shown once to its owner (sensitive output), not handed to software
resource "aws_iam_user" "jane" {
  name = "jane.doe"
}

resource "aws_iam_access_key" "jane" {
  user    = aws_iam_user.jane.name
  pgp_key = "keybase:jane_doe"
}

output "jane_encrypted_secret" {
  value = aws_iam_access_key.jane.encrypted_secret
}
