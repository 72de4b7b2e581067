variable "region" {
  type = string
}

variable "github_token" {
  type      = string
  sensitive = true
}

variable "github_token_parameter" {
  type = string
}

data "aws_ssm_parameter" "github_token" {
  name = var.github_token_parameter
}

provider "aws" {
  region = var.region
}
