variable "reader_account_id" {
  type = string
}

resource "aws_s3_bucket" "billing" {
  bucket = "acme-billing-reports"
}

resource "aws_s3_bucket_policy" "billing" {
  bucket = aws_s3_bucket.billing.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect-note: AWS-S3-011
        Sid       = "FinanceRead"
        Effect    = "Allow"
        Principal = { AWS = var.reader_account_id }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.billing.arn}/*"
      },
      { # expect: AWS-S3-011
        Sid       = "PartnerRead"
        Effect    = "Allow"
        Principal = { AWS = "123456789012" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.billing.arn}/*"
      },
    ]
  })
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
