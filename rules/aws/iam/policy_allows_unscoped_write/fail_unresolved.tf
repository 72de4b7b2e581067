# The actions come from a variable without a value: iamready cannot tell whether the statement
# allows writes on "*", and says so instead of passing it.
variable "extra_actions" {
  type = list(string)
}

resource "aws_iam_user_policy" "ops" {
  name = "ops"
  user = "ops"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect-note: AWS-IAM-020
        Sid      = "Extra"
        Effect   = "Allow"
        Action   = var.extra_actions
        Resource = "*"
      },
      { # expect: AWS-IAM-020
        Sid      = "Keys"
        Effect   = "Allow"
        Action   = ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"]
        Resource = "*"
      },
    ]
  })
}
