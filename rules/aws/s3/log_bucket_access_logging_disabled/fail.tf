data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "trail" { # expect: AWS-S3-004
  bucket = "acme-cloudtrail-${data.aws_caller_identity.current.account_id}"
}

resource "aws_s3_bucket_versioning" "trail" {
  bucket = aws_s3_bucket.trail.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_cloudtrail" "main" {
  name                  = "main"
  s3_bucket_name        = aws_s3_bucket.trail.id
  is_multi_region_trail = true
}

# Logging is configured for a different bucket, not for the billing bucket.
resource "aws_s3_bucket" "billing" { # expect: AWS-S3-004
  bucket = "acme-billing-reports"
}

resource "aws_s3_bucket" "website" {
  bucket = "acme-www"
}

resource "aws_s3_bucket_logging" "website" {
  bucket        = aws_s3_bucket.website.id
  target_bucket = "acme-s3-access-logs"
  target_prefix = "www/"
}

resource "aws_cur_report_definition" "monthly" {
  report_name                = "acme-cur"
  time_unit                  = "DAILY"
  format                     = "textORcsv"
  compression                = "GZIP"
  additional_schema_elements = ["RESOURCES"]
  s3_bucket                  = aws_s3_bucket.billing.bucket
  s3_region                  = "us-east-1"
}
