data "aws_iam_policy_document" "break_glass" {
  # iamready:ignore[AWS-IAM-001] break-glass role, approved in SEC-1234 until=2099-12-31
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
