variable "ops_public_key" {
  description = "OpenSSH public key generated on the operator's workstation"
  type        = string
  default     = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0wmN/Cr3JXqmLW7u+g9pTh+wyqDHpSQEIQczXkVx9q ops@example.com"
}

resource "aws_key_pair" "ops" {
  key_name   = "ops"
  public_key = var.ops_public_key
}
