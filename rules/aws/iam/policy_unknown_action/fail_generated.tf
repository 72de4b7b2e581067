# Read-only access generated from a list of services: two of the names are not IAM service
# prefixes (DynamoDB is "dynamodb", VPC actions belong to "ec2"), and one action name exists in
# no service. One finding for the block, unknown services first.
locals {
  readable_services = ["dynamo", "vpc", "s3", "sqs"]
  read_actions      = ["Describe*", "Get*", "ListAll"]
}

data "aws_iam_policy_document" "readonly" {
  dynamic "statement" {
    for_each = local.readable_services
    content { # expect: AWS-IAM-014
      actions   = [for action in local.read_actions : "${statement.value}:${action}"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_policy" "readonly" {
  name   = "readonly"
  policy = data.aws_iam_policy_document.readonly.json
}
