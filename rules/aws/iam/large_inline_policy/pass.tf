# Small inline policies, and a large policy that is customer managed (not inline).
data "aws_iam_policy_document" "small" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["arn:aws:s3:::example-data/*"]
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
  }
}

resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name   = "data"
    policy = data.aws_iam_policy_document.small.json
  }
}

variable "services" {
  type    = list(string)
  default = ["s3", "dynamodb", "sqs", "sns", "lambda", "logs", "kms", "ssm", "secretsmanager", "ecr", "ecs", "events"]
}

data "aws_iam_policy_document" "worker" {
  dynamic "statement" {
    for_each = var.services
    content {
      actions   = ["${statement.value}:Get*", "${statement.value}:Put*"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_policy" "worker" {
  name   = "worker"
  policy = data.aws_iam_policy_document.worker.json
}
