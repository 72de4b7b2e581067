# A policy library module: the document is handed to callers through an output and attached
# elsewhere. It is checked where it is written.
data "aws_iam_policy_document" "break_glass" {
  statement { # expect: AWS-IAM-001
    sid       = "Everything"
    actions   = ["*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "read_only" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]
  }
}

output "break_glass_json" {
  value = data.aws_iam_policy_document.break_glass.json
}

output "read_only_json" {
  value = data.aws_iam_policy_document.read_only.json
}
