resource "aws_iam_group" "engineers" { # expect: AWS-BASELINE-002
  name = "engineers"
}
