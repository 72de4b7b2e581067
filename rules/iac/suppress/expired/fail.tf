variable "account_id" {
  type    = string
  default = "111122223333"
}

resource "aws_iam_role" "migration" {
  name = "s3-migration"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.account_id}:role/migration-runner" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "migration" {
  name = "migration"
  role = aws_iam_role.migration.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # expect+1: IAC-SUPPRESS-003
      # iamready:ignore[AWS-IAM-001] one-off bucket migration, to be removed after cut-over until=2024-06-30
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
