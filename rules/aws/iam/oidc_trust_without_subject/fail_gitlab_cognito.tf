resource "aws_iam_openid_connect_provider" "gitlab" {
  url            = "https://gitlab.com"
  client_id_list = ["https://gitlab.com"]
}

# Subject pinned to one project, but no audience condition: low severity.
resource "aws_iam_role" "gitlab" {
  name = "gitlab-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-034
        Effect    = "Allow"
        Principal = { Federated = aws_iam_openid_connect_provider.gitlab.arn }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = { "gitlab.com:sub" = "project_path:my-group/my-project:ref_type:branch:ref:main" }
        }
      },
    ]
  })
}

# Cognito identity pools: without the pool id (aud), any identity pool in any account can
# obtain credentials for this role.
resource "aws_iam_role" "mobile" {
  name = "mobile-authenticated"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-034
        Effect    = "Allow"
        Principal = { Federated = "cognito-identity.amazonaws.com" }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          "ForAnyValue:StringLike" = { "cognito-identity.amazonaws.com:amr" = "authenticated" }
        }
      },
    ]
  })
}
