resource "aws_iam_policy" "effect_maybe" {
  name = "effect-maybe"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "maybe", Action = "s3:GetObject", Resource = "*" }]
  })
}

resource "aws_iam_policy" "action_number" {
  name = "action-number"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = 5, Resource = "*" }]
  })
}

resource "aws_iam_policy" "empty_statement" {
  name = "empty-statement"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = {}
  })
}

resource "aws_iam_policy" "condition_list" {
  name = "condition-list"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "s3:GetObject"
      Resource  = "*"
      Condition = ["aws:SecureTransport"]
    }]
  })
}

resource "aws_iam_role" "principal_number" {
  name = "principal-number"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = 123456789012
      Action    = "sts:AssumeRole"
    }]
  })
}
