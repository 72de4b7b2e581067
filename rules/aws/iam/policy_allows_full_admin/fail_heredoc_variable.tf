# The wildcard arrives through a variable default, inside a heredoc policy.
variable "allowed_actions" {
  type    = string
  default = "*"
}

resource "aws_iam_group" "deployers" {
  name = "deployers"
}

resource "aws_iam_group_policy" "deploy" {
  name  = "deploy"
  group = aws_iam_group.deployers.name
  # expect+5: AWS-IAM-001
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "Deploy",
          "Effect": "Allow",
          "Action": "${var.allowed_actions}",
          "Resource": "*"
        }
      ]
    }
  EOT
}
