# NotAction in a Deny is the right way to say "deny everything except": not a grant.
data "aws_iam_policy_document" "region_guard" {
  statement {
    sid       = "Work"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["arn:aws:s3:::example-work/*"]
  }

  statement {
    sid         = "DenyOutsideEuWest1"
    effect      = "Deny"
    not_actions = ["iam:*", "sts:*", "cloudfront:*", "route53:*", "support:*"]
    resources   = ["*"]
    condition {
      test     = "StringNotEquals"
      variable = "aws:RequestedRegion"
      values   = ["eu-west-1"]
    }
  }
}

resource "aws_iam_policy" "region_guard" {
  name   = "region-guard"
  policy = data.aws_iam_policy_document.region_guard.json
}

# PowerUserAccess is built with NotAction: AWS-IAM-013 reports it by name, not this rule.
resource "aws_iam_role_policy_attachment" "power" {
  role       = "builder"
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}
