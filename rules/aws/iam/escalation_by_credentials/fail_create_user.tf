# iam-create-user-with-policy: a new user, an administrator policy on it, and its access key.
resource "aws_iam_group" "onboarding" {
  name = "onboarding"
}

data "aws_iam_policy_document" "onboarding" {
  statement { # expect: AWS-IAM-101
    sid = "OnboardUsers"
    actions = [
      "iam:CreateUser",
      "iam:AttachUserPolicy",
      "iam:CreateAccessKey",
      "iam:CreateLoginProfile",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_group_policy" "onboarding" {
  name   = "onboard-users"
  group  = aws_iam_group.onboarding.name
  policy = data.aws_iam_policy_document.onboarding.json
}
