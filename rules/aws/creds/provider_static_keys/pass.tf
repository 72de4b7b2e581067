variable "audit_role_arn" {
  type    = string
  default = "arn:aws:iam::111122223333:role/audit"
}

# credentials come from the environment (SSO profile, CI OIDC federation, instance role)
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias   = "audit"
  region  = "us-east-1"
  profile = "audit-sso"

  assume_role {
    role_arn     = var.audit_role_arn
    session_name = "terraform"
    external_id  = "audit-external-id-2024"
  }
}

# a key passed in at plan time is not written in the code
variable "ci_secret_key" {
  type      = string
  sensitive = true
}

provider "aws" {
  alias      = "legacy"
  region     = "eu-west-1"
  access_key = "" # explicitly empty: falls back to the default chain
  secret_key = var.ci_secret_key
}
