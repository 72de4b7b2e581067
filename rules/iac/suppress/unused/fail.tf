data "aws_iam_policy_document" "reports_read" {
  statement {
    sid       = "ReadReports"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::acme-reports", "arn:aws:s3:::acme-reports/*"]
  }
}

# The policy was narrowed in SEC-812; the exception below outlived it.
# expect+1: IAC-SUPPRESS-001
# iamready:ignore[AWS-IAM-001] reporting jobs needed admin during the S3 migration (SEC-812)
resource "aws_iam_policy" "reports" {
  name   = "reports-read"
  policy = data.aws_iam_policy_document.reports_read.json
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "codebuild.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "deploy_read_only" {
  role = aws_iam_role.deploy.name
  # expect+1: IAC-SUPPRESS-001
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess" # iamready:ignore[AWS-IAM-001] deploy role (SEC-902)
}
