# VPC flow logs delivered into the billing bucket, with no source condition: any account's flow
# logs could be delivered here.
resource "aws_s3_bucket" "billing" {
  bucket = "acme-billing-reports"
}

resource "aws_s3_bucket_policy" "billing" {
  bucket = aws_s3_bucket.billing.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-S3-009
      Sid       = "FlowLogs"
      Effect    = "Allow"
      Principal = { Service = "delivery.logs.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${aws_s3_bucket.billing.arn}/flow-logs/*"
    }]
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
