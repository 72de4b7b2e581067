# Real actions in every case spelling, wildcards that match real actions, trust-policy actions.
data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["S3:getobject", "s3:Get*Tagging", "ssm:GetParameter*", "*:Describe*", "SNS:Publish"]
    resources = ["*"]
  }

  statement {
    effect      = "Deny"
    not_actions = ["iam:Get*", "iam:List*", "sts:GetCallerIdentity"]
    resources   = ["*"]
  }
}

resource "aws_iam_policy" "app" {
  name   = "app"
  policy = data.aws_iam_policy_document.app.json
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "task" {
  name               = "task"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
