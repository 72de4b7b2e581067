variable "services" {
  type    = list(string)
  default = ["s3", "dynamodb", "sqs", "sns", "lambda", "logs", "kms", "ssm", "secretsmanager", "ecr", "ecs", "events"]
}

data "aws_caller_identity" "current" {}

# One statement per service, written with a dynamic block: 12 statements, reads and writes.
data "aws_iam_policy_document" "worker" {
  dynamic "statement" {
    for_each = var.services
    content {
      sid       = "Use${replace(statement.value, "-", "")}"
      actions   = ["${statement.value}:Get*", "${statement.value}:Put*"]
      resources = ["arn:aws:${statement.value}:eu-west-1:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
}

resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "worker" {
  name   = "worker"
  role   = aws_iam_role.worker.name
  policy = data.aws_iam_policy_document.worker.json # expect: AWS-IAM-045
}

resource "aws_iam_user" "auditor" {
  name = "auditor"
}

# 42 read actions in one statement: the AWS managed read-only policies fit.
resource "aws_iam_user_policy" "auditor" {
  name = "audit"
  user = aws_iam_user.auditor.name
  policy = jsonencode({ # expect: AWS-IAM-045
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "cloudwatch:GetMetricData",
        "cloudwatch:ListMetrics",
        "cloudwatch:DescribeAlarms",
        "ec2:DescribeInstances",
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeImages",
        "ec2:DescribeVolumes",
        "ec2:DescribeSnapshots",
        "rds:DescribeDBInstances",
        "rds:DescribeDBClusters",
        "rds:ListTagsForResource",
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation",
        "s3:GetBucketPolicy",
        "s3:GetBucketTagging",
        "s3:GetObject",
        "s3:ListBucket",
        "dynamodb:DescribeTable",
        "dynamodb:ListTables",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "lambda:ListFunctions",
        "lambda:GetFunction",
        "lambda:GetPolicy",
        "logs:DescribeLogGroups",
        "logs:DescribeLogStreams",
        "logs:GetLogEvents",
        "logs:FilterLogEvents",
        "sqs:ListQueues",
        "sqs:GetQueueAttributes",
        "sns:ListTopics",
        "sns:GetTopicAttributes",
        "kms:ListKeys",
        "kms:DescribeKey",
        "kms:ListAliases",
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:DescribeParameters",
        "ecr:DescribeRepositories"
      ]
      Resource = "*"
    }]
  })
}
