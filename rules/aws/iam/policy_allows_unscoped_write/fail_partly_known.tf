# Only the region is unknown: "arn:aws:logs:<any region>:111122223333:*" covers every log group of the
# account in that region, whatever the region is, so the statement is decided without a note. The bucket
# statement is decided too: whatever the environment, the objects are those of one named bucket. Where
# the unknown part could be the wildcard itself (the whole ARN of a queue), iamready says it could not
# decide.
variable "region" {
  type = string
}

variable "environment" {
  type = string
}

variable "queue_arn" {
  type = string
}

resource "aws_iam_policy" "logs" {
  name = "log-writer"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-020
        Sid      = "LogGroups"
        Effect   = "Allow"
        Action   = ["logs:CreateLogGroup", "logs:PutRetentionPolicy"]
        Resource = "arn:aws:logs:${var.region}:111122223333:*"
      },
      {
        Sid      = "Uploads"
        Effect   = "Allow"
        Action   = "s3:PutObject"
        Resource = "arn:aws:s3:::acme-${var.environment}-uploads/*"
      },
      { # expect-note: AWS-IAM-020
        Sid      = "Queue"
        Effect   = "Allow"
        Action   = "sqs:SendMessage"
        Resource = "${var.queue_arn}"
      },
    ]
  })
}
