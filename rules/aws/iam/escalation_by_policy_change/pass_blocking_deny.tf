# A region guardrail that protects itself: the Deny also covers deleting or detaching it, so the
# administrator cannot lift it (it is still a regional administrator, which AWS-IAM-001 reports).
# trap: iam-delete-blocking-policy: the inline guardrail also denies deleting itself
data "aws_iam_policy_document" "region_guardrail" {
  statement {
    sid         = "OnlyEuWest1"
    effect      = "Deny"
    not_actions = ["iam:*", "organizations:*", "sts:*", "support:*"]
    resources   = ["*"]
    condition {
      test     = "StringNotEquals"
      variable = "aws:RequestedRegion"
      values   = ["eu-west-1"]
    }
  }

  statement {
    sid       = "ProtectTheGuardrail"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "deployer" {
  role       = aws_iam_role.deployer.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy" "deployer_guardrail" {
  name   = "region-guardrail"
  role   = aws_iam_role.deployer.id
  policy = data.aws_iam_policy_document.region_guardrail.json
}
