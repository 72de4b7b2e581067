# The same generator with the real service prefixes and actions that exist.
locals {
  readable_services = ["dynamodb", "ec2", "s3", "sqs"]
  read_actions      = ["Get*", "List*"]
}

data "aws_iam_policy_document" "readonly" {
  dynamic "statement" {
    for_each = local.readable_services
    content {
      actions   = [for action in local.read_actions : "${statement.value}:${action}"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_policy" "readonly" {
  name   = "readonly"
  policy = data.aws_iam_policy_document.readonly.json
}
