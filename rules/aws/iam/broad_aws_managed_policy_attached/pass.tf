# Narrow AWS managed policies, AdministratorAccess (AWS-IAM-001's finding) and PowerUserAccess used
# as a permission boundary (a boundary limits access, it grants nothing).
resource "aws_iam_role" "auditor" {
  name                 = "auditor"
  permissions_boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "auditor" {
  for_each = toset([
    "arn:aws:iam::aws:policy/SecurityAudit",
    "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
  ])
  role       = aws_iam_role.auditor.name
  policy_arn = each.value
}

resource "aws_iam_role_policy_attachment" "break_glass" {
  role       = "break-glass"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
