# Near misses: credential management that only reaches the caller itself or ordinary users.
resource "aws_iam_user" "breakglass" {
  name = "breakglass"
}

resource "aws_iam_user_policy_attachment" "breakglass" {
  user       = aws_iam_user.breakglass.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# trap: iam-create-access-key: self-service on ${aws:username}.
resource "aws_iam_group" "everyone" {
  name = "everyone"
}

data "aws_iam_policy_document" "self_service" {
  statement {
    sid = "ManageOwnKeys"
    actions = [
      "iam:CreateAccessKey",
      "iam:DeleteAccessKey",
      "iam:UpdateAccessKey",
      "iam:ListAccessKeys",
      "iam:CreateLoginProfile",
      "iam:UpdateLoginProfile",
    ]
    resources = ["arn:aws:iam::*:user/$${aws:username}"]
  }
}

resource "aws_iam_group_policy" "everyone" {
  name   = "self-service"
  group  = aws_iam_group.everyone.name
  policy = data.aws_iam_policy_document.self_service.json
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_group_membership" "everyone" {
  name  = "everyone"
  group = aws_iam_group.everyone.name
  users = [aws_iam_user.alice.name, aws_iam_user.breakglass.name]
}

# trap: iam-create-login-profile: for a named, ordinary user only.
resource "aws_iam_user" "kiosk" {
  name = "kiosk"
}

resource "aws_iam_user" "support" {
  name = "support"
}

resource "aws_iam_user_policy" "support" {
  name = "console-access"
  user = aws_iam_user.support.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreateLoginProfile", Resource = aws_iam_user.kiosk.arn }]
  })
}

# trap: iam-update-login-profile: only users under the /contractors/ path, where no administrator is.
resource "aws_iam_user" "contractor" {
  name = "contractor"
  path = "/contractors/"
}

resource "aws_iam_user" "helpdesk" {
  name = "helpdesk"
}

resource "aws_iam_user_policy" "helpdesk" {
  name = "password-resets"
  user = aws_iam_user.helpdesk.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:UpdateLoginProfile", Resource = "arn:aws:iam::*:user/contractors/*" }]
  })
}
