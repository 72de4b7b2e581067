variable "okta_metadata" {
  type        = string
  description = "SAML metadata XML downloaded from Okta"
}

resource "aws_iam_saml_provider" "okta" {
  name                   = "okta"
  saml_metadata_document = var.okta_metadata
}

data "aws_iam_policy_document" "engineers" {
  statement { # expect: AWS-IAM-035
    actions = ["sts:AssumeRoleWithSAML", "sts:TagSession"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_saml_provider.okta.arn]
    }
  }
}

resource "aws_iam_role" "engineers" {
  name               = "engineers"
  assume_role_policy = data.aws_iam_policy_document.engineers.json
}

resource "aws_iam_role" "readers" {
  name = "readers"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-035
        Effect    = "Allow"
        Principal = { Federated = "arn:aws:iam::111122223333:saml-provider/azure-ad" }
        Action    = "sts:AssumeRoleWithSAML"
        Condition = { StringLike = { "SAML:aud" = "*" } }
      },
    ]
  })
}
