resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

resource "aws_s3_bucket_ownership_controls" "trail" {
  bucket = aws_s3_bucket.trail.id
  rule {
    object_ownership = "BucketOwnerPreferred" # expect: AWS-S3-003
  }
}

resource "aws_s3_bucket_acl" "trail" {
  bucket     = aws_s3_bucket.trail.id
  acl        = "log-delivery-write"
  depends_on = [aws_s3_bucket_ownership_controls.trail]
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

resource "aws_s3_bucket" "billing" {
  bucket = "acme-billing-reports"
}

resource "aws_s3_bucket_ownership_controls" "billing" {
  bucket = aws_s3_bucket.billing.bucket
  rule {
    object_ownership = "ObjectWriter" # expect: AWS-S3-003
  }
}

resource "aws_cur_report_definition" "monthly" {
  report_name                = "acme-cur"
  time_unit                  = "DAILY"
  format                     = "textORcsv"
  compression                = "GZIP"
  additional_schema_elements = ["RESOURCES"]
  s3_bucket                  = "acme-billing-reports"
  s3_region                  = "us-east-1"
}
