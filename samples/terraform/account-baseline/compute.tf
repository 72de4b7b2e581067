resource "tls_private_key" "bastion" {
  algorithm = "ED25519"
}

resource "aws_key_pair" "bastion" {
  key_name   = "bastion"
  public_key = tls_private_key.bastion.public_key_openssh
}

output "bastion_private_key" {
  value = tls_private_key.bastion.private_key_openssh
}

resource "aws_instance" "reporting" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  key_name      = aws_key_pair.bastion.key_name
  user_data     = <<-EOT
    #!/bin/bash
    export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
    export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
    /opt/reporting/run.sh
  EOT
}
