# A pattern on AWS managed policies (arn:aws:iam::aws:policy/...) never names a customer policy,
# even when the names look alike: AWS managed policies cannot be changed by anyone.
resource "aws_iam_policy" "reports_reader" {
  name = "reports-reader"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:ListBucket"], Resource = "*" }]
  })
}

resource "aws_iam_role" "reporting" {
  name = "reporting"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "reporting" {
  role       = aws_iam_role.reporting.name
  policy_arn = aws_iam_policy.reports_reader.arn
}

resource "aws_iam_role_policy" "reporting_versions" {
  name = "policy-versions"
  role = aws_iam_role.reporting.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"]
      Resource = "arn:aws:iam::aws:policy/reports-*"
    }]
  })
}
