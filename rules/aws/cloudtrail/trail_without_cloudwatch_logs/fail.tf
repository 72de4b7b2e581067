resource "aws_cloudtrail" "main" { # expect: AWS-CLOUDTRAIL-004
  name                       = "main"
  s3_bucket_name             = "acme-cloudtrail-logs"
  is_multi_region_trail      = true
  enable_log_file_validation = true
}

resource "aws_cloudwatch_log_group" "trail" {
  name = "/aws/cloudtrail/other"
}

resource "aws_cloudtrail" "no_role" {
  name                       = "no-role"
  s3_bucket_name             = "acme-cloudtrail-logs"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*" # expect: AWS-CLOUDTRAIL-004
}
