# A workload role with an inline policy made of the statements its caller passes in.
variable "name" {
  description = "Name of the role"
  type        = string
  default     = "workload"
}

variable "service" {
  description = "AWS service that assumes the role"
  type        = string
  default     = "lambda.amazonaws.com"
}

variable "statements" {
  description = "Statements of the role's inline policy"
  type        = list(any)
  default     = []
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = var.service }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  name = "${var.name}-inline"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = var.statements
  })
}

output "role_arn" {
  value = aws_iam_role.this.arn
}
