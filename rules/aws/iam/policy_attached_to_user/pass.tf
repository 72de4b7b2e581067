# Permissions go to groups; users only join groups.
resource "aws_iam_user" "carol" {
  name = "carol"
}

resource "aws_iam_group" "analysts" {
  name = "analysts"
}

resource "aws_iam_group_policy_attachment" "analysts_read" {
  group      = aws_iam_group.analysts.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_user_group_membership" "carol" {
  user   = aws_iam_user.carol.name
  groups = [aws_iam_group.analysts.name]
}

resource "aws_iam_policy_attachment" "groups_only" {
  name       = "analysts-read"
  users      = []
  groups     = [aws_iam_group.analysts.name]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
