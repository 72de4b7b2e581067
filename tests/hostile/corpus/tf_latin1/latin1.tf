resource "aws_iam_user" "cafe" {
  name = "café"
  tags = { team = "café" }
}
