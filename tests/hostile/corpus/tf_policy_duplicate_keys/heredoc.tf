resource "aws_iam_policy" "twice" {
  name   = "twice"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "s3:GetObject",
          "Action": "*",
          "Resource": "*"
        }
      ]
    }
  EOF
}
