# Administrator roles for federated users, and principals that can change the identity provider.
data "aws_caller_identity" "current" {}

resource "aws_iam_saml_provider" "okta" {
  name                   = "okta"
  saml_metadata_document = file("${path.module}/okta-metadata.xml")
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

# iam-update-saml-provider: the identity team rotates the provider's metadata
resource "aws_iam_group" "identity_team" {
  name = "identity-team"
}

resource "aws_iam_group_policy" "identity_team" {
  name  = "rotate-idp-metadata"
  group = aws_iam_group.identity_team.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-102
      Effect   = "Allow"
      Action   = ["iam:UpdateSAMLProvider", "iam:GetSAMLProvider"]
      Resource = aws_iam_saml_provider.okta.arn
    }]
  })
}

# iam-update-oidc-provider and iam-create-oidc-provider: a deploy role for GitHub Actions, whose
# provider is defined in another stack
resource "aws_iam_role" "github_deploy" {
  name = "github-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:example/infra:*" }
      }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "github_deploy" {
  role       = aws_iam_role.github_deploy.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "platform_engineer" {
  name = "platform-engineer"
}

resource "aws_iam_user_policy" "platform_engineer" {
  name = "oidc-providers"
  user = aws_iam_user.platform_engineer.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-102
      Effect   = "Allow"
      Action   = ["iam:CreateOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider"]
      Resource = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/*"
    }]
  })
}
