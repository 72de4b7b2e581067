# The S3 pattern names no role, but arn:aws:iam::*:* names every role of every account.
data "aws_iam_policy_document" "ci_mixed" {
  statement { # expect: AWS-IAM-030
    actions   = ["iam:PassRole", "s3:GetObject"]
    resources = ["arn:aws:s3:::*", "arn:aws:iam::*:*"]
  }
}

resource "aws_iam_policy" "ci_mixed" {
  name   = "ci_mixed"
  policy = data.aws_iam_policy_document.ci_mixed.json
}
