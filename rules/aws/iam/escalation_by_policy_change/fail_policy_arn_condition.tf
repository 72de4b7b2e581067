# The iam:PolicyARN condition admits every AWS managed policy, AdministratorAccess included.
resource "aws_iam_user" "on_call" {
  name = "on-call"
}

data "aws_iam_policy_document" "on_call" {
  statement { # expect: AWS-IAM-100
    sid       = "SelfServiceManagedPolicies"
    actions   = ["iam:AttachUserPolicy", "iam:DetachUserPolicy"]
    resources = [aws_iam_user.on_call.arn]

    condition {
      test     = "ArnLike"
      variable = "iam:PolicyARN"
      values   = ["arn:aws:iam::aws:policy/*"]
    }
  }
}

resource "aws_iam_user_policy" "on_call" {
  name   = "self-service"
  user   = aws_iam_user.on_call.name
  policy = data.aws_iam_policy_document.on_call.json
}
