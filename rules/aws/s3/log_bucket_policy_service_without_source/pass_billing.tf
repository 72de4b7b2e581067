# The billing bucket policy AWS documents: both service principals, pinned to the account and
# to the report definitions of this account.
data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "billing" {
  bucket = "acme-billing-reports"
}

data "aws_iam_policy_document" "billing" {
  statement {
    sid     = "EnableAWSDataExportsToWriteToS3AndCheckPolicy"
    actions = ["s3:PutObject", "s3:GetBucketPolicy"]
    resources = [
      aws_s3_bucket.billing.arn,
      "${aws_s3_bucket.billing.arn}/*",
    ]
    principals {
      type        = "Service"
      identifiers = ["billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "aws:SourceArn"
      values = [
        "arn:aws:cur:us-east-1:${data.aws_caller_identity.current.account_id}:definition/*",
        "arn:aws:bcm-data-exports:us-east-1:${data.aws_caller_identity.current.account_id}:export/*",
      ]
    }
    condition {
      test     = "StringLike"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_s3_bucket_policy" "billing" {
  bucket = aws_s3_bucket.billing.id
  policy = data.aws_iam_policy_document.billing.json
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
