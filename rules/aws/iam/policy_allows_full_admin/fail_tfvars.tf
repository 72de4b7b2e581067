# The default is scoped; fail_tfvars.tfvars (passed with --var-file) widens it to "*".
variable "ci_actions" {
  description = "Actions the CI role may perform"
  type        = list(string)
  default     = ["ecr:GetAuthorizationToken"]
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
    }]
  })
}

data "aws_iam_policy_document" "ci" {
  statement { # expect: AWS-IAM-001
    sid       = "CiDeploy"
    actions   = var.ci_actions
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "ci" {
  name   = "ci-deploy"
  role   = aws_iam_role.ci.id
  policy = data.aws_iam_policy_document.ci.json
}
