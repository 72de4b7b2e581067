# Near misses: IAM write access that does not reach the caller's own permissions.
data "aws_caller_identity" "current" {}

resource "aws_iam_policy" "reports" {
  name = "reports"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}

resource "aws_iam_policy" "developer" {
  name = "developer"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:Get*", "s3:List*"], Resource = "*" }]
  })
}

# trap: iam-create-policy-version, iam-set-default-policy-version: versions of a policy the
# caller does not hold.
resource "aws_iam_user" "policy_author" {
  name = "policy-author"
}

resource "aws_iam_user_policy_attachment" "policy_author" {
  user       = aws_iam_user.policy_author.name
  policy_arn = aws_iam_policy.developer.arn
}

data "aws_iam_policy_document" "policy_author" {
  statement {
    actions   = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"]
    resources = [aws_iam_policy.reports.arn]
  }
}

resource "aws_iam_user_policy" "policy_author" {
  name   = "author"
  user   = aws_iam_user.policy_author.name
  policy = data.aws_iam_policy_document.policy_author.json
}

# trap: iam-attach-user-policy: on another, named user only.
resource "aws_iam_user" "intern" {
  name = "intern"
}

resource "aws_iam_user" "mentor" {
  name = "mentor"
}

resource "aws_iam_user_policy" "mentor" {
  name = "mentoring"
  user = aws_iam_user.mentor.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:AttachUserPolicy", "iam:DetachUserPolicy"]
      Resource = aws_iam_user.intern.arn
      Condition = {
        ArnEquals = { "iam:PolicyARN" = "arn:aws:iam::aws:policy/ReadOnlyAccess" }
      }
    }]
  })
}

# trap: iam-put-user-policy: removed by an unconditional Deny.
resource "aws_iam_user" "release_bot" {
  name = "release-bot"
}

data "aws_iam_policy_document" "release_bot" {
  statement {
    actions   = ["iam:PutUserPolicy", "iam:GetUserPolicy"]
    resources = ["*"]
  }

  statement {
    effect    = "Deny"
    actions   = ["iam:PutUserPolicy"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "release_bot" {
  name   = "release"
  user   = aws_iam_user.release_bot.name
  policy = data.aws_iam_policy_document.release_bot.json
}

# trap: iam-attach-group-policy, iam-put-group-policy: on a group the caller is not in.
resource "aws_iam_group" "contractors" {
  name = "contractors"
}

resource "aws_iam_group" "team_leads" {
  name = "team-leads"
}

resource "aws_iam_group_policy" "team_leads" {
  name  = "manage-contractors"
  group = aws_iam_group.team_leads.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:AttachGroupPolicy", "iam:PutGroupPolicy"]
      Resource = aws_iam_group.contractors.arn
    }]
  })
}

# trap: iam-attach-role-policy: on itself, but a permission boundary caps what it can become.
resource "aws_iam_policy" "automation_boundary" {
  name = "automation-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*", "iam:AttachRolePolicy"], Resource = "*" }]
  })
}

resource "aws_iam_role" "automation" {
  name                 = "automation"
  permissions_boundary = aws_iam_policy.automation_boundary.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "self-manage"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "iam:AttachRolePolicy"
        Resource = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/automation"
      }]
    })
  }
}

# trap: iam-put-role-policy: the role's trust policy does not let the caller in.
resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_user" "operator" {
  name = "operator"
}

resource "aws_iam_user_policy" "operator" {
  name = "operate"
  user = aws_iam_user.operator.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["sts:AssumeRole", "iam:PutRolePolicy"], Resource = aws_iam_role.worker.arn },
    ]
  })
}

# trap: iam-remove-permissions-boundary: it may drop its boundary, but its own policies are small.
resource "aws_iam_role" "sandbox" {
  name                 = "sandbox"
  permissions_boundary = aws_iam_policy.developer.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "sandbox" {
  name = "sandbox"
  role = aws_iam_role.sandbox.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject", "iam:DeleteRolePermissionsBoundary"], Resource = "*" },
    ]
  })
}

# trap: iam-add-user-to-group: only to a read-only group.
resource "aws_iam_group" "readers" {
  name = "readers"
}

resource "aws_iam_group_policy_attachment" "readers" {
  group      = aws_iam_group.readers.name
  policy_arn = aws_iam_policy.reports.arn
}

resource "aws_iam_user" "helpdesk" {
  name = "helpdesk"
}

resource "aws_iam_user_policy" "helpdesk" {
  name = "onboarding"
  user = aws_iam_user.helpdesk.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:AddUserToGroup", Resource = aws_iam_group.readers.arn }]
  })
}
