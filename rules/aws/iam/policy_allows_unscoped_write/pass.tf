# Actions that only accept "*", read/list on "*", writes scoped by ARN or by a resource condition,
# a Deny, and a boundary-guarded role creation (iam:PermissionsBoundary names the boundary).
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "app" {
  statement {
    sid = "OnlyStar"
    actions = [
      "sts:GetCallerIdentity",
      "ec2:DescribeInstances",
      "s3:ListAllMyBuckets",
      "xray:PutTraceSegments",
      "cloudwatch:GetMetricData",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "ReadEverything"
    actions   = ["s3:GetObject", "dynamodb:GetItem"]
    resources = ["*"]
  }

  statement {
    sid       = "OwnTables"
    actions   = ["dynamodb:PutItem", "dynamodb:DeleteItem"]
    resources = ["arn:aws:dynamodb:eu-west-1:${data.aws_caller_identity.current.account_id}:table/app-*"]
  }

  statement {
    sid       = "TeamInstances"
    actions   = ["ec2:StopInstances", "ec2:StartInstances"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/team"
      values   = ["payments"]
    }
  }

  statement {
    sid       = "CreateBoundedRoles"
    actions   = ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/app-boundary"]
    }
  }

  statement {
    sid       = "NeverDeleteLogs"
    effect    = "Deny"
    actions   = ["logs:DeleteLogGroup", "s3:DeleteBucket"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "app" {
  name   = "app"
  policy = data.aws_iam_policy_document.app.json
}
