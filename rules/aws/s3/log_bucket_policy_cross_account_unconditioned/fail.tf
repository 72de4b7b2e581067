variable "audit_account_id" {
  type    = string
  default = "111122223333"
}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

data "aws_iam_policy_document" "trail" {
  statement { # expect: AWS-S3-011
    sid     = "AuditorRead"
    actions = ["s3:GetObject", "s3:ListBucket"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.audit_account_id}:root"]
    }
    resources = [aws_s3_bucket.trail.arn, "${aws_s3_bucket.trail.arn}/*"]
  }

  # Transport security limits how, not who.
  statement { # expect: AWS-S3-011
    sid     = "BackupCopy"
    actions = ["s3:PutObject", "s3:DeleteObject"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:role/backup"]
    }
    resources = ["${aws_s3_bucket.trail.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }

  # A named role of another account, pinned to the organisation: not reported.
  statement {
    sid     = "SecurityToolingRead"
    actions = ["s3:GetObject"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::777788889999:role/security-tooling"]
    }
    resources = ["${aws_s3_bucket.trail.arn}/*"]
    condition {
      test     = "StringEquals"
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
