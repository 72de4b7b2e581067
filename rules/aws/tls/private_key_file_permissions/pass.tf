resource "tls_private_key" "deploy" {
  algorithm = "RSA"
  rsa_bits  = 4096
}

resource "local_sensitive_file" "deploy_key" {
  filename        = "${path.module}/deploy_id_rsa"
  content         = tls_private_key.deploy.private_key_pem
  file_permission = "0600"
}

resource "local_sensitive_file" "deploy_key_openssh" {
  filename = "${path.module}/deploy_id_openssh"
  content  = tls_private_key.deploy.private_key_openssh
}

# the public key may be world-readable
resource "local_file" "deploy_public_key" {
  filename = "${path.module}/deploy_id_rsa.pub"
  content  = tls_private_key.deploy.public_key_openssh
}
