# only CI federation: people still sign in with IAM users
resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

resource "aws_iam_user" "jane" {
  name = "jane.doe"
}

resource "aws_iam_user_login_profile" "jane" {
  user                    = aws_iam_user.jane.name
  password_reset_required = true
}
