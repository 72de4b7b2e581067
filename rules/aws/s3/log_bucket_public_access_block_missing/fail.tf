data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "trail" { # expect: AWS-S3-001
  bucket = "acme-cloudtrail-${data.aws_caller_identity.current.account_id}"
}

resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = true
}

# The billing bucket is named literally by the report; its block is incomplete.
resource "aws_s3_bucket" "billing" {
  bucket = "acme-billing-reports"
}

resource "aws_s3_bucket_public_access_block" "billing" {
  bucket                  = aws_s3_bucket.billing.id
  block_public_acls       = true
  block_public_policy     = false # expect: AWS-S3-001
  ignore_public_acls      = true
  restrict_public_buckets = false
}

resource "aws_cur_report_definition" "cur" {
  report_name                = "acme-cur"
  time_unit                  = "DAILY"
  format                     = "textORcsv"
  compression                = "GZIP"
  additional_schema_elements = ["RESOURCES"]
  s3_bucket                  = "acme-billing-reports"
  s3_region                  = "us-east-1"
}
