variable "password_max_age" {
  type    = number
  default = 365
}

resource "aws_iam_account_password_policy" "this" { # expect: AWS-IAM-056
  minimum_password_length      = 8 # expect: AWS-IAM-056
  require_uppercase_characters = true
  require_lowercase_characters = true
  require_numbers              = true
  require_symbols              = false # expect: AWS-IAM-056
  max_password_age             = var.password_max_age # expect: AWS-IAM-056
}
