data "aws_iam_policy_document" "break_glass" {
  # expect+1: IAC-SUPPRESS-002
  # iamready:ignore[AWS-IAM-001]
  statement {
    sid       = "BreakGlass"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "break_glass" {
  name   = "break-glass"
  policy = data.aws_iam_policy_document.break_glass.json
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
}

resource "aws_iam_role_policy_attachment" "ops_admin" {
  role = aws_iam_role.ops.name
  # expect+1: IAC-SUPPRESS-002
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" // iamready:ignore[AWS-IAM-001] until=2099-12-31
}
