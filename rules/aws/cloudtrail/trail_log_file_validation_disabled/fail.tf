resource "aws_cloudtrail" "main" { # expect: AWS-CLOUDTRAIL-003
  name                  = "main"
  s3_bucket_name        = "acme-cloudtrail-logs"
  is_multi_region_trail = true
}

resource "aws_cloudtrail" "other" {
  name                       = "other"
  s3_bucket_name             = "acme-cloudtrail-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = false # expect: AWS-CLOUDTRAIL-003
}
