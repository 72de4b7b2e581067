resource "aws_iam_user" "legacy" {
  name = "legacy-app"
}

resource "aws_iam_access_key" "legacy" {
  user = aws_iam_user.legacy.name
}

resource "aws_instance" "legacy" { # expect: AWS-EC2-002
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"

  user_data = <<-EOT
    #!/bin/bash
    echo "AWS_ACCESS_KEY_ID=${aws_iam_access_key.legacy.id}" >> /etc/legacy.env
    echo "AWS_SECRET_ACCESS_KEY=${aws_iam_access_key.legacy.secret}" >> /etc/legacy.env
    systemctl start legacy
  EOT
}

resource "aws_launch_template" "batch" { # expect: AWS-EC2-002
  name_prefix   = "batch-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "c6i.large"
  # base64 of: aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE
  user_data = "YXdzIGNvbmZpZ3VyZSBzZXQgYXdzX2FjY2Vzc19rZXlfaWQgQUtJQUlPU0ZPRE5ON0VYQU1QTEU="
}
