# Values the scan cannot resolve give notes, never a guess.
variable "trail_bucket" {
  type = string
}

variable "versioned_bucket" {
  type = string
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = var.trail_bucket # expect-note: AWS-S3-005
}

resource "aws_s3_bucket" "billing" { # expect-note: AWS-S3-005
  bucket = "acme-billing-reports"
}

# This may or may not be the billing bucket's versioning.
resource "aws_s3_bucket_versioning" "some" {
  bucket = var.versioned_bucket
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
  s3_bucket                  = aws_s3_bucket.billing.bucket
  s3_region                  = "us-east-1"
}

# A bucket with its own versioning resource is decided by it.
resource "aws_s3_bucket" "audit" {
  bucket = "acme-audit-trail"
}

resource "aws_s3_bucket_versioning" "audit" {
  bucket = aws_s3_bucket.audit.id
  versioning_configuration {
    status = "Disabled" # expect: AWS-S3-005
  }
}

resource "aws_cloudtrail" "audit" {
  name           = "audit"
  s3_bucket_name = aws_s3_bucket.audit.id
}
