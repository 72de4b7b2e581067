# The admin statement is never attached directly: it arrives through source_policy_documents.
data "aws_iam_policy_document" "platform_baseline" {
  statement { # expect: AWS-IAM-001
    sid       = "PlatformAdmin"
    actions   = ["*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "app" {
  source_policy_documents = [data.aws_iam_policy_document.platform_baseline.json]

  statement {
    sid       = "ReadConfig"
    actions   = ["ssm:GetParameter", "ssm:GetParametersByPath"]
    resources = ["arn:aws:ssm:eu-west-1:111122223333:parameter/app/*"]
  }
}

resource "aws_iam_policy" "app" {
  name   = "app"
  policy = data.aws_iam_policy_document.app.json
}
