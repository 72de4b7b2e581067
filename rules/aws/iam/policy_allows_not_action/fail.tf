data "aws_caller_identity" "current" {}

# "Everything but IAM": reads like a restriction, grants every other action of every service.
data "aws_iam_policy_document" "developers" {
  statement { # expect: AWS-IAM-011
    sid         = "AlmostEverything"
    not_actions = ["iam:*", "organizations:*", "account:*"]
    resources   = ["*"]
  }
}

resource "aws_iam_group" "developers" {
  name = "developers"
}

resource "aws_iam_group_policy" "developers" {
  name   = "developers"
  group  = aws_iam_group.developers.name
  policy = data.aws_iam_policy_document.developers.json
}

resource "aws_iam_role" "batch" {
  name = "batch"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "batch.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "data"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { # expect: AWS-IAM-011
          Sid       = "AllButDelete"
          Effect    = "Allow"
          NotAction = ["s3:DeleteBucket", "s3:DeleteObject*"]
          Resource  = ["arn:aws:s3:::example-data", "arn:aws:s3:::example-data/*"]
        },
      ]
    })
  }
}

# A bucket policy that grants another principal everything except deleting the bucket.
resource "aws_s3_bucket" "shared" {
  bucket = "example-shared"
}

resource "aws_s3_bucket_policy" "shared" {
  bucket = aws_s3_bucket.shared.id
  # expect+5: AWS-IAM-011
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "Partner",
          "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/partner-sync"},
          "NotAction": "s3:DeleteBucket",
          "Resource": ["${aws_s3_bucket.shared.arn}", "${aws_s3_bucket.shared.arn}/*"]
        }
      ]
    }
  EOT
}
