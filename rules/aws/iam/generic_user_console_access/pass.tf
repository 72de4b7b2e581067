resource "aws_iam_user" "people" {
  for_each = toset(["jane.doe", "omar.haddad", "admin-li.wei"])
  name     = each.key
}

resource "aws_iam_user_login_profile" "people" {
  for_each                = aws_iam_user.people
  user                    = each.value.name
  password_reset_required = true
}

# a generic user without console access (reported, if at all, by the service-user rules)
resource "aws_iam_user" "deploy" {
  name = "deploy"
}
