variable "queue_name" {
  type    = string
  default = "orders"
}

resource "aws_sqs_queue" "orders" {
  name = var.queue_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-036
        Sid       = "AnyoneCanSend"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["sqs:SendMessage", "sqs:ReceiveMessage"]
        Resource  = "arn:aws:sqs:eu-west-1:111122223333:${var.queue_name}"
      },
    ]
  })
}

resource "aws_s3_bucket" "exports" {
  bucket = "example-exports"
}

# The SourceAccount condition uses IfExists: a direct call by any principal has no
# aws:SourceAccount, so it matches.
data "aws_iam_policy_document" "exports" {
  statement { # expect: AWS-IAM-036
    sid       = "Uploads"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.exports.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEqualsIfExists"
      variable = "aws:SourceAccount"
      values   = ["111122223333"]
    }
  }

  statement { # expect: AWS-IAM-036
    sid       = "Downloads"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.exports.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
}

resource "aws_s3_bucket_policy" "exports" {
  bucket = aws_s3_bucket.exports.id
  policy = data.aws_iam_policy_document.exports.json
}

resource "aws_secretsmanager_secret" "api" {
  name = "api-token"
}

resource "aws_secretsmanager_secret_policy" "api" {
  secret_arn = aws_secretsmanager_secret.api.arn
  # expect+5: AWS-IAM-036
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {"AWS": "*"},
          "Action": "secretsmanager:GetSecretValue",
          "Resource": "*",
          "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/api-*"}}
        }
      ]
    }
  EOT
}
