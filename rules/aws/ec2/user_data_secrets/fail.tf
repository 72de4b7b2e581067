resource "aws_instance" "app" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.small"
  iam_instance_profile = "app"
  user_data            = <<-EOT
    #!/bin/bash
    export DATABASE_PASSWORD="Orders-2024-prod" # expect: AWS-EC2-003
    export DATABASE_HOST=orders.cluster-abc.eu-west-1.rds.amazonaws.com
    git clone https://x-access-token:ghp_Zx4bC9dE2fG7hJ1kL6mN3pQ8rS5tU0vW2yXa@github.com/acme/app.git # expect: AWS-EC2-003
    redis-cli -h cache.internal --pass Sup3r-Redis-Pass ping # expect: AWS-EC2-003
  EOT
}

# A rendered script: the finding points at the attribute.
resource "aws_launch_template" "worker" {
  name_prefix   = "worker-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.small"
  # expect: AWS-EC2-003
  user_data = base64encode(<<-EOT
    #!/bin/bash
    cat > /home/ec2-user/.ssh/id_ed25519 <<'KEY'
    -----BEGIN OPENSSH PRIVATE KEY-----
    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
    -----END OPENSSH PRIVATE KEY-----
    KEY
  EOT
  )
}
