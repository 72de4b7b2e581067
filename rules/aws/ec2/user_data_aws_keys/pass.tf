data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  name               = "backup-agent"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_instance_profile" "backup" {
  name = "backup-agent"
  role = aws_iam_role.backup.name
}

resource "aws_instance" "backup" {
  ami                  = "ami-0123456789abcdef0"
  instance_type        = "t3.small"
  iam_instance_profile = aws_iam_instance_profile.backup.name

  # the SDK finds the role's credentials itself; the database password is read at boot
  user_data = <<-EOT
    #!/bin/bash
    export AWS_DEFAULT_REGION=eu-west-1
    DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id backup/db --query SecretString --output text)
    export AWS_SECRET_ACCESS_KEY_FILE=/run/secrets/none
    /opt/backup/run.sh
  EOT
}

resource "aws_launch_template" "worker" {
  name_prefix = "worker-"
  image_id    = "ami-0123456789abcdef0"

  iam_instance_profile {
    name = aws_iam_instance_profile.backup.name
  }

  # base64 of: #!/bin/bash\n/opt/worker/start\n
  user_data = "IyEvYmluL2Jhc2gKL29wdC93b3JrZXIvc3RhcnQK"
}
