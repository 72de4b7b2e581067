resource "aws_iam_user" "thumbnailer" { # expect: AWS-IAM-055
  name = "thumbnailer"
}

resource "aws_iam_access_key" "thumbnailer" {
  user = aws_iam_user.thumbnailer.name
}

resource "aws_lambda_function" "thumbnailer" {
  function_name = "thumbnailer"
  role          = "arn:aws:iam::111122223333:role/thumbnailer-basic"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "thumbnailer.zip"

  environment {
    variables = {
      S3_KEY_ID     = aws_iam_access_key.thumbnailer.id
      S3_KEY_SECRET = aws_iam_access_key.thumbnailer.secret
    }
  }
}

resource "aws_iam_user" "release" { # expect: AWS-IAM-055
  name = "release-pipeline"
}

resource "aws_iam_access_key" "release" {
  user = aws_iam_user.release.name
}

resource "gitlab_project_variable" "release_secret" {
  project   = "42"
  key       = "AWS_SECRET_ACCESS_KEY"
  value     = aws_iam_access_key.release.secret
  protected = true
  masked    = true
}
