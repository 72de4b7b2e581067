locals {
  a = local.b
  b = "${local.c}-x"
  c = local.a
}

resource "aws_iam_user" "cyclic" {
  name = local.a
}
