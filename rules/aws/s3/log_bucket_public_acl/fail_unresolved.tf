variable "acl" {
  type = string
}

variable "trail_bucket" {
  type = string
}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

resource "aws_s3_bucket_acl" "trail" {
  bucket = aws_s3_bucket.trail.id
  acl    = var.acl # expect-note: AWS-S3-002
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

resource "aws_cloudtrail" "other" {
  name           = "other"
  s3_bucket_name = var.trail_bucket # expect-note: AWS-S3-002
}

resource "aws_s3_bucket" "billing" {
  bucket = "acme-billing-reports"
  acl    = "authenticated-read" # expect: AWS-S3-002
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
