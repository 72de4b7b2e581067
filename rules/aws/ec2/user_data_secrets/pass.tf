variable "db_password_parameter" {
  type    = string
  default = "/orders/prod/db-password"
}

# Secrets read at boot with the instance profile's role; nothing secret is written in the script.
resource "aws_instance" "app" {
  ami                  = "ami-0abcdef1234567890"
  instance_type        = "t3.small"
  iam_instance_profile = "app"
  user_data            = <<-EOT
    #!/bin/bash
    DATABASE_PASSWORD=$(aws ssm get-parameter --name ${var.db_password_parameter} --with-decryption --query Parameter.Value --output text)
    export DATABASE_PASSWORD
    export DATABASE_HOST=orders.cluster-abc.eu-west-1.rds.amazonaws.com
    export PASSWORD_MIN_LENGTH=16
    echo "token=$GITHUB_TOKEN" > /dev/null
    docker login -u ci --password-stdin < /run/secrets/registry
  EOT
}
