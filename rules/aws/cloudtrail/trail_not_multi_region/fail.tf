resource "aws_cloudtrail" "main" { # expect: AWS-CLOUDTRAIL-001
  name           = "main"
  s3_bucket_name = "acme-cloudtrail-logs"
}

resource "aws_cloudtrail" "regional" {
  name                  = "regional"
  s3_bucket_name        = "acme-cloudtrail-logs"
  is_multi_region_trail = false # expect: AWS-CLOUDTRAIL-001
}
