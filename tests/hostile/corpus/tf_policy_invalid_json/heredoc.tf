resource "aws_iam_policy" "cut" {
  name   = "cut"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        { "Effect": "Allow", "Action": "*", "Resource": "*" },
  EOF
}
