locals {
  rows = [for i in range(100000) : join(",", range(100000))]
}

resource "aws_iam_user" "joined" {
  name = length(local.rows)
}
