# Who may assume the role comes from a variable without a value.
variable "trusted_principals" {
  type = list(string)
}

data "aws_iam_policy_document" "trust" {
  # expect-note: AWS-IAM-031
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = var.trusted_principals
    }
  }
}

resource "aws_iam_role" "consumer" {
  name               = "consumer"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

# and one that is known: every principal of every account
resource "aws_iam_role" "open" {
  name = "open"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = { AWS = ["*"] }, Action = "sts:AssumeRole" }, # expect: AWS-IAM-031
    ]
  })
}
