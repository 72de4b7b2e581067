data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

data "aws_iam_policy_document" "trail" {
  statement {
    sid       = "AWSCloudTrailAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.trail.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }

  statement { # expect: AWS-S3-009
    sid       = "AWSCloudTrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.trail.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
  }
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = data.aws_iam_policy_document.trail.json
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

# A wildcard account in aws:SourceArn pins nothing.
resource "aws_s3_bucket" "billing" {
  bucket = "acme-billing-reports"
}

resource "aws_s3_bucket_policy" "billing" {
  bucket = aws_s3_bucket.billing.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-S3-009
      Sid       = "BillingReportsWrite"
      Effect    = "Allow"
      Principal = { Service = ["billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"] }
      Action    = ["s3:PutObject", "s3:GetBucketPolicy"]
      Resource  = [aws_s3_bucket.billing.arn, "${aws_s3_bucket.billing.arn}/*"]
      Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:cur:us-east-1:*:definition/*" } }
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
