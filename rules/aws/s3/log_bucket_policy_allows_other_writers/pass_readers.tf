# Readers only, and a writer that a Deny pins to this account's services.
data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Readers"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/log-reader" }
        Action    = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"]
        Resource  = [aws_s3_bucket.trail.arn, "${aws_s3_bucket.trail.arn}/*"]
      },
      {
        Sid       = "CloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.trail.arn}/AWSLogs/*"
      },
      {
        Sid       = "ReplicationWrite"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/replication" }
        Action    = ["s3:ReplicateObject", "s3:ReplicateDelete"]
        Resource  = "${aws_s3_bucket.trail.arn}/*"
      },
      {
        Sid       = "WritesOnlyForThisAccount"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:PutObject", "s3:ReplicateObject", "s3:ReplicateDelete"]
        Resource  = "${aws_s3_bucket.trail.arn}/*"
        Condition = { StringNotEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
      },
    ]
  })
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}
