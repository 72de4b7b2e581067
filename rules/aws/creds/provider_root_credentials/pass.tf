variable "deploy_role_arn" {
  type = string
}

provider "aws" {
  region = "eu-west-1"

  assume_role {
    role_arn     = var.deploy_role_arn
    session_name = "terraform"
  }
}

provider "aws" {
  alias   = "billing"
  region  = "us-east-1"
  profile = "billing-readonly"
}

# a role ARN for OIDC federation, not a key
resource "github_actions_secret" "deploy_role" {
  repository      = "infrastructure"
  secret_name     = "AWS_DEPLOY_ROLE_ARN"
  plaintext_value = var.deploy_role_arn
}

resource "gitlab_project_variable" "root_domain" {
  project = "42"
  key     = "ROOT_DOMAIN"
  value   = "example.com"
}
