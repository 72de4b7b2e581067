# Administrators held to one region by a Deny they can remove themselves.
data "aws_iam_policy_document" "region_guardrail" {
  statement {
    sid    = "OnlyEuWest1"
    effect = "Deny"
    not_actions = [
      "iam:*",
      "organizations:*",
      "sts:*",
      "support:*",
    ]
    resources = ["*"]
    condition {
      test     = "StringNotEquals"
      variable = "aws:RequestedRegion"
      values   = ["eu-west-1"]
    }
  }
}

# iam-delete-blocking-policy: the guardrail is the role's own inline policy
resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "deployer" {
  role       = aws_iam_role.deployer.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # expect: AWS-IAM-100
}

resource "aws_iam_role_policy" "deployer_guardrail" {
  name   = "region-guardrail"
  role   = aws_iam_role.deployer.id
  policy = data.aws_iam_policy_document.region_guardrail.json
}

# iam-detach-blocking-policy: the guardrail is a managed policy attached to the user
resource "aws_iam_policy" "region_guardrail" {
  name   = "region-guardrail"
  policy = data.aws_iam_policy_document.region_guardrail.json
}

resource "aws_iam_user" "operator" {
  name = "operator"
}

resource "aws_iam_user_policy_attachment" "operator_admin" {
  user       = aws_iam_user.operator.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # expect: AWS-IAM-100
}

resource "aws_iam_user_policy_attachment" "operator_guardrail" {
  user       = aws_iam_user.operator.name
  policy_arn = aws_iam_policy.region_guardrail.arn
}

# iam-leave-blocking-group: the guardrail comes with a group the user can leave
resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_policy_attachment" "admins" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # expect: AWS-IAM-100
}

resource "aws_iam_group" "region_locked" {
  name = "region-locked"
}

resource "aws_iam_group_policy_attachment" "region_locked" {
  group      = aws_iam_group.region_locked.name
  policy_arn = aws_iam_policy.region_guardrail.arn
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.admins.name, aws_iam_group.region_locked.name]
}
