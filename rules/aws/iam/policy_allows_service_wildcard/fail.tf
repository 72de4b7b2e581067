variable "table_service" {
  type    = string
  default = "dynamodb"
}

data "aws_iam_policy_document" "deploy" {
  statement { # expect: AWS-IAM-010
    sid       = "Deploy"
    actions   = ["s3:*", "cloudfront:CreateInvalidation"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = ["eu-west-1"]
    }
  }

  statement {
    sid       = "ReadParameters"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:aws:ssm:eu-west-1:111122223333:parameter/app/*"]
  }
}

resource "aws_iam_policy" "deploy" {
  name   = "deploy"
  policy = data.aws_iam_policy_document.deploy.json
}

resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  inline_policy {
    name = "identity-admin"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { # expect: AWS-IAM-010
          Sid      = "ManageIdentities"
          Effect   = "Allow"
          Action   = ["iam:*", "sts:*"]
          Resource = "*"
        },
      ]
    })
  }
}

resource "aws_iam_group" "data" {
  name = "data"
}

# the service comes from a variable; the resource ARN wildcards every table in every region
resource "aws_iam_group_policy" "tables" {
  name  = "tables"
  group = aws_iam_group.data.name
  # expect+5: AWS-IAM-010
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "${var.table_service}:*",
          "Resource": "arn:aws:dynamodb:*:*:*"
        }
      ]
    }
  EOT
}
