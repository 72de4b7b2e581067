resource "tls_private_key" "deploy" {
  algorithm = "RSA"
  rsa_bits  = 4096
}

resource "local_file" "deploy_key" { # expect: AWS-TLS-002
  filename = "${path.module}/deploy_id_rsa"
  content  = tls_private_key.deploy.private_key_pem
}

resource "local_sensitive_file" "deploy_key_openssh" {
  filename        = "${path.module}/deploy_id_openssh"
  content         = tls_private_key.deploy.private_key_openssh
  file_permission = "0644" # expect: AWS-TLS-002
}
