# AWS provider v3 style: versioning is an inline block of the bucket.
resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"

  versioning {
    enabled    = true
    mfa_delete = true
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.bucket
}
