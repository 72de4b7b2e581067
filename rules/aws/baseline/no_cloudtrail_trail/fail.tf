resource "aws_s3_bucket" "audit_logs" { # expect: AWS-BASELINE-001
  bucket = "example-audit-logs"
}
