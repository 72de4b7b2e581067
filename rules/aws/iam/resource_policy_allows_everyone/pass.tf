# "*" narrowed by the caller's organisation, by the service's source ARN (CloudTrail writing its
# logs), by a VPC endpoint, by a Deny for everyone outside the organisation; a Deny with "*"
# (not a grant); and public read of a static website bucket.
data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "shared" {
  bucket = "example-shared"
}

data "aws_iam_policy_document" "shared" {
  statement {
    sid       = "Organisation"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.shared.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }

  statement {
    sid       = "ThroughTheEndpoint"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.shared.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpce"
      values   = ["vpce-0a1b2c3d4e5f60718"]
    }
  }

  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.shared.arn, "${aws_s3_bucket.shared.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "shared" {
  bucket = aws_s3_bucket.shared.id
  policy = data.aws_iam_policy_document.shared.json
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudWatchAlarms"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "sns:Publish"
        Resource  = "arn:aws:sns:eu-west-1:${data.aws_caller_identity.current.account_id}:alerts"
        Condition = {
          ArnLike = { "aws:SourceArn" = "arn:aws:cloudwatch:eu-west-1:${data.aws_caller_identity.current.account_id}:alarm:*" }
        }
      },
      {
        Sid       = "Anyone"
        Effect    = "Allow"
        Principal = "*"
        Action    = "sns:Subscribe"
        Resource  = "arn:aws:sns:eu-west-1:${data.aws_caller_identity.current.account_id}:alerts"
      },
      {
        Sid       = "OnlyTheOrganisation"
        Effect    = "Deny"
        Principal = "*"
        Action    = "sns:*"
        Resource  = "*"
        Condition = { StringNotEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
      },
    ]
  })
}

resource "aws_s3_bucket" "site" {
  bucket = "www.example.com"
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document {
    suffix = "index.html"
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicRead"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.site.arn}/*"
    }]
  })
}

# A CloudTrail bucket is a log bucket: AWS-S3-007 reports its policy, not this rule.
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
      Principal = "*"
      Action    = "s3:PutObject"
      Resource  = "${aws_s3_bucket.trail.arn}/AWSLogs/*"
    }]
  })
}
