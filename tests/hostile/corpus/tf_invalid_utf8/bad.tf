resource "aws_iam_user" "u" {
  name = "u"
}
# broken bytes ÿþý here
