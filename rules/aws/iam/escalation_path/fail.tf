data "aws_caller_identity" "current" {}

locals {
  account_root = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
}

# The administrator role only EC2 can assume, and the deployment role that may launch it.
resource "aws_iam_role" "platform_admin" {
  name = "platform-admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "platform_admin" {
  role       = aws_iam_role.platform_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = local.account_root }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.platform_admin.arn]
  }

  statement {
    actions   = ["ec2:RunInstances"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "deployer" {
  name   = "deploy"
  role   = aws_iam_role.deployer.id
  policy = data.aws_iam_policy_document.deployer.json
}

# Two steps: a developer assumes the deployer, which passes the administrator role to EC2.
resource "aws_iam_user" "developer" {
  name = "developer"
}

resource "aws_iam_user_policy" "developer" {
  name = "deploy-access"
  user = aws_iam_user.developer.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::artifacts/*" },
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.deployer.arn }, # expect: AWS-IAM-110
    ]
  })
}

# A group gets the same path; its member is covered by the group's finding.
resource "aws_iam_group" "release_managers" {
  name = "release-managers"
}

resource "aws_iam_user" "release_manager" {
  name = "release-manager"
}

resource "aws_iam_user_group_membership" "release_manager" {
  user   = aws_iam_user.release_manager.name
  groups = [aws_iam_group.release_managers.name]
}

data "aws_iam_policy_document" "release_managers" {
  statement { # expect: AWS-IAM-110
    actions   = ["sts:AssumeRole"]
    resources = ["arn:aws:iam::*:role/deployer"]
  }
}

resource "aws_iam_group_policy" "release_managers" {
  name   = "assume-deployer"
  group  = aws_iam_group.release_managers.name
  policy = data.aws_iam_policy_document.release_managers.json
}

# Three steps: a CI role assumes a build role, which assumes the deployer (the build role has
# its own two-step path).
resource "aws_iam_role" "build" {
  name = "build"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.ci.arn }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "next"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.deployer.arn }] # expect: AWS-IAM-110
    })
  }
}

resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "ci" {
  name = "chain"
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.build.arn }] # expect: AWS-IAM-110
  })
}

# Only with MFA: an auditor may assume a support role (its trust requires MFA) that can write
# its own inline policy. Reported at medium severity, with the condition named.
resource "aws_iam_role" "support" {
  name = "support"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = local.account_root }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

resource "aws_iam_role_policy" "support" {
  name = "self-manage"
  role = aws_iam_role.support.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PutRolePolicy", Resource = aws_iam_role.support.arn }]
  })
}

resource "aws_iam_user" "auditor" {
  name = "auditor"
}

resource "aws_iam_user_policy" "auditor" {
  name = "support-access"
  user = aws_iam_user.auditor.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.support.arn }] # expect: AWS-IAM-110
  })
}
