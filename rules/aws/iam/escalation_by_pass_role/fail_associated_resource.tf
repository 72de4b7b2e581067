# iam:AssociatedResourceArn limits the passed role to functions named deploy-*, but the caller
# names the function it creates: deploy-anything runs as the administrator role.
resource "aws_iam_role" "admin" {
  name = "deploy-admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user" "deployer" {
  name = "deployer"
}

resource "aws_iam_user_policy" "deployer" {
  name = "deploy"
  user = aws_iam_user.deployer.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: AWS-IAM-103
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = aws_iam_role.admin.arn
        Condition = {
          StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" }
          ArnLike      = { "iam:AssociatedResourceArn" = "arn:aws:lambda:*:*:function:deploy-*" }
        }
      },
      { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" },
    ]
  })
}
