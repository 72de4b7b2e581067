resource "aws_iam_user" "backup" {
  name = "backup-agent"
}

resource "aws_iam_access_key" "backup" {
  user = aws_iam_user.backup.name
}

resource "aws_instance" "backup" {
  ami                  = "ami-0123456789abcdef0"
  instance_type        = "t3.small"
  iam_instance_profile = "backup-agent"

  # expect+7: AWS-EC2-001
  # expect+7: AWS-EC2-001
  user_data = <<-EOT
    #!/bin/bash
    mkdir -p /root/.aws
    cat > /root/.aws/credentials <<CREDS
    [default]
    aws_access_key_id = ${aws_iam_access_key.backup.id}
    aws_secret_access_key = ${aws_iam_access_key.backup.secret}
    CREDS
    /opt/backup/run.sh
  EOT
}

resource "aws_launch_configuration" "legacy" {
  name_prefix   = "legacy-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  # expect+4: AWS-EC2-001
  # expect+4: AWS-EC2-001
  user_data = <<-EOT
    #!/bin/bash
    export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
    export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
    /opt/legacy/start
  EOT
}

resource "aws_launch_template" "worker" {
  name_prefix = "worker-"
  image_id    = "ami-0123456789abcdef0"
  # base64 of: aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE
  user_data = "YXdzIGNvbmZpZ3VyZSBzZXQgYXdzX2FjY2Vzc19rZXlfaWQgQUtJQUlPU0ZPRE5ON0VYQU1QTEU=" # expect: AWS-EC2-001
}
