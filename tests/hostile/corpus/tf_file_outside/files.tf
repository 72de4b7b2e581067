resource "aws_iam_policy" "passwd" {
  name   = "passwd"
  policy = file("/etc/passwd")
}

resource "aws_iam_policy" "climb" {
  name   = "climb"
  policy = templatefile("${path.module}/../../../../etc/hostname", {})
}
