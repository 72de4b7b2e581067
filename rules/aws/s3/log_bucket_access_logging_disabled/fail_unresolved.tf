# A trail whose bucket name comes from a variable without a value gives a note, never a guess.
variable "trail_bucket" {
  type = string
}

resource "aws_cloudtrail" "other" {
  name           = "other"
  s3_bucket_name = var.trail_bucket # expect-note: AWS-S3-004
}

# The second trail names its bucket literally; the bucket is found by that name.
resource "aws_s3_bucket" "trail" { # expect: AWS-S3-004
  bucket = "acme-cloudtrail-logs"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-cloudtrail-logs"
}
