# A person's login, tagged with the team she belongs to.
resource "aws_iam_user" "maria" {
  name = "maria.lopez"
  tags = {
    Team       = "payments"
    CostCenter = "4711"
  }
}

resource "aws_iam_user_login_profile" "maria" {
  user = aws_iam_user.maria.name
}
