data "aws_caller_identity" "current" {}

resource "aws_iam_role" "platform_admin" {
  name = "platform-admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

# The deployer can reach administrator access, but only CodePipeline may assume it.
resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codepipeline.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "deploy"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.platform_admin.arn },
        { Effect = "Allow", Action = "ec2:RunInstances", Resource = "*" },
      ]
    })
  }
}

# Blocked by the trust policy: the developer may call sts:AssumeRole on the deployer, but the
# deployer's trust policy admits only the pipeline service.
resource "aws_iam_user" "developer" {
  name = "developer"
}

resource "aws_iam_user_policy" "developer" {
  name = "assume"
  user = aws_iam_user.developer.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.deployer.arn }]
  })
}

# Blocked by a permission boundary: the trust policy admits the whole account and the
# contractor's policy allows the role, but its boundary does not include sts:AssumeRole.
resource "aws_iam_role" "operator" {
  name = "operator"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "operate"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "ec2:RunInstances"], Resource = "*" }]
    })
  }
}

resource "aws_iam_policy" "contractor_boundary" {
  name = "contractor-boundary"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:*", "cloudwatch:*"], Resource = "*" }]
  })
}

resource "aws_iam_user" "contractor" {
  name                 = "contractor"
  permissions_boundary = aws_iam_policy.contractor_boundary.arn
}

resource "aws_iam_user_policy" "contractor" {
  name = "assume-operator"
  user = aws_iam_user.contractor.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.operator.arn }]
  })
}

# Blocked by an unconditional Deny on sts:AssumeRole.
resource "aws_iam_user" "intern" {
  name = "intern"
}

resource "aws_iam_user_policy" "intern" {
  name = "no-roles"
  user = aws_iam_user.intern.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.operator.arn },
      { Effect = "Deny", Action = "sts:AssumeRole", Resource = "*" },
    ]
  })
}

# One step, not a path: break-glass administrators assume the administrator role directly
# (a delegation the trust policy states; AWS-IAM-001 and the MFA rules look at it).
resource "aws_iam_role" "break_glass" {
  name = "break-glass"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_user.oncall_admin.arn }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_iam_user" "oncall_admin" {
  name = "oncall-admin"
}

# A path that ends at an ordinary role is not an escalation.
resource "aws_iam_role" "reader" {
  name = "reader"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_user.analyst.arn }, Action = "sts:AssumeRole" }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}

resource "aws_iam_user" "analyst" {
  name = "analyst"
}
