resource "aws_cloudtrail" "data_only" {
  name                  = "data-only"
  s3_bucket_name        = "acme-cloudtrail-logs"
  is_multi_region_trail = true

  event_selector { # expect: AWS-CLOUDTRAIL-006
    read_write_type           = "All"
    include_management_events = false
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }
}

resource "aws_cloudtrail" "read_only" {
  name           = "read-only"
  s3_bucket_name = "acme-cloudtrail-logs"

  event_selector {
    read_write_type = "ReadOnly" # expect: AWS-CLOUDTRAIL-006
  }
}

resource "aws_cloudtrail" "regional" {
  name                          = "regional"
  s3_bucket_name                = "acme-cloudtrail-logs"
  include_global_service_events = false # expect: AWS-CLOUDTRAIL-006
}

resource "aws_cloudtrail" "advanced" {
  name           = "advanced"
  s3_bucket_name = "acme-cloudtrail-logs"

  advanced_event_selector { # expect: AWS-CLOUDTRAIL-006
    name = "S3 data events"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
  }
}
