# The identity team may rotate the metadata of the partner provider only, which the read-only
# partner role trusts; the administrators' provider is out of its reach, and changing OIDC providers
# is denied outright.
resource "aws_iam_saml_provider" "okta" {
  name                   = "okta"
  saml_metadata_document = file("${path.module}/okta-metadata.xml")
}

resource "aws_iam_saml_provider" "partners" {
  name                   = "partners"
  saml_metadata_document = file("${path.module}/partners-metadata.xml")
}

resource "aws_iam_role" "sso_admin" {
  name = "sso-admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_saml_provider.okta.arn }
      Action    = "sts:AssumeRoleWithSAML"
      Condition = { StringEquals = { "SAML:aud" = "https://signin.aws.amazon.com/saml" } }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "sso_admin" {
  role       = aws_iam_role.sso_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "partner_read_only" {
  name = "partner-read-only"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_saml_provider.partners.arn }
      Action    = "sts:AssumeRoleWithSAML"
      Condition = { StringEquals = { "SAML:aud" = "https://signin.aws.amazon.com/saml" } }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "partner_read_only" {
  role       = aws_iam_role.partner_read_only.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_group" "identity_team" {
  name = "identity-team"
}

data "aws_iam_policy_document" "identity_team" {
  statement {
    actions   = ["iam:UpdateSAMLProvider", "iam:GetSAMLProvider"]
    resources = [aws_iam_saml_provider.partners.arn]
  }

  statement {
    actions   = ["iam:*OpenIDConnectProvider*"]
    resources = ["*"]
  }

  statement {
    sid       = "NoOidcChanges"
    effect    = "Deny"
    actions   = ["iam:CreateOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider"]
    resources = ["*"]
  }
}

resource "aws_iam_group_policy" "identity_team" {
  name   = "rotate-idp-metadata"
  group  = aws_iam_group.identity_team.name
  policy = data.aws_iam_policy_document.identity_team.json
}
