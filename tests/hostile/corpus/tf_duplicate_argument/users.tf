resource "aws_iam_user" "deploy" {
  name = "deploy"
  path = "/ci/"
  name = "deploy-bot"
}
