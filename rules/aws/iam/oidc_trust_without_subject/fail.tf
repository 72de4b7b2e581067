resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

# Only the audience is checked: any repository on GitHub can assume the role.
data "aws_iam_policy_document" "deploy" {
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
  }
}

resource "aws_iam_role" "deploy" {
  name               = "github-deploy"
  assume_role_policy = data.aws_iam_policy_document.deploy.json
}

# A wildcard in the wrong place: every repository of the organisation, on main.
resource "aws_iam_role" "release" {
  name = "github-release"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-034
        Effect    = "Allow"
        Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
          StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:my-org/*:ref:refs/heads/main" }
        }
      },
    ]
  })
}

variable "cluster_oidc_issuer" {
  type    = string
  default = "oidc.eks.eu-west-1.amazonaws.com/id/5C3E0D1A2B"
}

data "aws_caller_identity" "current" {}

# IRSA: every service account of every namespace in the cluster.
data "aws_iam_policy_document" "irsa" {
  statement { # expect: AWS-IAM-034
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${var.cluster_oidc_issuer}"]
    }
    condition {
      test     = "StringLike"
      variable = "${var.cluster_oidc_issuer}:sub"
      values   = ["system:serviceaccount:*:*"]
    }
  }
}

resource "aws_iam_role" "irsa" {
  name               = "external-dns"
  assume_role_policy = data.aws_iam_policy_document.irsa.json
}

# Terraform Cloud: any organization's runs match.
resource "aws_iam_role" "tfc" {
  name = "tfc"
  # expect+5: AWS-IAM-034
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {"Federated": "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/app.terraform.io"},
          "Action": "sts:AssumeRoleWithWebIdentity",
          "Condition": {
            "StringEquals": {"app.terraform.io:aud": "aws.workload.identity"},
            "StringLike": {"app.terraform.io:sub": "organization:*:project:*:workspace:prod:run_phase:*"}
          }
        }
      ]
    }
  EOT
}
