# SAML:aud pinned (StringEquals, or StringEqualsIfExists: the key is always in the assertion).
variable "okta_metadata" {
  type        = string
  description = "SAML metadata XML downloaded from Okta"
}

resource "aws_iam_saml_provider" "okta" {
  name                   = "okta"
  saml_metadata_document = var.okta_metadata
}

data "aws_iam_policy_document" "engineers" {
  statement {
    actions = ["sts:AssumeRoleWithSAML"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_saml_provider.okta.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "SAML:aud"
      values   = ["https://signin.aws.amazon.com/saml"]
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
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:saml-provider/azure-ad" }
      Action    = "sts:AssumeRoleWithSAML"
      Condition = { StringEqualsIfExists = { "saml:aud" = "https://signin.aws.amazon.com/saml" } }
    }]
  })
}
