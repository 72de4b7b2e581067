resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

data "aws_iam_policy_document" "deploy" {
  statement {
    actions   = ["lambda:UpdateFunctionCode"]
    resources = ["arn:aws:lambda:eu-west-1:111122223333:function:api"]
  }
}

resource "aws_iam_user_policy" "alice_deploy" {
  name   = "deploy"
  user   = aws_iam_user.alice.name # expect: AWS-IAM-002
  policy = data.aws_iam_policy_document.deploy.json
}

resource "aws_iam_policy" "reports" {
  name = "reports-read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::reports/*" }]
  })
}

resource "aws_iam_user_policy_attachment" "bob_reports" {
  user       = aws_iam_user.bob.name # expect: AWS-IAM-002
  policy_arn = aws_iam_policy.reports.arn
}

resource "aws_iam_policy_attachment" "mixed" {
  name       = "reports-everyone"
  users      = [aws_iam_user.alice.name] # expect: AWS-IAM-002
  groups     = ["analysts"]
  policy_arn = aws_iam_policy.reports.arn
}
