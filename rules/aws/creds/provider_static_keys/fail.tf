terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"                     # expect: AWS-CREDS-001
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" # expect: AWS-CREDS-001
}

provider "aws" {
  alias  = "audit"
  region = "us-east-1"

  assume_role_with_web_identity {
    role_arn                = "arn:aws:iam::111122223333:role/audit"
    web_identity_token      = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl" # expect: AWS-CREDS-001
    session_name            = "audit"
  }
}

resource "aws_s3_bucket" "reports" {
  bucket = "example-reports"
}
