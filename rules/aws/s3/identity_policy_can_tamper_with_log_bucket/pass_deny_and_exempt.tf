# A broad grant that an unconditional Deny takes back on the log bucket, the trail's own
# CloudWatch Logs role, and a delete outside the trail's key prefix.
resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "ops" {
  name = "s3"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }]
  })
}

resource "aws_iam_role_policy" "ops_guard" {
  name = "protect-logs"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Deny"
      Action   = ["s3:Delete*", "s3:Put*", "s3:BypassGovernanceRetention"]
      Resource = [aws_s3_bucket.trail.arn, "${aws_s3_bucket.trail.arn}/*"]
    }]
  })
}

resource "aws_iam_role" "trail_logs" {
  name = "cloudtrail-to-cloudwatch"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "trail_logs" {
  name = "deliver"
  role = aws_iam_role.trail_logs.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:*", "s3:*"], Resource = "*" }]
  })
}

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = aws_s3_bucket.trail.id
  s3_key_prefix              = "trail"
  cloud_watch_logs_group_arn = "arn:aws:logs:us-east-1:111122223333:log-group:trail:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail_logs.arn
}

# Deleting objects outside the trail's prefix (trail/AWSLogs/) does not touch its logs.
resource "aws_iam_role_policy" "scratch" {
  name = "scratch"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:DeleteObject", Resource = "${aws_s3_bucket.trail.arn}/scratch/*" }]
  })
}
