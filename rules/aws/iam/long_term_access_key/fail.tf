resource "aws_iam_user" "reporting" {
  name = "reporting-export"
  path = "/system/"
}

resource "aws_iam_access_key" "reporting" { # expect: AWS-IAM-050
  user = aws_iam_user.reporting.name
}

resource "aws_iam_access_key" "reporting_next" { # expect: AWS-IAM-050
  user    = aws_iam_user.reporting.name
  pgp_key = "keybase:platform_team"
  status  = "Active"
}

resource "aws_iam_access_key" "legacy" { # expect: AWS-IAM-050
  user = "legacy-sftp"
}
