variable "region" {
  type = string
}

variable "ci_access_key" {
  type = string
}

variable "ci_secret_key" {
  type      = string
  sensitive = true
}

variable "github_token" {
  type      = string
  sensitive = true
}

variable "tags" {
  type = map(string)
}

provider "aws" {
  region     = var.region
  access_key = var.ci_access_key
  secret_key = var.ci_secret_key
}
