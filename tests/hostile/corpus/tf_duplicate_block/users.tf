resource "aws_iam_user" "ops" {
  name = "ops"
}

resource "aws_iam_user" "ops" {
  name = "ops-2"
}
