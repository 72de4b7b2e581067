resource "tls_private_key" "ops" {
  algorithm = "ED25519"
}

resource "aws_key_pair" "ops" {
  key_name   = "ops"
  public_key = tls_private_key.ops.public_key_openssh # expect: AWS-TLS-003
}
