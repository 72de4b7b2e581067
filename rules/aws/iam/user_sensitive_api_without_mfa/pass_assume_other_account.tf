# A reader role of another account without MFA, and the administrator role only with MFA.
resource "aws_iam_user" "nadia" {
  name = "nadia"
}

resource "aws_iam_access_key" "nadia" {
  user = aws_iam_user.nadia.name
}

data "aws_iam_policy_document" "nadia" {
  statement {
    sid       = "Reports"
    actions   = ["sts:AssumeRole"]
    resources = ["arn:aws:iam::444455556666:role/reporting-reader"]
  }
  statement {
    sid       = "AdminWithMfa"
    actions   = ["sts:AssumeRole"]
    resources = ["arn:aws:iam::444455556666:role/OrganizationAccountAccessRole"]
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

resource "aws_iam_user_policy" "nadia" {
  name   = "assume-production"
  user   = aws_iam_user.nadia.name
  policy = data.aws_iam_policy_document.nadia.json
}
