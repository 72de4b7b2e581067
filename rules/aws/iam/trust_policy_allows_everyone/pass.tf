# Service principals, the deploying account, a named role, and "*" pinned to the organisation
# (by an Allow condition, or by a Deny for everyone outside it).
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "instance" {
  name = "instance"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = ["ec2.amazonaws.com", "ssm.amazonaws.com"] }
      Action    = "sts:AssumeRole"
    }]
  })
}

data "aws_iam_policy_document" "org_wide" {
  statement {
    actions = ["sts:AssumeRole"]
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
}

resource "aws_iam_role" "org_wide" {
  name               = "org-wide-reader"
  assume_role_policy = data.aws_iam_policy_document.org_wide.json
}

resource "aws_iam_role" "org_guarded" {
  name = "org-guarded"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" },
      {
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "sts:AssumeRole"
        Condition = { StringNotEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
      },
    ]
  })
}

resource "aws_iam_role" "admin" {
  name = "admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
