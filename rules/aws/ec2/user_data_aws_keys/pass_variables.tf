# The password is a variable without a value here (given at apply time): whatever it is, it is not an
# AWS key written in the code.
variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_instance" "database" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  user_data     = <<-EOT
    #!/bin/bash
    echo "${var.db_password}" > /etc/db/password
    systemctl start postgresql
  EOT
}
