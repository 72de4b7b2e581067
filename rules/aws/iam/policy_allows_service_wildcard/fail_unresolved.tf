# Which resources the statement covers comes from a variable that has no value: iamready says it
# could not decide instead of passing the statement.
variable "queue_arns" {
  type = list(string)
}

data "aws_iam_policy_document" "worker" {
  # expect-note: AWS-IAM-010
  statement {
    sid       = "Queues"
    actions   = ["sqs:*"]
    resources = var.queue_arns
  }
  statement { # expect: AWS-IAM-010
    sid       = "Logs"
    actions   = ["logs:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "worker" {
  name   = "worker"
  role   = "worker"
  policy = data.aws_iam_policy_document.worker.json
}
