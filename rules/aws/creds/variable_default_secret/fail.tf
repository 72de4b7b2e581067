variable "aws_access_key" {
  type    = string
  default = "AKIAIOSFODNN7EXAMPLE" # expect: AWS-CREDS-002
}

variable "aws_secret_key" {
  type      = string
  sensitive = true
  default   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" # expect: AWS-CREDS-002
}

variable "db_password" {
  description = "Password of the reporting database"
  type        = string
  default     = "Rep0rting!2024" # expect: AWS-CREDS-002
}

variable "deploy_credentials" {
  type = object({ key_id = string, secret = string })
  default = {
    key_id = "AKIAIOSFODNN7EXAMPLE" # expect: AWS-CREDS-002
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" # expect: AWS-CREDS-002
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = var.aws_access_key
  secret_key = var.aws_secret_key
}
