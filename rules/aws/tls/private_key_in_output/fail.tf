resource "tls_private_key" "bastion" {
  algorithm = "ED25519"
}

resource "aws_key_pair" "bastion" {
  key_name   = "bastion"
  public_key = tls_private_key.bastion.public_key_openssh
}

output "bastion_private_key" {
  value = tls_private_key.bastion.private_key_openssh # expect: AWS-TLS-001
}

output "bastion_key_pem" {
  value     = nonsensitive(tls_private_key.bastion.private_key_pem)
  sensitive = true
}

output "bastion_connection" {
  sensitive = false
  value = {
    host = "bastion.example.internal"
    key  = tls_private_key.bastion.private_key_pem # expect: AWS-TLS-001
  }
}
