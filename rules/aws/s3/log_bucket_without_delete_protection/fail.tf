resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

resource "aws_s3_bucket_versioning" "trail" {
  bucket = aws_s3_bucket.trail.id
  versioning_configuration {
    status     = "Enabled" # expect: AWS-S3-006
    mfa_delete = "Disabled"
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

# Object lock is on, but without a default retention CloudTrail's objects are not locked.
resource "aws_s3_bucket" "billing" {
  bucket              = "acme-billing-reports"
  object_lock_enabled = true # expect: AWS-S3-006
}

resource "aws_s3_bucket_versioning" "billing" {
  bucket = aws_s3_bucket.billing.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_cur_report_definition" "monthly" {
  report_name                = "acme-cur"
  time_unit                  = "DAILY"
  format                     = "textORcsv"
  compression                = "GZIP"
  additional_schema_elements = ["RESOURCES"]
  s3_bucket                  = aws_s3_bucket.billing.id
  s3_region                  = "us-east-1"
}

# Without versioning this rule stays silent: AWS-S3-005 reports it.
resource "aws_s3_bucket" "audit" {
  bucket = "acme-audit-logs"
}

resource "aws_cloudtrail" "audit" {
  name           = "audit"
  s3_bucket_name = aws_s3_bucket.audit.id
}
