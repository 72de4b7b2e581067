data "aws_iam_policy_document" "reader" {
  statement { # expect: AWS-IAM-014
    sid       = "ReadReports"
    actions   = ["s3:GetObjects", "s3:ListBucket"]
    resources = ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"]
  }

  # a typo in a Deny: the guard rail it was meant to be does not exist
  statement { # expect: AWS-IAM-014
    sid       = "NeverDeleteTrails"
    effect    = "Deny"
    actions   = ["cloudtrial:DeleteTrail", "cloudtrail:StopLogging"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "reader" {
  name   = "reader"
  policy = data.aws_iam_policy_document.reader.json
}

resource "aws_iam_role" "app" {
  name = "app"
  # expect+5: AWS-IAM-014
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {"Service": "lambda.amazonaws.com"},
          "Action": "sts:AssumeRoleWithWebIdentiy"
        }
      ]
    }
  EOT
}
