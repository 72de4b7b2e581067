resource "aws_iam_policy" "half" {
  name = "half"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
