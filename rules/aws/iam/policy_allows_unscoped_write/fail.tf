data "aws_iam_policy_document" "deployer" {
  statement { # expect: AWS-IAM-020
    sid = "Deploy"
    actions = [
      "s3:PutObject",
      "s3:PutBucketPolicy",
      "cloudfront:CreateInvalidation",
      "sts:GetCallerIdentity",
      "ec2:DescribeInstances",
    ]
    resources = ["*"]
  }

  # iam:Create* and iam:Attach* expand to many actions: the message summarises them
  statement { # expect: AWS-IAM-020
    sid       = "Roles"
    actions   = ["iam:Create*", "iam:Attach*", "iam:Get*"]
    resources = ["*"]
  }

  statement {
    sid       = "ScopedWrites"
    actions   = ["s3:DeleteObject"]
    resources = ["arn:aws:s3:::example-site/*"]
  }
}

resource "aws_iam_policy" "deployer" {
  name   = "deployer"
  policy = data.aws_iam_policy_document.deployer.json
}

resource "aws_iam_role" "cleaner" {
  name = "cleaner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "cleanup"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { # expect: AWS-IAM-020
          Sid      = "DeleteSnapshots"
          Effect   = "Allow"
          Action   = ["ec2:DeleteSnapshot", "ec2:DescribeSnapshots"]
          Resource = "*"
          # a region condition limits where, not which snapshots
          Condition = { StringEquals = { "aws:RequestedRegion" = "eu-west-1" } }
        },
      ]
    })
  }
}
