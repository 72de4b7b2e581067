# External id for the vendor, MFA for people of the security account, the organisation for the
# tooling account, the deploying account itself, and roles defined in the code.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "vendor" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:role/integration"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["c0ffee-7f3a"]
    }
  }
}

resource "aws_iam_role" "vendor" {
  name               = "vendor-integration"
  assume_role_policy = data.aws_iam_policy_document.vendor.json
}

resource "aws_iam_role" "auditors" {
  name = "auditors"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::222233334444:root" }
        Action    = "sts:AssumeRole"
        Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
      },
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::777788889999:role/deployer" }
        Action    = "sts:AssumeRole"
        Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
      },
    ]
  })
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "codebuild.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Principal = { AWS = [
        aws_iam_role.ci.arn,
        "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root",
      ] }
      Action = "sts:AssumeRole"
    }]
  })
}
