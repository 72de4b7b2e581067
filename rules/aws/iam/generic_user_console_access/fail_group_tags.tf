# Logins named or tagged for a group of people.
resource "aws_iam_user" "auditors" {
  name = "auditors"
}

resource "aws_iam_user_login_profile" "auditors" { # expect: AWS-IAM-053
  user = aws_iam_user.auditors.name
}

resource "aws_iam_user" "bluefin" {
  name = "bluefin"
  tags = {
    Owner = "payments-team"
  }
}

resource "aws_iam_user_login_profile" "bluefin" { # expect: AWS-IAM-053
  user = aws_iam_user.bluefin.name
}
