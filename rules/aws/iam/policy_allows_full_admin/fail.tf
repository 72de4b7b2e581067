data "aws_iam_policy_document" "admin" {
  statement { # expect: AWS-IAM-001
    sid       = "Everything"
    effect    = "Allow"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "admin" {
  name   = "platform-admin"
  policy = data.aws_iam_policy_document.admin.json
}

resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "sts:AssumeRole"
    }]
  })

  inline_policy {
    name = "break-glass"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Effect   = "Allow"
          Action   = "s3:GetObject"
          Resource = "arn:aws:s3:::reports/*"
        },
        { # expect: AWS-IAM-001
          Effect    = "Allow"
          Action    = "*:*"
          Resource  = "*"
          Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
        },
      ]
    })
  }
}

resource "aws_iam_role_policy_attachment" "ops_admin" {
  role       = aws_iam_role.ops.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # expect: AWS-IAM-001
}
