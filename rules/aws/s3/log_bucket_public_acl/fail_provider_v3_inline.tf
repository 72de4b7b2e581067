# AWS provider v3 style: the ACL is an argument of the bucket. Public write is critical.
resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
  acl    = "public-read-write" # expect: AWS-S3-002
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

resource "aws_s3_bucket" "audit" {
  bucket = "acme-audit-logs"

  grant { # expect: AWS-S3-002
    type        = "Group"
    uri         = "http://acs.amazonaws.com/groups/global/AllUsers"
    permissions = ["READ_ACP", "WRITE"]
  }
}

# S3 ignores public ACLs on this bucket; still reported, at low severity.
resource "aws_s3_bucket_public_access_block" "audit" {
  bucket                  = aws_s3_bucket.audit.id
  block_public_acls       = false
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_cloudtrail" "audit" {
  name           = "audit"
  s3_bucket_name = aws_s3_bucket.audit.id
}
