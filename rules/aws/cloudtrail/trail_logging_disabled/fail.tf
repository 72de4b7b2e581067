variable "environment" {
  type    = string
  default = "staging"
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "acme-cloudtrail-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  enable_logging             = false # expect: AWS-CLOUDTRAIL-002
}

# Logging only in production: off in the environment this code is given.
resource "aws_cloudtrail" "env" {
  name           = "env"
  s3_bucket_name = "acme-cloudtrail-logs"
  enable_logging = var.environment == "production" # expect: AWS-CLOUDTRAIL-002
}
