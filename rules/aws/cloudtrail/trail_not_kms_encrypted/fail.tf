variable "kms_key_arn" {
  type    = string
  default = null
}

resource "aws_cloudtrail" "main" { # expect: AWS-CLOUDTRAIL-005
  name                       = "main"
  s3_bucket_name             = "acme-cloudtrail-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
}

# A module-style optional key that nobody set.
resource "aws_cloudtrail" "optional" {
  name           = "optional"
  s3_bucket_name = "acme-cloudtrail-logs"
  kms_key_id     = var.kms_key_arn # expect: AWS-CLOUDTRAIL-005
}
