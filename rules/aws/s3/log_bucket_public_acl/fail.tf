resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

resource "aws_s3_bucket_ownership_controls" "trail" {
  bucket = aws_s3_bucket.trail.id
  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_acl" "trail" {
  bucket     = aws_s3_bucket.trail.id
  acl        = "public-read" # expect: AWS-S3-002
  depends_on = [aws_s3_bucket_ownership_controls.trail]
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

# An explicit grant to every AWS account (AuthenticatedUsers), on the billing bucket.
resource "aws_s3_bucket" "billing" {
  bucket = "acme-billing-reports"
}

data "aws_canonical_user_id" "current" {}

resource "aws_s3_bucket_acl" "billing" {
  bucket = aws_s3_bucket.billing.id
  access_control_policy {
    grant {
      grantee {
        id   = data.aws_canonical_user_id.current.id
        type = "CanonicalUser"
      }
      permission = "FULL_CONTROL"
    }
    grant { # expect: AWS-S3-002
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
      }
      permission = "READ"
    }
    owner {
      id = data.aws_canonical_user_id.current.id
    }
  }
}

resource "aws_cur_report_definition" "monthly" {
  report_name                = "acme-cur"
  time_unit                  = "DAILY"
  format                     = "textORcsv"
  compression                = "GZIP"
  additional_schema_elements = ["RESOURCES"]
  s3_bucket                  = aws_s3_bucket.billing.id
  s3_region                  = "us-east-1"
}
