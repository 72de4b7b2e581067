# iam:PolicyARN is read against the policy an escalation would attach: the on-call user may
# attach policies to itself, but only the read-only and support policies, none of them an
# administrator's.
resource "aws_iam_user" "on_call" {
  name = "on-call"
}

data "aws_iam_policy_document" "on_call" {
  statement {
    sid       = "SelfServiceReadAccess"
    actions   = ["iam:AttachUserPolicy", "iam:DetachUserPolicy"]
    resources = [aws_iam_user.on_call.arn]

    condition {
      test     = "ArnEquals"
      variable = "iam:PolicyARN"
      values = [
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/AWSSupportAccess",
      ]
    }
  }
}

resource "aws_iam_user_policy" "on_call" {
  name   = "self-service"
  user   = aws_iam_user.on_call.name
  policy = data.aws_iam_policy_document.on_call.json
}
