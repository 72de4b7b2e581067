resource "aws_iam_policy" "s" {
  name = "s\ud800"
  policy = jsonencode({
    Statement = [{ Sid = "x\udfff", Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
resource "aws_iam_policy" "t" {
  name = "t"
  policy = "{\"Statement\": [{\"Sid\": \"y\\ud800\", \"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"
}
