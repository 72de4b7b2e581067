resource "aws_iam_group" "auditors" { # expect: AWS-BASELINE-004
  name = "auditors"
}

resource "aws_iam_group_policy_attachment" "auditors" {
  group      = aws_iam_group.auditors.name
  policy_arn = "arn:aws:iam::aws:policy/SecurityAudit"
}
