# A statement generated from an action list: iam:PassRole sits next to S3 actions, but every
# resource pattern is an S3 ARN. No role matches arn:aws:s3:::*, so no role can be passed.
data "aws_iam_policy_document" "artifacts" {
  statement {
    sid = "Artifacts"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "iam:PassRole",
    ]
    resources = [
      "arn:aws:s3:::*",
      "arn:aws:s3:::build-artifacts/*",
    ]
  }
}

resource "aws_iam_policy" "artifacts" {
  name   = "artifacts"
  policy = data.aws_iam_policy_document.artifacts.json
}
