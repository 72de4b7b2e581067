# GitHub Actions and a SAML IdP, by literal provider ARN: the account id in the ARN is the
# provider's account, not a trusted account. AWS-IAM-034 / AWS-IAM-035 judge these trusts.
data "aws_iam_policy_document" "github" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/infra:ref:refs/heads/main"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "github_deploy" {
  name               = "github-deploy"
  assume_role_policy = data.aws_iam_policy_document.github.json
}

resource "aws_iam_role" "okta_admins" {
  name = "okta-admins"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::123456789012:saml-provider/okta" }
      Action    = "sts:AssumeRoleWithSAML"
      Condition = { StringEquals = { "SAML:aud" = "https://signin.aws.amazon.com/saml" } }
    }]
  })
}

# The partner's role is allowed, but the partner account as a whole is denied: the Deny on the
# account root covers every role and user in it, so nobody of 444455556666 can assume this role.
resource "aws_iam_role" "retired_partner" {
  name = "retired-partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::444455556666:role/integration" }
        Action    = "sts:AssumeRole"
      },
      {
        Sid       = "PartnerOffboarded"
        Effect    = "Deny"
        Principal = { AWS = "arn:aws:iam::444455556666:root" }
        Action    = "sts:*"
      },
    ]
  })
}
