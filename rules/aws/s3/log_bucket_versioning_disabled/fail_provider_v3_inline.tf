# AWS provider v3 style: versioning is an inline block of the bucket.
resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
  acl    = "private"

  versioning {
    enabled = false # expect: AWS-S3-005
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.bucket
}

# A billing data export (CUR 2.0) writing to a bucket with no versioning block.
resource "aws_s3_bucket" "exports" { # expect: AWS-S3-005
  bucket = "acme-data-exports"
}

resource "aws_bcmdataexports_export" "cur2" {
  export {
    name = "cur2"
    data_query {
      query_statement = "SELECT identity_line_item_id, line_item_unblended_cost FROM COST_AND_USAGE_REPORT"
    }
    destination_configurations {
      s3_destination {
        s3_bucket = aws_s3_bucket.exports.id
        s3_prefix = "cur2"
        s3_region = "us-east-1"
        s3_output_configurations {
          overwrite   = "OVERWRITE_REPORT"
          format      = "PARQUET"
          compression = "PARQUET"
          output_type = "CUSTOM"
        }
      }
    }
    refresh_cadence {
      frequency = "SYNCHRONOUS"
    }
  }
}
