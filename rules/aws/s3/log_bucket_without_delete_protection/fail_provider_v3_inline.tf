# AWS provider v3 style: versioning and object lock are inline blocks of the bucket.
resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"

  versioning {
    enabled = true # expect: AWS-S3-006
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

resource "aws_s3_bucket" "locked" {
  bucket = "acme-locked-trail"

  versioning {
    enabled = true
  }

  object_lock_configuration {
    object_lock_enabled = "Enabled"
    rule {
      default_retention {
        mode  = "COMPLIANCE"
        years = 1
      }
    }
  }
}

resource "aws_cloudtrail" "locked" {
  name           = "locked"
  s3_bucket_name = aws_s3_bucket.locked.id
}
