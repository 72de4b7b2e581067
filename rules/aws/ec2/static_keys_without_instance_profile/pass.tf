variable "instance_profile_name" {
  type    = string
  default = "legacy-app"
}

# keys in user data are reported by AWS-EC2-001; with a profile attached this rule is satisfied
resource "aws_instance" "legacy" {
  ami                  = "ami-0123456789abcdef0"
  instance_type        = "t3.small"
  iam_instance_profile = var.instance_profile_name

  user_data = <<-EOT
    #!/bin/bash
    export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
    systemctl start legacy
  EOT
}

# no keys in user data: nothing to say about the missing profile
resource "aws_instance" "static_site" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  user_data     = "#!/bin/bash\nsystemctl start nginx\n"
}
