variable "logging" {
  type = bool
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-cloudtrail-logs"
  enable_logging = var.logging # expect-note: AWS-CLOUDTRAIL-002
}

resource "aws_cloudtrail" "off" {
  name           = "off"
  s3_bucket_name = "acme-cloudtrail-logs"
  enable_logging = "false" # expect: AWS-CLOUDTRAIL-002
}
