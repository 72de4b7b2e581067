resource "tls_private_key" "bastion" {
  algorithm = "ED25519"
}

resource "aws_key_pair" "bastion" {
  key_name   = "bastion"
  public_key = tls_private_key.bastion.public_key_openssh
}

# the public half is not a secret
output "bastion_public_key" {
  value = tls_private_key.bastion.public_key_openssh
}

output "bastion_private_key" {
  value     = tls_private_key.bastion.private_key_openssh
  sensitive = true
}
