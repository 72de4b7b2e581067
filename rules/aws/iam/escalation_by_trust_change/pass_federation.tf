# The identity team may rotate the metadata of the partner provider only, which the read-only
# partner role trusts; the administrators' provider is out of its reach, and changing OIDC providers
# is denied outright (the GitLab provider the release role trusts, and the GitHub provider the deploy
# role names but this account does not define).
data "aws_caller_identity" "current" {}

resource "aws_iam_openid_connect_provider" "gitlab" {
  url             = "https://gitlab.com"
  client_id_list  = ["https://gitlab.com"]
  thumbprint_list = [var.gitlab_thumbprint]
}

variable "gitlab_thumbprint" {
  type    = string
  default = "b3dd7606d2b5a8b4a13771dbecc9ee1cecafa38a"
}

data "aws_iam_policy_document" "release_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.gitlab.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "gitlab.com:sub"
      values   = ["project_path:platform/infra:ref_type:branch:ref:main"]
    }
  }
}

resource "aws_iam_role" "release" {
  name               = "gitlab-release"
  assume_role_policy = data.aws_iam_policy_document.release_trust.json
}

resource "aws_iam_role_policy_attachment" "release" {
  role       = aws_iam_role.release.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "github_deploy" {
  name = "github-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = { StringLike = { "token.actions.githubusercontent.com:sub" = "repo:acme/infra:*" } }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "github_deploy" {
  role       = aws_iam_role.github_deploy.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

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

# trap: iam-update-saml-provider: only the partner provider, which a read-only role trusts
# trap: iam-update-oidc-provider, iam-create-oidc-provider: allowed by iam:*OpenIDConnectProvider*, then denied
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
