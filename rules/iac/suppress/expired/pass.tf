resource "aws_iam_role" "migration" {
  name = "s3-migration"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:role/migration-runner" }
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
      # iamready:ignore[AWS-IAM-001] bucket migration, cut-over planned for Q3 (SEC-1301) until=2099-12-31
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
