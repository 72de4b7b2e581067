variable "protected_bucket" {
  type    = string
  default = "example-payroll"
}

data "aws_iam_policy_document" "analyst" {
  statement { # expect: AWS-IAM-012
    sid           = "ReadAllButPayroll"
    actions       = ["s3:GetObject", "s3:ListBucket"]
    not_resources = ["arn:aws:s3:::${var.protected_bucket}", "arn:aws:s3:::${var.protected_bucket}/*"]
  }
}

resource "aws_iam_policy" "analyst" {
  name   = "analyst"
  policy = data.aws_iam_policy_document.analyst.json
}

resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy" "ci" {
  name = "ci"
  user = aws_iam_user.ci.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-012
        Sid         = "EverythingButTheStateBucket"
        Effect      = "Allow"
        Action      = "*"
        NotResource = "arn:aws:s3:::example-terraform-state/*"
      },
    ]
  })
}
