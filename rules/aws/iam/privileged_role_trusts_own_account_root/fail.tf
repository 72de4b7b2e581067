data "aws_caller_identity" "current" {}

# Anyone in the account whose policies allow sts:AssumeRole on * can become administrator.
data "aws_iam_policy_document" "admin_trust" {
  statement { # expect: AWS-IAM-037
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_iam_role" "admin" {
  name               = "admin"
  assume_role_policy = data.aws_iam_policy_document.admin_trust.json
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# A source-IP condition says where from, not who.
resource "aws_iam_role" "iam_manager" {
  name = "iam-manager"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: AWS-IAM-037
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
      Condition = { IpAddress = { "aws:SourceIp" = "203.0.113.0/24" } }
    }]
  })
  inline_policy {
    name = "manage-iam"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["iam:AttachRolePolicy", "iam:PutRolePolicy"], Resource = "*" }]
    })
  }
}
