# The billing bucket itself is created elsewhere; its policy is here, named by the same
# literal bucket name the report writes to.
resource "aws_cur_report_definition" "monthly" {
  report_name                = "acme-cur"
  time_unit                  = "DAILY"
  format                     = "textORcsv"
  compression                = "GZIP"
  additional_schema_elements = ["RESOURCES"]
  s3_bucket                  = "acme-billing-reports"
  s3_region                  = "us-east-1"
}

resource "aws_s3_bucket_policy" "billing" {
  bucket = "acme-billing-reports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-S3-011
      Sid       = "FinanceAccount"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::210987654321:role/finance" }
      Action    = ["s3:GetObject", "s3:ListBucket"]
      Resource  = ["arn:aws:s3:::acme-billing-reports", "arn:aws:s3:::acme-billing-reports/*"]
    }]
  })
}

# A policy for a different bucket is not in scope.
resource "aws_s3_bucket_policy" "other" {
  bucket = "acme-shared-files"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::210987654321:root" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::acme-shared-files/*"
    }]
  })
}
