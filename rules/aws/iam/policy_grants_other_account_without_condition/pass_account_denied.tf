# The old tooling account was trusted as a whole, then shut out by an unconditional Deny on the
# same account: nothing of 777788889999 can assume the role any more.
resource "aws_iam_role" "legacy_tooling" {
  name = "legacy-tooling"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::777788889999:root" }
        Action    = "sts:AssumeRole"
      },
      {
        Effect    = "Deny"
        Principal = { AWS = ["777788889999"] }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}
