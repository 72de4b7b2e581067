# Principals that can rewrite the permissions that apply to themselves.
data "aws_caller_identity" "current" {}

# iam-create-policy-version: a developer may "maintain" the managed policy it holds.
resource "aws_iam_policy" "developer" {
  name = "developer"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:Get*", "s3:List*"], Resource = "*" }]
  })
}

resource "aws_iam_user" "developer" {
  name = "developer"
}

resource "aws_iam_user_policy_attachment" "developer" {
  user       = aws_iam_user.developer.name
  policy_arn = aws_iam_policy.developer.arn
}

resource "aws_iam_user_policy" "developer_maintenance" {
  name = "maintain-policy"
  user = aws_iam_user.developer.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-100
      Effect   = "Allow"
      Action   = ["iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:ListPolicyVersions"]
      Resource = aws_iam_policy.developer.arn
    }]
  })
}

# iam-set-default-policy-version: on any managed policy.
resource "aws_iam_role" "policy_auditor" {
  name = "policy-auditor"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "policy_auditor" {
  statement { # expect: AWS-IAM-100
    sid       = "RollBackPolicies"
    actions   = ["iam:GetPolicyVersion", "iam:SetDefaultPolicyVersion"]
    resources = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/*"]
  }
}

resource "aws_iam_role_policy" "policy_auditor" {
  name   = "rollback"
  role   = aws_iam_role.policy_auditor.id
  policy = data.aws_iam_policy_document.policy_auditor.json
}

# iam-attach-user-policy: "self-service" that includes attaching policies to yourself.
resource "aws_iam_user" "analyst" {
  name = "analyst"
}

resource "aws_iam_user_policy" "analyst" {
  name = "self-service"
  user = aws_iam_user.analyst.name
  # expect+5: AWS-IAM-100
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["iam:ChangePassword", "iam:AttachUserPolicy", "iam:ListAttachedUserPolicies"],
          "Resource": "arn:aws:iam::*:user/$${aws:username}"
        }
      ]
    }
  EOT
}

# iam-put-user-policy: on its own ARN, by reference.
resource "aws_iam_user" "release_bot" {
  name = "release-bot"
}

data "aws_iam_policy_document" "release_bot" {
  statement { # expect: AWS-IAM-100
    actions   = ["iam:PutUserPolicy"]
    resources = [aws_iam_user.release_bot.arn]
  }
}

resource "aws_iam_user_policy" "release_bot" {
  name   = "release"
  user   = aws_iam_user.release_bot.name
  policy = data.aws_iam_policy_document.release_bot.json
}

# iam-attach-group-policy: a group allowed to attach policies to itself.
resource "aws_iam_group" "team_leads" {
  name = "team-leads"
}

resource "aws_iam_group_policy" "team_leads" {
  name  = "manage-team"
  group = aws_iam_group.team_leads.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-100
        Effect   = "Allow"
        Action   = ["iam:AttachGroupPolicy", "iam:DetachGroupPolicy"]
        Resource = aws_iam_group.team_leads.arn
      },
    ]
  })
}

# iam-put-group-policy: a member may write inline policies on any group, including its own.
resource "aws_iam_group" "support" {
  name = "support"
}

resource "aws_iam_user" "support_lead" {
  name = "support-lead"
}

resource "aws_iam_user_group_membership" "support_lead" {
  user   = aws_iam_user.support_lead.name
  groups = [aws_iam_group.support.name]
}

resource "aws_iam_user_policy" "support_lead" {
  name = "groups"
  user = aws_iam_user.support_lead.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutGroupPolicy", Resource = "arn:aws:iam::*:group/*" }] # expect: AWS-IAM-100
  })
}

# iam-attach-role-policy: a role that may attach policies to itself.
resource "aws_iam_role" "automation" {
  name = "automation"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "self-manage"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{ # expect: AWS-IAM-100
        Effect   = "Allow"
        Action   = "iam:AttachRolePolicy"
        Resource = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/automation"
      }]
    })
  }
}

# iam-put-role-policy: a user that can assume a role and write the role's inline policies.
resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_user" "deploy_operator" {
  name = "deploy-operator"
}

data "aws_iam_policy_document" "deploy_operator" {
  statement {
    actions   = ["sts:AssumeRole"]
    resources = [aws_iam_role.deployer.arn]
  }

  statement { # expect: AWS-IAM-100
    actions   = ["iam:PutRolePolicy"]
    resources = [aws_iam_role.deployer.arn]
  }
}

resource "aws_iam_user_policy" "deploy_operator" {
  name   = "operate"
  user   = aws_iam_user.deploy_operator.name
  policy = data.aws_iam_policy_document.deploy_operator.json
}

# iam-remove-permissions-boundary: an administrator held back only by a boundary it may delete.
resource "aws_iam_policy" "sandbox_boundary" {
  name = "sandbox-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["ec2:*", "s3:*", "iam:*"], Resource = "*" }]
  })
}

resource "aws_iam_role" "sandbox" {
  name                 = "sandbox"
  permissions_boundary = aws_iam_policy.sandbox_boundary.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "sandbox" {
  role       = aws_iam_role.sandbox.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # expect: AWS-IAM-100
}

# iam-add-user-to-group: a user that may join the administrators group.
resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_policy_attachment" "admins" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "helpdesk" {
  name = "helpdesk"
}

resource "aws_iam_user_policy" "helpdesk" {
  name = "onboarding"
  user = aws_iam_user.helpdesk.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-100
        Effect   = "Allow"
        Action   = ["iam:AddUserToGroup", "iam:RemoveUserFromGroup"]
        Resource = aws_iam_group.admins.arn
      },
    ]
  })
}
