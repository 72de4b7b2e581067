data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# By the bucket's symbolic ARN, with /*: deleting log objects.
data "aws_iam_policy_document" "housekeeping" {
  statement { # expect: AWS-S3-010
    sid       = "CleanUp"
    actions   = ["s3:DeleteObject", "s3:ListBucket"]
    resources = ["${aws_s3_bucket.trail.arn}/*"]
  }

  # On the bucket itself: rewriting its policy and lifecycle.
  statement { # expect: AWS-S3-010
    sid       = "Manage"
    actions   = ["s3:PutBucketPolicy", "s3:PutLifecycleConfiguration"]
    resources = [aws_s3_bucket.trail.arn]
  }

  # DeleteObject on the bucket ARN (no /*) reaches no object: not reported.
  statement {
    sid       = "NoObjects"
    actions   = ["s3:DeleteObject"]
    resources = [aws_s3_bucket.trail.arn]
  }
}

resource "aws_iam_role_policy" "housekeeping" {
  name   = "housekeeping"
  role   = aws_iam_role.ops.id
  policy = data.aws_iam_policy_document.housekeeping.json
}

# s3:* on every resource, in a managed policy attached to a group.
resource "aws_iam_group" "developers" {
  name = "developers"
}

resource "aws_iam_policy" "s3_admin" {
  name = "s3-admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-S3-010
      Effect   = "Allow"
      Action   = "s3:*"
      Resource = "*"
    }]
  })
}

resource "aws_iam_group_policy_attachment" "s3_admin" {
  group      = aws_iam_group.developers.name
  policy_arn = aws_iam_policy.s3_admin.arn
}

# AdministratorAccess reaches the log bucket too.
resource "aws_iam_role_policy_attachment" "ops_admin" {
  role       = aws_iam_role.ops.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # expect: AWS-S3-010
}

# A bucket named only by the report (managed elsewhere) is matched by its literal ARN.
resource "aws_cur_report_definition" "monthly" {
  report_name                = "acme-cur"
  time_unit                  = "DAILY"
  format                     = "textORcsv"
  compression                = "GZIP"
  additional_schema_elements = ["RESOURCES"]
  s3_bucket                  = "acme-billing-reports"
  s3_prefix                  = "cur"
  s3_region                  = "us-east-1"
}

resource "aws_iam_user" "finance" {
  name = "finance-bot"
}

resource "aws_iam_user_policy" "finance" {
  name = "billing-files"
  user = aws_iam_user.finance.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-S3-010
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:Delete*"]
        Resource = "arn:aws:s3:::acme-billing-*/cur/*"
      },
      {
        Effect   = "Allow"
        Action   = "s3:DeleteObject"
        Resource = "arn:aws:s3:::acme-billing-reports/exports/*"
      },
    ]
  })
}
