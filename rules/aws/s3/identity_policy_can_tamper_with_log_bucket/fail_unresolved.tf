variable "cleanup_actions" {
  type = list(string)
}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

resource "aws_iam_user" "janitor" {
  name = "janitor"
}

resource "aws_iam_user_policy" "janitor" {
  name = "cleanup"
  user = aws_iam_user.janitor.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect-note: AWS-S3-010
        Effect   = "Allow"
        Action   = var.cleanup_actions
        Resource = "${aws_s3_bucket.trail.arn}/*"
      },
      { # expect: AWS-S3-010
        Effect      = "Allow"
        Action      = "s3:DeleteObjectVersion"
        NotResource = "arn:aws:s3:::acme-website/*"
      },
    ]
  })
}
