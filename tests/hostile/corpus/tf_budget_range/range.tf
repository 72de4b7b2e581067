locals {
  huge = range(1e9)
}

resource "aws_iam_user" "numbers" {
  name = length(local.huge)
}
