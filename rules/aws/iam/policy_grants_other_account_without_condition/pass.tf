# The deploying account's root (the normal key-policy and trust pattern), a read-only share, a
# named role with an external id, and a grant narrowed by a Deny for everyone outside the
# organisation.
data "aws_caller_identity" "current" {}

resource "aws_kms_key" "app" {
  description = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EnableIamPolicies"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_s3_bucket" "reports" {
  bucket = "example-reports"
}

data "aws_iam_policy_document" "reports" {
  statement {
    sid       = "PartnerReads"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.reports.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
  }

  statement {
    sid       = "SisterAccountWrites"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.reports.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::777788889999:root"]
    }
  }

  statement {
    sid       = "OnlyTheOrganisation"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["${aws_s3_bucket.reports.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = data.aws_iam_policy_document.reports.json
}

resource "aws_iam_role" "vendor" {
  name = "vendor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = "c0ffee-7f3a" } }
    }]
  })
}

# A CloudTrail bucket shared with another account: AWS-S3-011 reports log buckets, not this rule.
resource "aws_s3_bucket" "trail" {
  bucket = "example-trail-logs"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
      Action    = "s3:*"
      Resource  = ["${aws_s3_bucket.trail.arn}", "${aws_s3_bucket.trail.arn}/*"]
    }]
  })
}
