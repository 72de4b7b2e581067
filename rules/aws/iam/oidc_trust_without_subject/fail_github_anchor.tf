# GitHub Actions subjects that do not name a repository. Any organisation can customise the
# subject of its own tokens (environment only, owner only), so these match workflows elsewhere.
resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

data "aws_iam_policy_document" "deploy_prod" {
  statement { # expect: AWS-IAM-034
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["environment:production"]
    }
  }
}

resource "aws_iam_role" "deploy_prod" {
  name               = "deploy-prod"
  assume_role_policy = data.aws_iam_policy_document.deploy_prod.json
}

resource "aws_iam_role" "org_wide" {
  name = "org-wide-readonly"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-034
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = "repository_owner:acme:*" }
      }
    }]
  })
}
