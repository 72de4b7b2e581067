data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

data "aws_iam_policy_document" "trail" {
  statement {
    sid       = "AWSCloudTrailWrite"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.trail.arn}/AWSLogs/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  statement { # expect: AWS-S3-007
    sid       = "AnyoneCanList"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.trail.arn]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }

  # A condition that pins nothing: IfExists lets requests without the key through.
  statement { # expect: AWS-S3-007
    sid       = "ReadIfFromOrg"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.trail.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEqualsIfExists"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
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

# Provider v3 style: the policy is an argument of the billing bucket. Public write is critical.
resource "aws_s3_bucket" "billing" {
  bucket = "acme-billing-reports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-S3-007
        Sid       = "Everything"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "s3:*"
        Resource  = ["arn:aws:s3:::acme-billing-reports", "arn:aws:s3:::acme-billing-reports/*"]
        Condition = { StringLike = { "aws:SourceArn" = "arn:aws:cur:*:*:definition/*" } }
      },
      { # expect: AWS-S3-007
        Sid          = "AllButTheSandbox"
        Effect       = "Allow"
        NotPrincipal = { AWS = "arn:aws:iam::999999999999:root" }
        Action       = "s3:GetObject"
        Resource     = "arn:aws:s3:::acme-billing-reports/*"
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
