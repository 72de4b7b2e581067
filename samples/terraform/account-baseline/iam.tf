locals {
  admins = {
    alice = "platform"
    bob   = "security"
  }
}

resource "aws_iam_group" "admins" {
  name = "${var.org_name}-admins"
}

resource "aws_iam_group_policy_attachment" "admins" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Admins must use MFA: deny everything without it (the correct guard).
data "aws_iam_policy_document" "require_mfa" {
  statement {
    sid         = "DenyAllWithoutMFA"
    effect      = "Deny"
    not_actions = ["iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"]
    resources   = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_group_policy" "require_mfa" {
  name   = "require-mfa"
  group  = aws_iam_group.admins.name
  policy = data.aws_iam_policy_document.require_mfa.json
}

resource "aws_iam_user" "admin" {
  for_each = local.admins
  name     = each.key
  tags     = { team = each.value }
}

resource "aws_iam_user_group_membership" "admins" {
  for_each = local.admins
  user     = aws_iam_user.admin[each.key].name
  groups   = [aws_iam_group.admins.name]
}

resource "aws_iam_user_login_profile" "admin" {
  for_each = local.admins
  user     = aws_iam_user.admin[each.key].name
}

# A shared "deploy" user with a console password and its own keys, and permissions of its own.
resource "aws_iam_user" "deploy" {
  name = "deploy"
}

resource "aws_iam_user_login_profile" "deploy" {
  user = aws_iam_user.deploy.name
}

resource "aws_iam_access_key" "deploy" {
  user = aws_iam_user.deploy.name
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "Deploy"
    actions   = var.deploy_actions
    resources = ["*"]
  }

  statement {
    sid       = "ManageUsers"
    actions   = ["iam:CreateUser", "iam:AttachUserPolicy", "iam:CreateAccessKey"]
    resources = ["*"]
  }

  statement {
    sid       = "PassAnyRole"
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "deploy" {
  name   = "deploy"
  user   = aws_iam_user.deploy.name
  policy = data.aws_iam_policy_document.deploy.json
}

resource "aws_ssm_parameter" "deploy_secret" {
  name  = "/ci/deploy/secret_access_key"
  type  = "String"
  value = aws_iam_access_key.deploy.secret
}

output "deploy_secret_access_key" {
  value = aws_iam_access_key.deploy.secret
}

# Break-glass role assumable from the auditor's account, no external id, no MFA.
resource "aws_iam_role" "break_glass" {
  name = "break-glass"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.audit_account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "break_glass" {
  name = "operations"
  role = aws_iam_role.break_glass.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "EverythingButIam",
          "Effect": "Allow",
          "NotAction": "iam:*",
          "Resource": "*"
        }
      ]
    }
  EOT
}

module "ci_role" {
  source       = "./modules/ci-role"
  name         = "github-deploy"
  repositories = var.ci_repositories
  bucket_arn   = aws_s3_bucket.trail.arn
}
