data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "trail" {
  bucket = "${var.org_name}-cloudtrail-${data.aws_caller_identity.current.account_id}"
}

data "aws_iam_policy_document" "trail_bucket" {
  statement {
    sid     = "CloudTrailWrite"
    actions = ["s3:PutObject"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    resources = ["${aws_s3_bucket.trail.arn}/AWSLogs/*"]
  }

  statement {
    sid     = "AuditorRead"
    actions = ["s3:GetObject", "s3:ListBucket"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.audit_account_id}:root"]
    }
    resources = [aws_s3_bucket.trail.arn, "${aws_s3_bucket.trail.arn}/*"]
  }

  statement {
    sid       = "AnyoneCanList"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.trail.arn]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = data.aws_iam_policy_document.trail_bucket.json
}

resource "aws_cloudtrail" "main" {
  name                          = "${var.org_name}-main"
  s3_bucket_name                = aws_s3_bucket.trail.id
  include_global_service_events = true
  is_multi_region_trail         = false
  enable_log_file_validation    = false
}
