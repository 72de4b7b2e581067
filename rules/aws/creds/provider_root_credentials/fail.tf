variable "root_access_key" {
  type = string
}

variable "root_secret_key" {
  type      = string
  sensitive = true
}

provider "aws" {
  region     = "eu-west-1"
  access_key = var.root_access_key # expect: AWS-CREDS-005
  secret_key = var.root_secret_key # expect: AWS-CREDS-005
}

provider "aws" {
  alias   = "billing"
  region  = "us-east-1"
  profile = "org-root" # expect: AWS-CREDS-005
}

resource "github_actions_secret" "root_key" {
  repository      = "infrastructure"
  secret_name     = "AWS_ROOT_ACCESS_KEY_ID" # expect: AWS-CREDS-005
  plaintext_value = var.root_access_key
}
