variable "kms_key_arn" {
  type = string
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-cloudtrail-logs"
  kms_key_id     = var.kms_key_arn # expect-note: AWS-CLOUDTRAIL-005
}

resource "aws_cloudtrail" "plain" { # expect: AWS-CLOUDTRAIL-005
  name           = "plain"
  s3_bucket_name = "acme-cloudtrail-logs"
}
