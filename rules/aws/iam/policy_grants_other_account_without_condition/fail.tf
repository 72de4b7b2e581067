variable "partner_account" {
  type    = string
  default = "444455556666"
}

resource "aws_iam_role" "partner" {
  name = "partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-033
        Sid       = "Partner"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${var.partner_account}:root" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_kms_key" "exports" {
  description = "exports"
  policy      = data.aws_iam_policy_document.exports_key.json
}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "exports_key" {
  statement {
    sid       = "Owner"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  # the bare account id means the account root too
  statement { # expect: AWS-IAM-033
    sid       = "Analytics"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["555566667777"]
    }
  }
}

resource "aws_s3_bucket" "exports" {
  bucket = "example-exports"
}

resource "aws_s3_bucket_policy" "exports" {
  bucket = aws_s3_bucket.exports.id
  # expect+5: AWS-IAM-033
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "PartnerWrites",
          "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::${var.partner_account}:root"},
          "Action": ["s3:PutObject", "s3:DeleteObject"],
          "Resource": "${aws_s3_bucket.exports.arn}/*"
        }
      ]
    }
  EOT
}
