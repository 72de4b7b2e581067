# AWS provider v3 style: logging is an inline block of the bucket; its target is a variable.
variable "access_log_bucket" {
  type    = string
  default = "acme-s3-access-logs"
}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"

  logging {
    target_bucket = var.access_log_bucket
    target_prefix = "cloudtrail/"
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.bucket
}
