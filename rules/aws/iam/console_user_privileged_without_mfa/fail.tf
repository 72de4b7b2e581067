# Alice: administrator through her group, with a password and no MFA condition anywhere.
resource "aws_iam_user" "alice" { # expect: AWS-IAM-040
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_membership" "admins" {
  name  = "admins"
  group = aws_iam_group.admins.name
  users = [aws_iam_user.alice.name]
}

resource "aws_iam_group_policy_attachment" "admins" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Bob: can attach policies to anyone; the Allow's condition is "Bool ... false", which grants
# only WITHOUT MFA. The login profile names him by his literal user name.
resource "aws_iam_user" "bob" { # expect: AWS-IAM-040
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = "bob"
}

data "aws_iam_policy_document" "bob" {
  statement {
    sid       = "AttachAnything"
    actions   = ["iam:AttachUserPolicy", "iam:AttachRolePolicy", "iam:ListPolicies"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_user_policy" "bob" {
  name   = "attach"
  user   = aws_iam_user.bob.name
  policy = data.aws_iam_policy_document.bob.json
}
