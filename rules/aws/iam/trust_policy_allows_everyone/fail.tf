variable "org_id" {
  type    = string
  default = "o-a1b2c3d4e5"
}

data "aws_iam_policy_document" "shared_reader" {
  statement { # expect: AWS-IAM-031
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    # an external id is a shared string, not an identity
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["reader-2024"]
    }
  }
}

resource "aws_iam_role" "shared_reader" {
  name               = "shared-reader"
  assume_role_policy = data.aws_iam_policy_document.shared_reader.json
}

# The organisation condition uses IfExists: a caller outside any organisation has no
# aws:PrincipalOrgID, and IfExists lets it through.
resource "aws_iam_role" "org_reader" {
  name = "org-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-031
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "sts:AssumeRole"
        Condition = {
          StringEqualsIfExists = { "aws:PrincipalOrgID" = var.org_id }
        }
      },
    ]
  })
}

resource "aws_iam_role" "legacy" {
  name = "legacy"
  # expect+5: AWS-IAM-031
  assume_role_policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": "*",
          "Action": ["sts:AssumeRole", "sts:TagSession"]
        }
      ]
    }
  EOF
}
