# Service wildcards scoped to named resources, a Deny with a service wildcard, actions that only
# accept "*", and full admin (reported by AWS-IAM-001, not here).
data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "assets" {
  bucket = "example-assets"
}

data "aws_iam_policy_document" "assets" {
  statement {
    sid     = "ManageAssetsBucket"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.assets.arn,
      "${aws_s3_bucket.assets.arn}/*",
    ]
  }

  statement {
    sid       = "NoKms"
    effect    = "Deny"
    actions   = ["kms:*"]
    resources = ["*"]
  }

  statement {
    sid       = "WhoAmI"
    actions   = ["sts:GetCallerIdentity", "ec2:DescribeInstances"]
    resources = ["*"]
  }

  statement {
    sid       = "OwnParameters"
    actions   = ["ssm:*"]
    resources = ["arn:aws:ssm:eu-west-1:${data.aws_caller_identity.current.account_id}:parameter/assets/*"]
  }
}

resource "aws_iam_policy" "assets" {
  name   = "assets"
  policy = data.aws_iam_policy_document.assets.json
}

resource "aws_iam_role" "break_glass" {
  name = "break-glass"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
  inline_policy {
    name = "admin"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["*", "s3:*"], Resource = "*" }]
    })
  }
}

resource "aws_iam_role_policy_attachment" "s3_full" {
  role       = aws_iam_role.break_glass.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}
