resource "aws_s3_bucket" "billing" {
  bucket = "${var.org_name}-billing-reports"
}

resource "aws_s3_bucket_public_access_block" "billing" {
  bucket                  = aws_s3_bucket.billing.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "billing" {
  bucket = aws_s3_bucket.billing.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_cur_report_definition" "monthly" {
  report_name                = "${var.org_name}-cur"
  time_unit                  = "HOURLY"
  format                     = "Parquet"
  compression                = "Parquet"
  additional_schema_elements = ["RESOURCES"]
  s3_bucket                  = aws_s3_bucket.billing.bucket
  s3_region                  = "us-east-1"
  report_versioning          = "OVERWRITE_REPORT"
}
