# Carol: administrator, guarded by a Deny with BoolIfExists aws:MultiFactorAuthPresent false.
# Dave: administrator, but his Allow requires MFA (Bool ... true).
# Erin: console user who can only read.
# Frank: administrator without MFA, but no console password (AWS-IAM-041's subject).
# Grace: console user with PowerUserAccess as a permission boundary only.
resource "aws_iam_user" "carol" {
  name = "carol"
}

resource "aws_iam_user_login_profile" "carol" {
  user = aws_iam_user.carol.name
}

resource "aws_iam_user_policy_attachment" "carol_admin" {
  user       = aws_iam_user.carol.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

data "aws_iam_policy_document" "require_mfa" {
  statement {
    sid         = "DenyWithoutMfa"
    effect      = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "sts:GetSessionToken"]
    resources   = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_policy" "require_mfa" {
  name   = "require-mfa"
  policy = data.aws_iam_policy_document.require_mfa.json
}

resource "aws_iam_user_policy_attachment" "carol_mfa" {
  user       = aws_iam_user.carol.name
  policy_arn = aws_iam_policy.require_mfa.arn
}

resource "aws_iam_user" "dave" {
  name = "dave"
}

resource "aws_iam_user_login_profile" "dave" {
  user = aws_iam_user.dave.name
}

resource "aws_iam_user_policy" "dave" {
  name = "admin-with-mfa"
  user = aws_iam_user.dave.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "*"
      Resource  = "*"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

resource "aws_iam_user" "erin" {
  name = "erin"
}

resource "aws_iam_user_login_profile" "erin" {
  user = aws_iam_user.erin.name
}

resource "aws_iam_user_policy_attachment" "erin" {
  user       = aws_iam_user.erin.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_user" "frank" {
  name = "frank"
}

resource "aws_iam_user_policy_attachment" "frank" {
  user       = aws_iam_user.frank.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "grace" {
  name                 = "grace"
  permissions_boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
}

resource "aws_iam_user_login_profile" "grace" {
  user = aws_iam_user.grace.name
}

# Henry: can manage permissions; a Deny with "Bool aws:MultiFactorAuthPresent false" guards his
# console sessions (they always carry the key). His access keys are AWS-IAM-041's subject.
resource "aws_iam_user" "henry" {
  name = "henry"
}

resource "aws_iam_user_login_profile" "henry" {
  user = aws_iam_user.henry.name
}

resource "aws_iam_user_policy" "henry" {
  name = "iam-operator"
  user = aws_iam_user.henry.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["iam:AttachRolePolicy", "iam:PutRolePolicy"], Resource = "*" },
      {
        Effect    = "Deny"
        Action    = "iam:*"
        Resource  = "*"
        Condition = { Bool = { "aws:MultiFactorAuthPresent" = "false" } }
      },
    ]
  })
}
