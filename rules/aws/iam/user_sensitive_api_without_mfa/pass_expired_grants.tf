# Grants that can no longer be used. The break-glass statement only accepts session tokens issued
# before 2020 (no such token is valid any more), and the migration window closed in 2021.
resource "aws_iam_user" "legacy_ops" {
  name = "legacy-ops"
}

resource "aws_iam_access_key" "legacy_ops" {
  user = aws_iam_user.legacy_ops.name
}

data "aws_iam_policy_document" "legacy_ops" {
  statement {
    sid       = "BreakGlass"
    actions   = ["iam:CreateAccessKey", "iam:AttachUserPolicy"]
    resources = ["*"]
    condition {
      test     = "DateLessThan"
      variable = "aws:TokenIssueTime"
      values   = ["2020-01-01T00:00:00Z"]
    }
  }
  statement {
    sid       = "Migration"
    actions   = ["iam:PutUserPolicy"]
    resources = ["*"]
    condition {
      test     = "DateLessThanEquals"
      variable = "aws:CurrentTime"
      values   = ["2021-06-30"]
    }
  }
}

resource "aws_iam_user_policy" "legacy_ops" {
  name   = "legacy-ops"
  user   = aws_iam_user.legacy_ops.name
  policy = data.aws_iam_policy_document.legacy_ops.json
}
