# The management account's id is read from SSM Parameter Store when Terraform runs: it may be this
# account or another one. iamready does not guess that it is another account: it says once, where the
# account is written, that it could not decide. The audit account is written literally and is reported.
data "aws_ssm_parameter" "management_account" {
  name = "/org/management-account-id"
}

resource "aws_iam_role" "executor" {
  name = "stackset-executor"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_ssm_parameter.management_account.value}:root" } # expect-note: AWS-IAM-033
        Action    = "sts:AssumeRole"
      },
      { # expect: AWS-IAM-033
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::444455556666:root" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}
